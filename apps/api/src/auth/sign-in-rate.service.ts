import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { REDIS } from '@switchyard/core/queue';
import type { Redis } from 'ioredis';

/**
 * How many sign-ins one client address tries per minute, counted in Redis so that every API
 * process shares the count. Each sign-in costs a deliberately slow password hash (~0.1 s, 32 MiB):
 * without a limit, one client could keep the API's CPU busy, or guess across many user names
 * without meeting any one user's lockout.
 */
@Injectable()
export class SignInRateService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts an attempt from `address`; the seconds to wait when over the limit, else undefined. */
  async take(address: string, now = Date.now()): Promise<number | undefined> {
    const minute = Math.floor(now / 60_000);
    const key = `${this.config.queuePrefix}:sign-in:${address}:${minute}`;
    const [[, count]] = (await this.redis.multi().incr(key).expire(key, 120).exec()) as [
      [Error | null, number],
      [Error | null, number],
    ];
    if (count <= this.config.sessions.perAddressPerMinute) return undefined;
    return Math.max(1, Math.ceil(((minute + 1) * 60_000 - now) / 1000));
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@switchyard/core/config';
import { REDIS } from '@switchyard/core/queue';
import type { Redis } from 'ioredis';
import {
  FAILURES_MEMORY_SECONDS,
  LOCKOUT_MAX_SECONDS,
  LOCKOUT_THRESHOLD,
  lockoutSeconds,
  USER_FAILURES_PER_WINDOW,
  USER_WINDOW_SECONDS,
} from './lockout-seconds.util.js';

export type SignInAttempt = { locked: false } | { locked: true; retryAfterSeconds: number };

/** Whose password is tried, from where: names as typed, so an unknown user is counted alike. */
export interface SignInKey {
  tenant: string;
  user: string;
  address: string;
}

// the lock for each count from the threshold on, until the cap: lockoutSeconds is the only source
const STEPS: number[] = [];
for (let n = LOCKOUT_THRESHOLD; STEPS.at(-1) !== LOCKOUT_MAX_SECONDS; n++) STEPS.push(lockoutSeconds(n));

// Atomic, so that guesses sent in parallel cannot all pass before the first failure is counted.
// KEYS[1]: hash of the user's failures in a row per address (a:<addr>) and locks (l:<addr>, ms)
// KEYS[2]: the user's failures in this window, all addresses
// ARGV: address, now ms, window end ms, per-user limit, memory s, threshold, lock s per step...
const BEGIN = `
local addr = ARGV[1]
local now = tonumber(ARGV[2])
local windowEnd = tonumber(ARGV[3])
local lockedUntil = tonumber(redis.call('HGET', KEYS[1], 'l:' .. addr) or '0')
if lockedUntil > now then return lockedUntil - now end
local used = tonumber(redis.call('GET', KEYS[2]) or '0')
if used >= tonumber(ARGV[4]) then return windowEnd - now end
redis.call('INCR', KEYS[2])
redis.call('PEXPIREAT', KEYS[2], windowEnd + 60000)
local n = redis.call('HINCRBY', KEYS[1], 'a:' .. addr, 1)
local threshold = tonumber(ARGV[6])
if n >= threshold then
  local step = math.min(n - threshold, #ARGV - 7)
  redis.call('HSET', KEYS[1], 'l:' .. addr, now + tonumber(ARGV[7 + step]) * 1000)
end
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return 0`;

/**
 * Password checks counted in Redis (shared by every API process) per user name and client
 * address: 5 failures in a row from one address lock that address out of that user for 30 s,
 * doubling up to 15 min, while the user still signs in from elsewhere; and at most
 * USER_FAILURES_PER_WINDOW failures per user per window from all addresses together. Keyed by
 * the names as typed, so a user that does not exist meets the same limits as one that does.
 */
@Injectable()
export class SignInAttemptsService {
  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Counts a password check before it is made, as if it will fail, unless locked. */
  async begin(key: SignInKey, now = Date.now()): Promise<SignInAttempt> {
    const windowMs = USER_WINDOW_SECONDS * 1000;
    const window = Math.floor(now / windowMs);
    const waitMs = (await this.redis.eval(
      BEGIN,
      2,
      this.failuresKey(key),
      this.windowKey(key, window),
      key.address,
      now,
      (window + 1) * windowMs,
      USER_FAILURES_PER_WINDOW,
      FAILURES_MEMORY_SECONDS,
      LOCKOUT_THRESHOLD,
      ...STEPS,
    )) as number;
    return waitMs > 0 ? { locked: true, retryAfterSeconds: waitMs / 1000 } : { locked: false };
  }

  /** The password was right: this address starts again from zero; it was no failure. */
  async succeeded(key: SignInKey, now = Date.now()): Promise<void> {
    const window = Math.floor(now / (USER_WINDOW_SECONDS * 1000));
    await this.redis
      .multi()
      .hdel(this.failuresKey(key), `a:${key.address}`, `l:${key.address}`)
      .decr(this.windowKey(key, window))
      .exec();
  }

  /** A new password: every lock and count of the user is lifted. */
  async clear(tenant: string, user: string, now = Date.now()): Promise<void> {
    const key = { tenant, user, address: '' };
    const window = Math.floor(now / (USER_WINDOW_SECONDS * 1000));
    await this.redis.del(this.failuresKey(key), this.windowKey(key, window));
  }

  private failuresKey(key: SignInKey): string {
    return `${this.config.queuePrefix}:sign-in-failures:${key.tenant}/${key.user}`;
  }

  private windowKey(key: SignInKey, window: number): string {
    return `${this.config.queuePrefix}:sign-in-failures:${key.tenant}/${key.user}:${window}`;
  }
}

import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { REDIS, withTimeout } from '@switchyard/core/queue';
import type { Response } from 'express';
import type { Redis } from 'ioredis';
import { Public } from '../auth/auth.decorators.js';
import { DatabaseProbe } from './database.probe.js';

const CHECK_TIMEOUT_MS = 1500;

type Verdict = { status: 'up' } | { status: 'down'; error: string };

async function probe(fn: () => Promise<unknown>, what: string): Promise<Verdict> {
  try {
    await withTimeout(CHECK_TIMEOUT_MS, what, fn);
    return { status: 'up' };
  } catch (err) {
    return { status: 'down', error: err instanceof Error ? err.message : String(err) };
  }
}

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    @Inject(DatabaseProbe) private readonly database: DatabaseProbe,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ description: 'The process is up' })
  live() {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: Postgres and Redis answer' })
  @ApiOkResponse({ description: 'Postgres and Redis answer' })
  @ApiServiceUnavailableResponse({ description: 'Postgres or Redis does not answer' })
  async ready(@Res({ passthrough: true }) res: Response) {
    const [postgres, redis] = await Promise.all([
      probe(() => this.database.ping(), 'postgres'),
      // an offline ioredis would queue the PING until it reconnects: fail fast instead
      probe(async () => {
        if (this.redis.status !== 'ready') throw new Error(`redis connection is ${this.redis.status}`);
        await this.redis.ping();
      }, 'redis'),
    ]);
    const ok = postgres.status === 'up' && redis.status === 'up';
    res.status(ok ? 200 : 503);
    return { status: ok ? 'ok' : 'unavailable', checks: { postgres, redis } };
  }
}

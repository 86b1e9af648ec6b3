import { Module } from '@nestjs/common';
import { DatabaseProbe } from './database.probe.js';
import { HealthController } from './health.controller.js';

/** Liveness and readiness (Postgres and Redis answer), without a token. */
@Module({ controllers: [HealthController], providers: [DatabaseProbe] })
export class HealthModule {}

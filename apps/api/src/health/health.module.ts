import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';

/** Liveness and readiness (Postgres and Redis answer), without a token. */
@Module({ controllers: [HealthController] })
export class HealthModule {}

import { ApiProperty } from '@nestjs/swagger';
import {
  SELF_CHECK_NAMES,
  SELF_CHECK_STATUSES,
  SELF_CHECK_VERDICTS,
  type SelfCheckItem,
  type SelfCheckResult,
  type SelfCheckStatus,
} from '@switchyard/core/database';

// the shape the worker stores (apps/worker/src/self-check), typed once in @switchyard/core: a
// list of checks, and the worker that ran them
export class SelfCheckItemDto implements SelfCheckItem {
  @ApiProperty({ enum: SELF_CHECK_NAMES, example: 'postgres' })
  name!: SelfCheckItem['name'];
  @ApiProperty({ enum: SELF_CHECK_VERDICTS }) status!: SelfCheckItem['status'];
  @ApiProperty({ example: 2.4, description: 'How long the check took, in milliseconds' })
  latencyMs!: number;
  @ApiProperty({ example: 'reachable, schema up to date' }) message!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { serverVersion: '16.4', appliedMigrations: 31, pendingMigrations: [] },
    description:
      'What the check read: postgres `serverVersion`, `appliedMigrations`, `pendingMigrations`; ' +
      'redis `version`, `maxmemoryPolicy`; queues `queues` (name, counts, workers, paused)',
  })
  details!: Record<string, unknown>;
}

export class SelfCheckWorkerDto {
  @ApiProperty({ example: 'host-1:4242' }) id!: string;
  @ApiProperty({ example: 1, description: 'Which delivery of the job this was' }) attempt!: number;
}

export class SelfCheckResultDto implements SelfCheckResult {
  @ApiProperty({
    type: [SelfCheckItemDto],
    description: 'A list, one per check, in this order: postgres, redis, queues',
  })
  checks!: SelfCheckItemDto[];
  @ApiProperty({ type: SelfCheckWorkerDto }) worker!: SelfCheckWorkerDto;
}

export class SelfCheckDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SELF_CHECK_STATUSES }) status!: SelfCheckStatus;
  @ApiProperty({
    type: SelfCheckResultDto,
    nullable: true,
    description: 'null while queued; then the checks and the worker that ran them',
  })
  result!: SelfCheckResultDto | null;
  @ApiProperty({ type: String, nullable: true, description: 'The worker that ran it' }) workerId!:
    string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
}

import { ApiProperty } from '@nestjs/swagger';
import { SELF_CHECK_STATUSES, type SelfCheckStatus } from '@switchyard/core';

// the shape the worker stores (apps/worker/src/self-check): a list of checks, and who ran them
export class SelfCheckItemDto {
  @ApiProperty({ enum: ['postgres', 'redis', 'queues'], example: 'postgres' })
  name!: 'postgres' | 'redis' | 'queues';
  @ApiProperty({ enum: ['pass', 'warn', 'fail'] }) status!: 'pass' | 'warn' | 'fail';
  @ApiProperty({ example: 2.4, description: 'How long the check took, in milliseconds' })
  latencyMs!: number;
  @ApiProperty({ example: 'reachable, schema up to date' }) message!: string;
  @ApiProperty({
    type: Object,
    example: { serverVersion: '16.4', appliedMigrations: 31, pendingMigrations: [] },
    description: 'What the check read (versions, pending migrations, queue counts and workers)',
  })
  details!: Record<string, unknown>;
}

export class SelfCheckWorkerDto {
  @ApiProperty({ example: 'host-1:4242' }) id!: string;
  @ApiProperty({ example: 1, description: 'Which delivery of the job this was' }) attempt!: number;
}

export class SelfCheckResultDto {
  @ApiProperty({ type: [SelfCheckItemDto], description: 'One per check: postgres, redis, queues' })
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

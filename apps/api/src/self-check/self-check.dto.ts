import { ApiProperty } from '@nestjs/swagger';
import { SELF_CHECK_STATUSES, type SelfCheckStatus } from '@switchyard/core';

export class SelfCheckDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ enum: SELF_CHECK_STATUSES }) status!: SelfCheckStatus;
  @ApiProperty({
    type: Object,
    nullable: true,
    description: 'Per check (postgres, redis, queues): status pass|warn|fail, latencyMs, details',
  })
  result!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true, description: 'The worker that ran it' }) workerId!:
    string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({ type: String, nullable: true }) completedAt!: string | null;
}

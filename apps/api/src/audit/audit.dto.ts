import { ApiProperty } from '@nestjs/swagger';

export class AuditActorDto {
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true, format: 'uuid' }) tokenId!: string | null;
  @ApiProperty({ description: "The user's name when it acted, or system", example: 'admin' }) name!: string;
}

export class AuditEntryDto {
  @ApiProperty({ example: '42' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ example: 'deployment.order' }) action!: string;
  @ApiProperty({ example: 'deployment' }) resourceType!: string;
  @ApiProperty({ description: 'A uuid, or name@version for blueprint versions' }) resourceId!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description:
      "The target's name now (in the entry's tenant), else the name the entry recorded; null when neither is known",
    example: 'shop-prod',
  })
  resourceName!: string | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'Fields before' })
  before!: Record<string, unknown> | null;
  @ApiProperty({ type: 'object', nullable: true, additionalProperties: true, description: 'Fields after' })
  after!: Record<string, unknown> | null;
  @ApiProperty({ type: String, nullable: true }) requestId!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last',
  })
  nextCursor!: string | null;
}

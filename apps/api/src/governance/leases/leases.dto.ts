import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { DEFAULT_WARN_BEFORE_MINUTES } from '@switchyard/core/governance';
import { TenantQuery } from '../governance.dto.js';

// a year of hours: the longest lease anyone may set
const MAX_HOURS = 8760;

export class PutLeasePolicyDto extends TenantQuery {
  @ApiProperty({
    example: 336,
    description: 'The longest lease, in hours from the order, that an order or an extension may set',
  })
  @IsInt()
  @Min(1)
  @Max(MAX_HOURS)
  maxLeaseHours!: number;

  @ApiPropertyOptional({
    example: 1440,
    default: DEFAULT_WARN_BEFORE_MINUTES,
    description: 'How long before a lease ends its deployment gets a `lease.expiring` event',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(MAX_HOURS * 60)
  warnBeforeMinutes?: number;
}

export class LeasePolicyDto {
  @ApiProperty({ example: 'default' }) tenant!: string;
  @ApiProperty({ type: Number, nullable: true, example: 336, description: 'null: no maximum' })
  maxLeaseHours!: number | null;
  @ApiProperty({ example: 1440 }) warnBeforeMinutes!: number;
}

export class ExtendLeaseDto {
  @ApiProperty({ example: 24, description: 'Hours to add to the lease (within the tenant’s maximum)' })
  @IsInt()
  @Min(1)
  @Max(MAX_HOURS)
  hours!: number;
}

export class LeaseDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 32, description: 'The lease, in hours from the order' }) leaseHours!: number;
  @ApiProperty({ format: 'date-time' }) leaseExpiresAt!: string;
  @ApiProperty({
    type: Number,
    nullable: true,
    example: 336,
    description: "The tenant's maximum; null: none",
  })
  maxLeaseHours!: number | null;
}

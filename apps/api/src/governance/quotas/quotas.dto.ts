import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { MoneyDto } from '../../blueprints/blueprint-plan.dto.js';
import { NAME_PATTERN, NAME_RULE } from '../../common/names.js';
import { CURRENCY, CURRENCY_RULE, DECIMAL, DECIMAL_RULE, TenantQuery } from '../governance.dto.js';

export class MoneyInputDto {
  @ApiProperty({ example: '500.00' }) @Matches(DECIMAL, DECIMAL_RULE) amount!: string;
  @ApiProperty({ example: 'USD' }) @Matches(CURRENCY, CURRENCY_RULE) currency!: string;
}

export class PutQuotaDto extends TenantQuery {
  @ApiPropertyOptional({
    type: String,
    example: 'aws-us-east-1',
    nullable: true,
    description: "An environment: the tenant's quota there; left out or null: the tenant's whole quota",
  })
  @IsOptional()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  environment?: string | null;

  @ApiPropertyOptional({
    type: Number,
    example: 20,
    nullable: true,
    description: 'Instances; null or left out: no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  instances?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: 40,
    nullable: true,
    description: 'vCPUs; null or left out: no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000_000)
  vcpus?: number | null;

  @ApiPropertyOptional({
    type: Number,
    example: 81920,
    nullable: true,
    description: 'Memory in MiB; null or left out: no limit',
  })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000_000_000)
  memoryMiB?: number | null;

  @ApiPropertyOptional({
    type: MoneyInputDto,
    nullable: true,
    description: "Monthly cost (730 hours at the order's prices); null or left out: no limit",
  })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => MoneyInputDto)
  monthlyCost?: MoneyInputDto | null;
}

export class QuotaLimitsDto {
  @ApiProperty({ type: Number, nullable: true, example: 20 }) instances!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 40 }) vcpus!: number | null;
  @ApiProperty({ type: Number, nullable: true, example: 81920 }) memoryMiB!: number | null;
  @ApiProperty({ type: MoneyDto, nullable: true }) monthlyCost!: MoneyDto | null;
}

export class QuotaUsedDto {
  @ApiProperty({ example: 6 }) instances!: number;
  @ApiProperty({ example: 12 }) vcpus!: number;
  @ApiProperty({ example: 12288 }) memoryMiB!: number;
  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: "In the limit's currency; null without a cost limit",
  })
  monthlyCost!: MoneyDto | null;
}

export class QuotaDto {
  @ApiProperty({ type: String, nullable: true, example: null, description: "null: the tenant's whole quota" })
  environment!: string | null;
  @ApiProperty({ type: QuotaLimitsDto }) limits!: QuotaLimitsDto;
  @ApiProperty({ type: QuotaUsedDto, description: 'Reserved now by the deployments it covers' })
  used!: QuotaUsedDto;
  @ApiProperty({ example: 'admin' }) updatedBy!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class QuotaListDto {
  @ApiProperty({ example: 'default' }) tenant!: string;
  @ApiProperty({ type: [QuotaDto], description: "The tenant's whole quota first, then by environment" })
  items!: QuotaDto[];
  @ApiProperty({ type: String, nullable: true, example: null, description: 'Always null: one page' })
  nextCursor!: null;
}

export class UsageAmountsDto {
  @ApiProperty({ example: 6 }) instances!: number;
  @ApiProperty({ example: 12 }) vcpus!: number;
  @ApiProperty({ example: 12288 }) memoryMiB!: number;
  @ApiProperty({ type: [MoneyDto], description: 'Monthly cost, one per currency' }) monthlyCost!: MoneyDto[];
}

export class EnvironmentUsageDto {
  @ApiProperty({ example: 'aws-us-east-1' }) environment!: string;
  @ApiProperty({
    type: UsageAmountsDto,
    description: 'Reserved by orders and scales, counted against quotas',
  })
  reserved!: UsageAmountsDto;
  @ApiProperty({
    type: UsageAmountsDto,
    description: 'What the deployments hold: their instances that exist',
  })
  running!: UsageAmountsDto;
}

export class QuotaUsageDto {
  @ApiProperty({ example: 'default' }) tenant!: string;
  @ApiProperty({ type: [EnvironmentUsageDto], description: 'By environment name' })
  environments!: EnvironmentUsageDto[];
  @ApiProperty({ type: UsageAmountsDto }) reserved!: UsageAmountsDto;
  @ApiProperty({ type: UsageAmountsDto }) running!: UsageAmountsDto;
  @ApiProperty({
    example: 0,
    description:
      'Deployments at rest whose reservation differs from what they hold (0 when the books are right; work in flight reserves ahead)',
  })
  mismatched!: number;
}

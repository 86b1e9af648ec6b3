import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { MaxKeys } from '../common/max-keys.decorator.js';

// The library's money grammar: up to 12 integer digits and 10 decimals, never a float.
const DECIMAL = /^(0|[1-9][0-9]{0,11})(\.[0-9]{1,10})?$/;
const DECIMAL_RULE = 'must be a decimal string such as "0.0416"';
const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
export const PROVIDERS = ['aws', 'openstack', 'vsphere', 'linux-host'] as const;

export class InstanceTypeOfferDto {
  @ApiProperty({ example: 't3.medium' }) @IsString() @Length(1, 100) name!: string;
  @ApiProperty({ example: 2 }) @IsInt() @Min(1) @Max(1024) cpu!: number;
  @ApiProperty({ example: 4096 }) @IsInt() @Min(1) @Max(67_108_864) memoryMiB!: number;
  @ApiProperty({ example: '0.0416', description: 'Per hour, in the environment currency' })
  @Matches(DECIMAL, { message: DECIMAL_RULE })
  hourlyPrice!: string;
}

export class ImageOfferDto {
  @ApiProperty({ example: 'ubuntu' }) @IsString() @Length(1, 64) os!: string;
  @ApiProperty({ example: '22.04' }) @IsString() @Length(1, 64) version!: string;
  @ApiProperty({ example: 'ami-0c7217cdde317cfec' }) @IsString() @Length(1, 200) imageId!: string;
}

/** An environment's price list and images (until environments are stored, the caller sends them). */
export class EnvironmentCatalogDto {
  @ApiProperty({ example: 'aws-us-east-1' })
  @Matches(LABEL, { message: 'must be a DNS label (lowercase letters, digits and -)' })
  name!: string;

  @ApiProperty({ enum: PROVIDERS }) @IsIn(PROVIDERS) provider!: (typeof PROVIDERS)[number];

  @ApiPropertyOptional({ example: 'us-east-1' }) @IsOptional() @IsString() @Length(1, 64) region?: string;

  @ApiProperty({ example: 'USD' })
  @Matches(/^[A-Z]{3}$/, { message: 'must be an ISO 4217 code such as USD' })
  currency!: string;

  @ApiProperty({ type: [InstanceTypeOfferDto] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => InstanceTypeOfferDto)
  instanceTypes!: InstanceTypeOfferDto[];

  @ApiProperty({ type: [ImageOfferDto] })
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ImageOfferDto)
  images!: ImageOfferDto[];

  @ApiPropertyOptional({ example: '0.08', description: 'Per GiB and month; without it disks are free' })
  @IsOptional()
  @Matches(DECIMAL, { message: DECIMAL_RULE })
  storageGiBMonthPrice?: string;
}

export class PlacementDto {
  @ApiProperty({ example: 'aws-us-east-1', description: 'Environment of every tier not listed in tiers' })
  @IsString()
  @Length(1, 63)
  default!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { db: 'openstack-lab' },
    description: 'Environment per tier',
  })
  @IsOptional()
  @IsObject()
  tiers?: Record<string, string>;
}

export class PlanRequestDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { appCount: 3, dbPassword: 's3cret-pw' },
    description: 'Parameter values; defaults fill the rest. Secrets never come back.',
  })
  @IsOptional()
  @IsObject()
  // a blueprint has at most 100 parameters (its schema's maxProperties)
  @MaxKeys(100)
  parameters?: Record<string, unknown>;

  @ApiProperty({ type: PlacementDto })
  // ValidateNested alone lets a missing object through
  @IsObject()
  @ValidateNested()
  @Type(() => PlacementDto)
  placement!: PlacementDto;

  @ApiPropertyOptional({
    type: [EnvironmentCatalogDto],
    description:
      'Price lists of the environments the placement names (required until environments are stored)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => EnvironmentCatalogDto)
  environments?: EnvironmentCatalogDto[];
}

export class MoneyDto {
  @ApiProperty({ example: '30.368', description: 'Exact decimal string' }) amount!: string;
  @ApiProperty({ example: 'USD' }) currency!: string;
}

export class CostEstimateDto {
  @ApiProperty({ type: MoneyDto }) hourly!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: '730 hours' }) monthly!: MoneyDto;
}

export class MonthlySplitDto {
  @ApiProperty({ type: MoneyDto, description: "The instances' compute, 730 hours" }) compute!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: "The instances' disks, per GiB-month" }) disk!: MoneyDto;
}

export class PlannedInstanceTypeDto {
  @ApiProperty({ example: 't3.medium' }) name!: string;
  @ApiProperty() cpu!: number;
  @ApiProperty() memoryMiB!: number;
  @ApiProperty({ type: MoneyDto }) hourlyPrice!: MoneyDto;
}

export class TierPlanDto {
  @ApiProperty({ example: 'db' }) tier!: string;
  @ApiProperty({ example: 0, description: 'Tiers of one stage may be created in parallel' }) stage!: number;
  @ApiProperty({ example: 'aws-us-east-1' }) environment!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: string;
  @ApiPropertyOptional() region?: string;
  @ApiProperty({ example: 1 }) count!: number;
  @ApiProperty({ example: { cpu: 2, memoryMiB: 4096, diskGiB: 100 } }) size!: object;
  @ApiProperty({ example: { os: 'ubuntu', version: '22.04' } }) requestedImage!: object;
  @ApiProperty({ type: PlannedInstanceTypeDto }) instanceType!: PlannedInstanceTypeDto;
  @ApiProperty({ type: ImageOfferDto }) image!: ImageOfferDto;
  @ApiProperty({ type: CostEstimateDto }) perInstance!: CostEstimateDto;
  @ApiProperty({ type: CostEstimateDto }) total!: CostEstimateDto;
  @ApiProperty({ type: MonthlySplitDto, description: 'total.monthly as compute and disk, all instances' })
  monthly!: MonthlySplitDto;
}

export class FabricPlanDto {
  @ApiProperty({ type: 'array', items: { type: 'object' }, example: [{ environment: 'aws-us-east-1' }] })
  networks!: object[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [{ tier: 'db', environment: 'aws-us-east-1' }],
  })
  endpointGroups!: object[];
  @ApiProperty({
    type: 'array',
    items: { type: 'object' },
    example: [{ tier: 'db', rules: [{ ruleId: 'db-1', direction: 'in', priority: 10, action: 'allow' }] }],
  })
  policies!: object[];
}

export class PlanDto {
  @ApiProperty({ example: { name: 'three-tier-shop', version: '1.2.0' } }) blueprint!: object;
  @ApiProperty({
    example: { appCount: 3, dbPassword: '********' },
    description: 'The values used, defaults included; secrets as ********',
  })
  parameters!: object;
  @ApiProperty({ example: 'USD' }) currency!: string;
  @ApiProperty({
    description: 'Tiers in provisioning order: each stage after the ones it depends on',
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
    example: [['db'], ['app'], ['web']],
  })
  stages!: string[][];
  @ApiProperty({ type: [TierPlanDto] }) tiers!: TierPlanDto[];
  @ApiProperty({ type: CostEstimateDto }) total!: CostEstimateDto;
  @ApiProperty({ type: MonthlySplitDto, description: 'total.monthly as compute and disk' })
  monthly!: MonthlySplitDto;
  @ApiProperty({ type: FabricPlanDto }) fabric!: FabricPlanDto;
}

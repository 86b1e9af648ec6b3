import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '../../blueprints/blueprint-plan.dto.js';
import { NAME_PATTERN, NAME_RULE } from '../../common/names.js';
import { TenantQuery } from '../governance.dto.js';

// names with * wildcards
const PATTERN = /^[a-z0-9*]([a-z0-9*-]{0,62})$/;
const PATTERN_RULE = { each: true, message: 'each must be a name, * matching any characters' };
export const PLACEMENT_STRATEGIES = ['cheapest'] as const;

export class PlacementRuleDto {
  @ApiProperty({ enum: ['require-tag', 'forbid-tag'] })
  @IsIn(['require-tag', 'forbid-tag'], { message: 'must be require-tag or forbid-tag' })
  kind!: 'require-tag' | 'forbid-tag';

  @ApiProperty({ example: 'on-prem' }) @Matches(NAME_PATTERN, { message: NAME_RULE }) tag!: string;

  @ApiPropertyOptional({
    type: [String],
    example: ['db', '*-db'],
    description: 'Tiers by name (* wildcards)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(PATTERN, PATTERN_RULE)
  tiers?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['postgres', 'mysql', 'redis'],
    description: 'Tiers built from these services (* wildcards); with neither, every tier',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(PATTERN, PATTERN_RULE)
  services?: string[];

  @ApiPropertyOptional({ example: 'data stays on premises' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  description?: string;
}

export class PutPlacementPolicyDto extends TenantQuery {
  @ApiProperty({
    type: [PlacementRuleDto],
    description: 'Every rule holds, for orders with or without a placement',
  })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => PlacementRuleDto)
  rules!: PlacementRuleDto[];

  @ApiPropertyOptional({
    enum: PLACEMENT_STRATEGIES,
    default: 'cheapest',
    description: 'How Switchyard chooses among allowed environments when an order leaves placement out',
  })
  @IsOptional()
  @IsIn(PLACEMENT_STRATEGIES)
  strategy?: (typeof PLACEMENT_STRATEGIES)[number];
}

export class PlacementPolicyDto {
  @ApiProperty({ example: 'default' }) tenant!: string;
  @ApiProperty({ type: [PlacementRuleDto] }) rules!: PlacementRuleDto[];
  @ApiProperty({ enum: PLACEMENT_STRATEGIES }) strategy!: string;
}

export class PlacementReasonDto {
  @ApiProperty({ enum: ['policy', 'entitlement', 'quota', 'price'] }) kind!: string;
  @ApiProperty({ example: 'rule 1: db goes only to environments tagged on-prem' }) message!: string;
}

export class PlacementCandidateDto {
  @ApiProperty({ example: 'vsphere-dc1' }) environment!: string;
  @ApiProperty({ enum: ['chosen', 'allowed', 'refused'] }) verdict!: string;
  @ApiProperty({
    type: MoneyDto,
    nullable: true,
    description: "The tier's monthly cost there; null: not priced",
  })
  monthlyCost!: MoneyDto | null;
  @ApiProperty({ type: [PlacementReasonDto], description: 'Why refused, or why chosen' })
  reasons!: PlacementReasonDto[];
}

export class TierPlacementDto {
  @ApiProperty({ example: 'db' }) tier!: string;
  @ApiProperty({ example: 'vsphere-dc1' }) chosen!: string;
  @ApiProperty({ type: [PlacementCandidateDto], description: 'Every environment considered, by name' })
  candidates!: PlacementCandidateDto[];
}

export class PlacementExplanationDto {
  @ApiProperty({ format: 'uuid' }) deploymentId!: string;
  @ApiProperty({ enum: PLACEMENT_STRATEGIES }) strategy!: string;
  @ApiProperty({ type: [TierPlacementDto] }) tiers!: TierPlacementDto[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '../../blueprints/blueprint-plan.dto.js';
import { NAME_PATTERN, NAME_RULE } from '../../common/names.js';
import { PageQuery } from '../../common/pagination.js';
import { NAME_OR_PATTERN, NAME_OR_PATTERN_RULE } from '../entitlements/name-pattern.util.js';

export const APPROVAL_STATES = ['pending', 'approved', 'rejected', 'expired'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];

export class MoneyLimitDto {
  @ApiProperty({ example: '500.00', description: 'Exact decimal string' })
  @IsString()
  @Matches(/^(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?$/, { message: 'must be a decimal with up to 2 places' })
  amount!: string;

  @ApiProperty({ example: 'USD' })
  @IsString()
  @Matches(/^[A-Z]{3}$/, { message: 'must be a 3-letter currency code' })
  currency!: string;
}

export class CreateApprovalRuleDto {
  @ApiProperty({ example: 'big-spend' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "Admins: the tenant the rule is for (default: the caller's)",
  })
  @IsOptional()
  @IsUUID()
  tenantId?: string;

  @ApiPropertyOptional({ type: MoneyLimitDto, description: 'Orders whose monthly estimate is above this' })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyLimitDto)
  monthlyCostAbove?: MoneyLimitDto;

  @ApiPropertyOptional({ type: [String], example: ['vsphere-*'], description: 'Orders placing a tier here' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(NAME_OR_PATTERN, { each: true, message: NAME_OR_PATTERN_RULE })
  environments?: string[];

  @ApiPropertyOptional({ type: [String], example: ['hpc-*'], description: 'Orders of these blueprints' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(NAME_OR_PATTERN, { each: true, message: NAME_OR_PATTERN_RULE })
  blueprints?: string[];

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 43_200,
    default: 4320,
    description: 'A pending approval expires after',
  })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(43_200)
  expiresAfterMinutes?: number;
}

export class UpdateApprovalRuleDto {
  @ApiPropertyOptional({ type: MoneyLimitDto, nullable: true, description: 'null: any cost' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyLimitDto)
  monthlyCostAbove?: MoneyLimitDto | null;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null: anywhere' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(NAME_OR_PATTERN, { each: true, message: NAME_OR_PATTERN_RULE })
  environments?: string[] | null;

  @ApiPropertyOptional({ type: [String], nullable: true, description: 'null: any blueprint' })
  @ValidateIf((_, v) => v !== null)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @Matches(NAME_OR_PATTERN, { each: true, message: NAME_OR_PATTERN_RULE })
  blueprints?: string[] | null;

  @ApiPropertyOptional({ minimum: 1, maximum: 43_200, description: 'For approvals opened from now on' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(43_200)
  expiresAfterMinutes?: number;
}

export class ApprovalRuleDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ type: MoneyDto, nullable: true }) monthlyCostAbove!: MoneyDto | null;
  @ApiProperty({ type: [String], nullable: true }) environments!: string[] | null;
  @ApiProperty({ type: [String], nullable: true }) blueprints!: string[] | null;
  @ApiProperty() expiresAfterMinutes!: number;
  @ApiProperty() createdAt!: string;
}

export class ApprovalListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: APPROVAL_STATES })
  @IsOptional()
  @IsIn(APPROVAL_STATES)
  state?: ApprovalState;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  deploymentId?: string;
}

export class ApprovalDecisionDto {
  @ApiPropertyOptional({ example: 'within the quarter’s budget', description: 'Required to reject' })
  @IsOptional()
  @IsString()
  @Length(1, 1000)
  reason?: string;
}

export class ApprovalReasonDto {
  @ApiProperty({ example: 'big-spend' }) rule!: string;
  @ApiProperty({ example: 'monthly cost 612.00 USD is above 500 USD' }) message!: string;
}

export class ApprovalPersonDto {
  @ApiProperty({ type: String, format: 'uuid', nullable: true }) id!: string | null;
  @ApiProperty() name!: string;
}

export class ApprovalDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) tenantId!: string;
  @ApiProperty({ format: 'uuid' }) deploymentId!: string;
  @ApiProperty() deploymentName!: string;
  @ApiProperty({ example: 'three-tier-shop@1.2.0' }) blueprint!: string;
  @ApiProperty({ enum: APPROVAL_STATES }) state!: ApprovalState;
  @ApiProperty({ type: [ApprovalReasonDto], description: 'Why the order waits: one per rule that holds it' })
  reasons!: ApprovalReasonDto[];
  @ApiProperty({ type: ApprovalPersonDto }) requestedBy!: ApprovalPersonDto;
  @ApiProperty({ type: MoneyDto }) monthlyCost!: MoneyDto;
  @ApiProperty() expiresAt!: string;
  @ApiProperty({ type: ApprovalPersonDto, nullable: true }) decidedBy!: ApprovalPersonDto | null;
  @ApiProperty({ type: String, nullable: true }) decisionReason!: string | null;
  @ApiProperty({ type: String, nullable: true }) decidedAt!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty({
    description: 'Whether the caller may approve or reject it: operators and admins, never its orderer',
  })
  mayDecide!: boolean;
}

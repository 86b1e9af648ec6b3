import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  DEPLOYMENT_ACTIONS,
  DEPLOYMENT_STATES,
  type DeploymentAction,
  type DeploymentState,
} from '@switchyard/core/deployments';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  Max,
  MaxLength,
  Min,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { IsOmittable } from '../common/is-omittable.decorator.js';
import { MaxKeys } from '../common/max-keys.decorator.js';
import { NAME_PATTERN, NAME_RULE } from '../common/names.js';
import { PageQuery } from '../common/pagination.js';
import { QueryBoolean } from '../common/query-boolean.js';

export const PLACEMENT_STRATEGIES = ['best-value', 'fastest', 'cheapest-meeting-slo'] as const;
export type PlacementStrategy = (typeof PLACEMENT_STRATEGIES)[number];

export class OrderPlacementDto {
  @ApiPropertyOptional({
    example: 'aws-us-east-1',
    description: 'Environment of every tier not named below (required unless a strategy chooses it)',
  })
  @ValidateIf((o: OrderPlacementDto) => o.strategy === undefined || o.default !== undefined)
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  default?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { db: 'vsphere-dc1' },
    description: 'Environment per tier',
  })
  @IsOptional()
  @IsObject()
  tiers?: Record<string, string>;

  @ApiPropertyOptional({
    enum: PLACEMENT_STRATEGIES,
    description:
      'Let the latest benchmark results of this blueprint choose the environment among `among` (instead of `default`)',
  })
  @IsOptional()
  @IsIn(PLACEMENT_STRATEGIES)
  strategy?: PlacementStrategy;

  @ApiPropertyOptional({
    type: [String],
    example: ['vsphere-dc1', 'aws-us-east-1'],
    description: 'With strategy: the environments to choose from',
  })
  @ValidateIf((o: OrderPlacementDto) => o.strategy !== undefined || o.among !== undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @IsString({ each: true })
  @Matches(NAME_PATTERN, { each: true, message: NAME_RULE })
  among?: string[];
}

export class CreateOrderDto {
  @ApiProperty({ example: 'three-tier-shop@^1.0', description: 'name@range (latest, ^1.2, 1.2.3)' })
  @IsString()
  @MaxLength(200)
  blueprint!: string;

  @ApiProperty({ example: 'shop-staging' })
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  name!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { appCount: 2, dbPassword: 's3cret!' },
    description: "Values of the blueprint's parameters (secrets are sealed and never shown again)",
  })
  @IsOptional()
  @IsObject()
  // a blueprint has at most 100 parameters (its schema's maxProperties)
  @MaxKeys(100)
  parameters?: Record<string, unknown>;

  @ApiPropertyOptional({
    type: OrderPlacementDto,
    description:
      "Left out: Switchyard chooses per tier under the tenant's placement policy and records why (GET /deployments/{id}/placement)",
  })
  // ValidateNested alone lets a null through
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => OrderPlacementDto)
  placement?: OrderPlacementDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 8760, description: 'Lease: terminate after this many hours' })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(8760)
  leaseHours?: number;

  @ApiPropertyOptional({ default: true, description: 'Remove what was made when a step fails' })
  @IsOptional()
  @IsBoolean()
  rollbackOnFailure?: boolean;
}

export class DeploymentActionDto {
  @ApiProperty({ enum: DEPLOYMENT_ACTIONS })
  @IsIn(DEPLOYMENT_ACTIONS)
  action!: DeploymentAction;

  @ApiPropertyOptional({ description: 'scale: the tier' })
  @IsOptional()
  @IsString()
  @Matches(NAME_PATTERN, { message: NAME_RULE })
  tier?: string;

  @ApiPropertyOptional({ description: 'scale: the new instance count' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1000)
  count?: number;
}

export class DeploymentListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: DEPLOYMENT_STATES })
  @IsOptional()
  @IsIn(DEPLOYMENT_STATES)
  state?: DeploymentState;

  @ApiPropertyOptional({ description: 'Blueprint name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  blueprint?: string;

  @ApiPropertyOptional({ description: 'Only deployments with a tier on this environment' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  environment?: string;

  @ApiPropertyOptional({
    description: 'Only deployments the caller’s user ordered: those a member may act on',
    default: false,
  })
  @IsOptional()
  @IsBoolean()
  @QueryBoolean()
  mine?: boolean;

  @ApiPropertyOptional({ description: 'Part of the deployment name (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  q?: string;
}

export class EventsQuery {
  @ApiPropertyOptional({ description: 'Only events after this id (as Last-Event-ID)' })
  @IsOptional()
  @Matches(/^\d{1,18}$/, { message: 'must be an event id' })
  after?: string;
}

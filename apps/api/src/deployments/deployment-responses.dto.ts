import { ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';
import { CLOUD_PROVIDERS } from '@switchyard/core/database';
import {
  DEPLOYMENT_ACTIONS,
  DEPLOYMENT_STATES,
  DEPLOYMENT_STEPS,
  type DeploymentAction,
  type DeploymentState,
  type DeploymentStep,
} from '@switchyard/core/deployments';
import { CostEstimateDto, MoneyDto, PROVIDERS } from '../blueprints/blueprint-plan.dto.js';

// The answers of the deployment routes: the OpenAPI document describes them from these classes,
// and the services' return types are checked against them (deployment-view.util.ts builds them).

export class LeftInstanceDto {
  @ApiProperty({ example: 'db' }) tier!: string;
  @ApiProperty({ example: 0 }) index!: number;
  @ApiProperty({ example: 'vsphere-dc1' }) environment!: string;
  @ApiProperty({ enum: CLOUD_PROVIDERS, description: "The cloud account's provider" }) provider!: string;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'null when its create never answered (it may still exist on the cloud)',
  })
  cloudId!: string | null;
}

export class DeploymentFailureDto {
  @ApiProperty({ enum: DEPLOYMENT_STEPS, description: 'The step that failed' }) step!: DeploymentStep;
  @ApiPropertyOptional({ example: 'db' }) tier?: string;
  @ApiPropertyOptional({ example: 'vsphere-dc1' }) environment?: string;
  @ApiPropertyOptional({ enum: CLOUD_PROVIDERS, description: "The cloud account's provider" })
  provider?: string;
  @ApiPropertyOptional({ example: 'InsufficientInstanceCapacity', description: "The cloud's own error code" })
  cloudCode?: string;
  @ApiProperty({ example: 'no capacity for t3.large in us-east-1a' }) message!: string;
  @ApiPropertyOptional({
    type: [LeftInstanceDto],
    description: 'A rollback or terminate that could not finish: the instances it left, for an operator',
  })
  left?: LeftInstanceDto[];
  @ApiPropertyOptional({
    type: () => DeploymentFailureDto,
    description: 'For a failed rollback: the failure that started it',
  })
  cause?: DeploymentFailureDto;
}

export class BlueprintVersionRefDto {
  @ApiProperty({ example: 'three-tier-shop' }) name!: string;
  @ApiProperty({ example: '1.2.0' }) version!: string;
}

// what the deployment's instances bill (apps/api/src/costs): compute and disk while an instance
// exists, disk alone while the deployment is stopped, nothing once it is terminated
export class DeploymentCostDto {
  @ApiProperty({
    type: MoneyDto,
    description: 'What its instances bill now, per hour (0 when none is left: terminated, rolled back)',
  })
  hourly!: MoneyDto;
  @ApiProperty({ type: MoneyDto, description: 'The same for a month of 730 hours' }) monthly!: MoneyDto;
  @ApiProperty({
    type: MoneyDto,
    description: 'Each instance from its creation to its termination at its tier’s price, to the cent',
  })
  soFar!: MoneyDto;
}

export class DeploymentSummaryDto {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ example: 'shop-staging' }) name!: string;
  @ApiProperty({ enum: DEPLOYMENT_STATES }) state!: DeploymentState;
  @ApiProperty({ type: BlueprintVersionRefDto }) blueprint!: BlueprintVersionRefDto;
  @ApiProperty({ type: [String], example: ['aws-us-east-1', 'vsphere-dc1'] }) environments!: string[];
  @ApiProperty({ type: DeploymentCostDto }) cost!: DeploymentCostDto;
  @ApiProperty({ type: DeploymentFailureDto, nullable: true, description: 'Why the last step failed' })
  failure!: DeploymentFailureDto | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class DeploymentPageDto {
  @ApiProperty({ type: [DeploymentSummaryDto] }) items!: DeploymentSummaryDto[];
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Pass as ?cursor= for the next page; null on the last',
  })
  nextCursor!: string | null;
}

export class DeploymentInstanceDto {
  @ApiProperty({ example: 0 }) index!: number;
  @ApiProperty({ example: 'aws-us-east-1' }) environment!: string;
  @ApiProperty({ enum: CLOUD_PROVIDERS, description: "The cloud account's provider" }) provider!: string;
  @ApiProperty({ type: String, nullable: true, example: 'i-0abc123', description: "The cloud's id" })
  resourceId!: string | null;
  @ApiProperty({ type: String, nullable: true, example: '10.20.0.5' }) address!: string | null;
  @ApiProperty({
    enum: [
      'planned',
      'creating',
      'pending',
      'running',
      'stopped',
      'terminating',
      'terminated',
      'missing',
      'error',
    ],
  })
  state!: string;
}

export class RuleEnforcementDto {
  @ApiProperty({ example: 'deny-all' }) ruleId!: string;
  @ApiProperty({ example: 'deny-all: deny in any protocol from anywhere' }) text!: string;
  @ApiProperty({
    enum: ['security-group', 'nftables'],
    isArray: true,
    example: ['nftables'],
    description:
      "What enforces the rule: the tier's security group on its cloud, and nftables in every VM of the tier " +
      '(loaded from its cloud-init, kept current by its policy pull). Never empty: a rule nothing enforces fails the order',
  })
  mechanisms!: string[];
  @ApiPropertyOptional({
    example: 'a vSphere port group filters no traffic, so it refuses nothing this rule denies',
    description: 'Why the security group does not enforce it, when it does not',
  })
  securityGroupGap?: string;
}

export class TierEnforcementDto {
  @ApiProperty({ enum: PROVIDERS, example: 'vsphere' }) cloud!: string;
  @ApiProperty({ example: 'sg-0a1b2c3d', description: "The cloud's id of the tier's security group" })
  securityGroup!: string;
  @ApiProperty({ type: [RuleEnforcementDto], description: "Each rule of the tier's policy, in order" })
  rules!: RuleEnforcementDto[];
}

export class DeploymentTierDto {
  @ApiProperty({ example: 'db' }) tier!: string;
  @ApiProperty({ example: 'vsphere-dc1' }) environment!: string;
  @ApiProperty({ enum: PROVIDERS }) provider!: string;
  @ApiProperty({ example: 1 }) count!: number;
  @ApiProperty({ example: 't3.medium' }) instanceType!: string;
  @ApiProperty({ example: 'ami-0c7217cdde317cfec' }) image!: string;
  @ApiProperty({ type: CostEstimateDto, description: 'What the tier’s instances bill now' })
  cost!: CostEstimateDto;
  @ApiProperty({ type: [DeploymentInstanceDto], description: 'Those not terminated' })
  instances!: DeploymentInstanceDto[];
  @ApiProperty({
    type: TierEnforcementDto,
    nullable: true,
    description:
      "Which mechanism enforces each rule of the tier's policy; null until the network step made it",
  })
  enforcement!: TierEnforcementDto | null;
}

export class DeploymentNetworkDto {
  @ApiProperty({ example: 'd-1a2b3c4d5e6f-aws-us-east-1' }) fabricNetwork!: string;
  @ApiProperty({ example: '10.20.0.0/24' }) subnet!: string;
}

export class PlacementChoiceDto {
  @ApiProperty({ enum: ['best-value', 'fastest', 'cheapest-meeting-slo'] }) strategy!: string;
  @ApiProperty({ type: [String] }) among!: string[];
  @ApiProperty({
    example: 'vsphere-dc1: 1,240 req/s per $/h (95% CI 1,180–1,300) over aws-us-east-1: 610 (590–640)',
  })
  reason!: string;
  @ApiProperty({ type: [String], description: 'The benchmarks whose results decided' })
  benchmarkIds!: string[];
}

export class DeploymentPlacementDto {
  @ApiProperty({ example: 'aws-us-east-1' }) default!: string;
  @ApiPropertyOptional({ type: PlacementChoiceDto, description: 'Set when a strategy chose the environment' })
  choice?: PlacementChoiceDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { db: 'vsphere-dc1' },
  })
  tiers?: Record<string, string>;
}

export class DeploymentDetailDto extends DeploymentSummaryDto {
  @ApiProperty({ enum: DEPLOYMENT_STEPS, description: 'The step running, or the last one' })
  step!: DeploymentStep;
  @ApiProperty({ enum: DEPLOYMENT_ACTIONS, isArray: true, description: 'What the state allows now' })
  allowedActions!: readonly DeploymentAction[];
  @ApiProperty({
    description: 'Whether the caller may act on it at all (members: only on what they ordered)',
  })
  mayAct!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { appCount: 2, dbPassword: '********' },
    description: 'The values ordered; secrets as ********',
  })
  parameters!: Record<string, unknown>;
  @ApiProperty({ type: DeploymentPlacementDto }) placement!: DeploymentPlacementDto;
  @ApiProperty() rollbackOnFailure!: boolean;
  @ApiProperty({ type: Number, nullable: true }) leaseHours!: number | null;
  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'The reconciler terminates the deployment at this time',
  })
  leaseExpiresAt!: string | null;
  @ApiProperty({
    type: 'array',
    items: { type: 'array', items: { type: 'string' } },
    example: [['db'], ['app'], ['web']],
    description: 'Tiers in provisioning order',
  })
  stages!: string[][];
  @ApiProperty({ type: [DeploymentTierDto] }) tiers!: DeploymentTierDto[];
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(DeploymentNetworkDto) },
    description: 'Per environment',
  })
  networks!: Record<string, DeploymentNetworkDto>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    example: { url: 'http://10.20.0.5' },
  })
  outputs!: Record<string, string>;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) runningAt!: string | null;
  @ApiProperty({ type: String, format: 'date-time', nullable: true }) endedAt!: string | null;
}

export class DeploymentEventDto {
  @ApiProperty({ example: '42', description: 'Increasing; resume a stream from it (Last-Event-ID)' })
  id!: string;
  @ApiProperty({ example: 'state' }) type!: string;
  @ApiProperty({ example: 'network done; deployment is provisioning' }) message!: string;
  @ApiProperty({ type: 'object', additionalProperties: true }) data!: Record<string, unknown>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class DeploymentEventListDto {
  @ApiProperty({ type: [DeploymentEventDto], description: 'Oldest first, up to 500' })
  items!: DeploymentEventDto[];
  @ApiProperty({ type: String, nullable: true, description: 'Always null: resume with ?after=' })
  nextCursor!: null;
}

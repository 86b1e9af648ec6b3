// Shapes of answers the OpenAPI document describes without a schema (lists and a few views).
// The request side and every path stay typed by the generated client.
import type { ParameterSpec } from '@switchyard/blueprints/parameter-checks';
import type { components } from './schema';

type S = components['schemas'];

export type Role = 'admin' | 'operator' | 'member';
export type Money = S['MoneyDto'];
// a list item: the summary and its "from" price
export type BlueprintSummary = S['BlueprintListItemDto'];
export type BlueprintDetail = S['BlueprintDetailDto'];
export type Plan = S['PlanDto'];
export type TierPlan = S['TierPlanDto'];
export type CloudAccount = S['CloudAccountDto'];
export type CloudAccountTest = S['CloudAccountTestDto'];
export type CloudOrphan = S['CloudOrphanDto'];
export type Environment = S['EnvironmentDto'];
export type EnvironmentCatalog = S['EnvironmentCatalogResponseDto'];
export type CreatedToken = S['CreatedTokenDto'];
export type SignIn = S['SignInDto'];
export type WebSession = S['WebSessionDto'];
export type SelfCheck = S['SelfCheckDto'];
export type User = S['UserDto'];
export type Provider = CloudAccount['provider'];

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface Me {
  user: { id: string; name: string };
  tenant: { id: string; name: string };
  role: Role;
  tokenId: string;
}

export type TokenRow = Omit<CreatedToken, 'token'>;

export type AuditEntry = S['AuditEntryDto'];

// the blueprint format's own declaration (libs/blueprints)
export type { ParameterSpec, ParameterType } from '@switchyard/blueprints/parameter-checks';

export interface BlueprintTier {
  uses?: string;
  count?: number | string;
  size?: { cpu?: number; memoryMiB?: number; diskGiB?: number };
  image?: { os: string; version: string };
  dependsOn?: string[];
  ports?: string[];
  env?: Record<string, string>;
}

/** A blueprint version's text as JSON (GET …/versions/{v} with Accept: application/json). */
export interface BlueprintDocument {
  kind: 'Blueprint' | 'Service';
  metadata: { name: string; version: string; title: string; description?: string };
  parameters?: Record<string, ParameterSpec>;
  tiers?: Record<string, BlueprintTier>;
  connections?: { from: string; to: string; ports?: string[] }[];
  outputs?: Record<string, string>;
}

export type DeploymentAction = 'stop' | 'start' | 'restart' | 'scale' | 'terminate';

export interface DeploymentSummary {
  id: string;
  name: string;
  state: string;
  blueprint: { name: string; version: string };
  environments: string[];
  cost: { hourly: Money; monthly: Money; soFar: Money };
  failure: DeploymentFailure | null;
  createdAt: string;
  updatedAt: string;
}

/** Why a deployment failed: the step, where, and the cloud's own error. */
export interface DeploymentFailure {
  step: string;
  tier?: string;
  environment?: string;
  provider?: string;
  cloudCode?: string;
  message: string;
}

export interface DeploymentInstance {
  index: number;
  environment: string;
  provider: string;
  resourceId: string | null;
  address: string | null;
  state: string;
}

/** One rule of a tier's policy and what enforces it: the cloud's security group, nftables in the guest. */
export interface RuleEnforcement {
  ruleId: string;
  text: string;
  mechanisms: ('security-group' | 'nftables')[];
  /** Why the security group does not enforce it, when it does not. */
  securityGroupGap?: string;
}

export interface TierEnforcement {
  cloud: string;
  securityGroup: string;
  rules: RuleEnforcement[];
}

export interface DeploymentDetail extends DeploymentSummary {
  step: string;
  allowedActions: DeploymentAction[];
  /** Whether the caller may act on it at all (members: only on what they ordered). */
  mayAct: boolean;
  parameters: Record<string, unknown>;
  leaseHours: number | null;
  leaseExpiresAt: string | null;
  /** Where the tiers went; `choice` when a strategy chose it from benchmark results, and why. */
  placement: S['DeploymentPlacementDto'];
  stages: string[][];
  tiers: {
    tier: string;
    environment: string;
    provider: string;
    count: number;
    instanceType: string;
    image: string;
    cost: { hourly: Money; monthly: Money };
    instances: DeploymentInstance[];
    /** Which mechanism enforces each rule of the tier's policy; null before the network step. */
    enforcement: TierEnforcement | null;
  }[];
  outputs: Record<string, string>;
  runningAt: string | null;
  endedAt: string | null;
}

export interface DeploymentEvent {
  id: string;
  type: string;
  message: string;
  data: unknown;
  createdAt: string;
}

export type Approval = S['ApprovalDto'];
export type Benchmark = S['BenchmarkDto'];
export type BenchmarkCandidate = Benchmark['candidates'][number];

import type { ExpandedBlueprint, ParameterValue, TierImage, TierSize } from '../blueprint.types.js';
import type { Problem } from '../problem.types.js';
import type { Money } from './money.util.js';

export type CloudProvider = 'aws' | 'openstack' | 'vsphere' | 'linux-host';

export interface InstanceTypeOffer {
  name: string;
  cpu: number;
  memoryMiB: number;
  // Decimal string in the environment's currency, e.g. "0.0416".
  hourlyPrice: string;
}

export interface ImageOffer {
  os: string;
  version: string;
  imageId: string;
}

export interface EnvironmentCatalog {
  name: string;
  provider: CloudProvider;
  region?: string;
  // ISO 4217 code, e.g. USD.
  currency: string;
  instanceTypes: InstanceTypeOffer[];
  images: ImageOffer[];
  // Per GiB and month, decimal string; without it disks are not priced.
  storageGiBMonthPrice?: string;
}

export interface Placement {
  default: string;
  tiers?: Record<string, string>;
}

export interface PlanInput {
  blueprint: ExpandedBlueprint;
  parameters: Readonly<Record<string, ParameterValue>>;
  placement: Placement;
  environments: Readonly<Record<string, EnvironmentCatalog>>;
  /** Per tier, an instance type chosen by name (a benchmark's candidate): used even if smaller than the size. */
  instanceTypes?: Readonly<Record<string, string>>;
}

export interface CostEstimate {
  hourly: Money;
  monthly: Money;
}

/** A monthly estimate split into the instances' compute and their disks. */
export interface MonthlySplit {
  compute: Money;
  disk: Money;
}

export interface TierPlan {
  tier: string;
  stage: number;
  environment: string;
  provider: CloudProvider;
  region?: string;
  count: number;
  size: TierSize;
  requestedImage: TierImage;
  instanceType: { name: string; cpu: number; memoryMiB: number; hourlyPrice: Money };
  image: ImageOffer;
  perInstance: CostEstimate;
  total: CostEstimate;
  // total.monthly split: all instances' compute, all instances' disks
  monthly: MonthlySplit;
}

export interface PolicyRulePlan {
  ruleId: string;
  direction: 'in';
  // Contiv semantics: 1..100, higher wins, deny wins a tie.
  priority: number;
  action: 'allow' | 'deny';
  // At most one source; none means any source.
  fromEndpointGroup?: string;
  fromIpAddress?: string;
  // '' means any protocol; port 0 means any port.
  protocol: 'tcp' | 'udp' | '';
  port: number;
}

export interface FabricPlan {
  networks: { environment: string }[];
  endpointGroups: { tier: string; environment: string }[];
  policies: { tier: string; rules: PolicyRulePlan[] }[];
}

export interface DeploymentPlan {
  blueprint: { name: string; version: string };
  currency: string;
  stages: string[][];
  tiers: TierPlan[];
  total: CostEstimate;
  monthly: MonthlySplit;
  fabric: FabricPlan;
}

export type PlanResult = { ok: true; plan: DeploymentPlan } | { ok: false; problems: Problem[] };

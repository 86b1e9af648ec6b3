/** The parts of the API's deployment answers the CLI shows. */
export interface DeploymentSummary {
  id: string;
  name: string;
  state: string;
  blueprint: { name: string; version: string };
  environments: string[];
  cost: { hourly: Money; monthly: Money; soFar: Money };
  failure: { step: string; tier?: string; environment?: string; message: string } | null;
  createdAt: string;
}

export interface Money {
  amount: string;
  currency: string;
}

export interface DeploymentDetail extends DeploymentSummary {
  step: string;
  allowedActions: string[];
  tiers: {
    tier: string;
    environment: string;
    provider: string;
    count: number;
    instanceType: string;
    instances: { index: number; resourceId: string | null; address: string | null; state: string }[];
  }[];
  outputs: Record<string, string>;
}

export interface DeploymentEvent {
  id: string;
  type: string;
  message: string;
  createdAt: string;
}

export const SETTLED = ['running', 'stopped', 'failed', 'terminated'];

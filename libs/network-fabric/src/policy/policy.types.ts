import type { EndpointGroupConfig, NetworkConfig, RuleConfig } from '../model/objects.model.js';

/** What the verdict and the compiled rulesets need of one tenant's config and endpoints. */
export interface PolicyState {
  groups: Pick<EndpointGroupConfig, 'groupName' | 'networkName' | 'ipPool' | 'policies'>[];
  networks: Pick<NetworkConfig, 'networkName' | 'subnet'>[];
  rules: RuleConfig[];
  endpoints: { ipAddress: string; groupName: string; networkName: string }[];
}

export interface VerdictQuery {
  /** A group name, a network name or an IPv4 address. */
  from: string;
  to: string;
  /** tcp, udp, icmp or a number; empty: the question is about traffic of no particular protocol. */
  protocol?: string;
  /** 0 or absent: no particular port. */
  port?: number;
}

export interface DecidingRule {
  policy: string;
  ruleId: string;
  priority: number;
  direction: 'in' | 'out';
}

export interface Verdict {
  action: 'allow' | 'deny';
  decidedBy: DecidingRule | 'default allow';
}

/** Who a packet comes from or goes to, as far as rules can tell. */
export interface Party {
  group?: string;
  network?: string;
  ip?: bigint;
}

import type { EntityManager } from 'typeorm';
import type { RuleConfig } from '../model/objects.model.js';

// Requests and answers of the typed API (see Fabric). Every request names its tenant by id, as
// the rest of Switchyard does; Contiv's REST API names tenants, and its edge asks tenantIdOf.

export interface TenantScoped {
  tenantId: string;
}

export interface EndpointKey extends TenantScoped {
  key: string;
}

/** A deployment's network in one address space: its fabric network and the block it was cut. */
export interface DeploymentNetworkRequest extends TenantScoped {
  /** The fabric network's name. */
  network: string;
  /** The IPv4 block (/24 or larger) networks are cut from, e.g. an environment's addressPool. */
  addressPool: string;
  /** What shares the addresses (a cloud account): networks of one space never overlap. */
  addressSpace: string;
}

export interface DeploymentSubnet {
  network: string;
  /** The whole /24 (what a cloud gets); the fabric hands out .10-.250 of it. */
  cidr: string;
  gateway: string;
}

/**
 * Who else holds blocks of an address space. A cloud's subnet can outlive its fabric network (a
 * removal that failed), so the fabric asks its caller, under the space's lock, besides its own
 * networks; and lets it record the new block before the lock is released.
 */
export interface SubnetClaims {
  /** CIDRs held in the space by others than the tenant's fabric networks. */
  heldElsewhere(em: EntityManager): Promise<string[]>;
  /** Records the new network's block as held, in the same transaction. */
  record(em: EntityManager, subnet: DeploymentSubnet): Promise<void>;
}

export interface NetworkKey extends TenantScoped {
  network: string;
}

/** A network's encapsulation and its tag (VXLAN id or VLAN), as the fabric allocated it. */
export interface NetworkSegment {
  encap: 'vlan' | 'vxlan';
  tag: number;
}

export interface EndpointGroupRequest extends TenantScoped {
  group: string;
  network: string;
}

/** A rule of a policy in Contiv's fields; the tenant and the policy come from the request. */
export type PolicyRule = Pick<RuleConfig, 'ruleId' | 'action'> &
  Partial<Omit<RuleConfig, 'tenantName' | 'policyName' | 'ruleId' | 'action'>>;

export interface PolicyRequest extends TenantScoped {
  policy: string;
  rules: readonly PolicyRule[];
}

export interface AttachPoliciesRequest extends TenantScoped {
  group: string;
  /** The group's whole list of policies afterwards. */
  policies: readonly string[];
}

export interface PolicyKey extends TenantScoped {
  policy: string;
}

/** Objects to remove; missing ones are skipped. */
export interface RemoveObjectsRequest extends TenantScoped {
  policies?: readonly string[];
  groups?: readonly string[];
  networks?: readonly string[];
}

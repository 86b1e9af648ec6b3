import type { DataSource, EntityManager } from 'typeorm';
import { formatSubnetBlock, parseSubnet } from '../addressing/subnet.util.js';
import { FabricError, FabricErrorCode } from '../errors/fabric.exception.js';
import {
  type AddressRelease,
  type AddressRequest,
  type AllocatedAddress,
  allocateAddress,
  allocateEndpoint,
  type Endpoint,
  type EndpointRequest,
  releaseAddress,
  releaseEndpoint,
  requireEndpoint,
} from '../ipam/addresses.service.js';
import { lockAddressSpace, lockTenantNetworks } from '../ipam/subnet-pool.repository.js';
import { tagsOfNetwork } from '../tags/tags.repository.js';
import { nextSubnet } from '../ipam/subnet-pool.util.js';
import type { EndpointGroupConfig, NetworkConfig, ObjectKind } from '../model/objects.model.js';
import { compilePolicy } from '../policy/security-rules.service.js';
import { compilePolicyState } from '../policy/compiled-policy.util.js';
import type { CompiledSecurityRules } from '../policy/security-rules.util.js';
import { FabricService } from '../control/fabric.service.js';
import {
  findObject,
  listObjects,
  requireTenant,
  requireTenantById,
  type TenantRow,
} from '../store/config.repository.js';
import { type Db, fabricTransaction } from '../store/db.util.js';
import type {
  AttachPoliciesRequest,
  DeploymentNetworkRequest,
  DeploymentSubnet,
  EndpointGroupRequest,
  EndpointKey,
  NetworkKey,
  NetworkSegment,
  PolicyKey,
  PolicyRequest,
  RemoveObjectsRequest,
  SubnetClaims,
  TenantScoped,
} from './fabric.types.js';

/**
 * The fabric's typed API for Switchyard's own code: addresses and endpoints, deployment networks
 * cut from address pools, groups and policies, and policies compiled for cloud security groups.
 * Tenants are keyed by id. Each call runs in one transaction: the caller's when an EntityManager
 * inside a transaction is passed, else a new one.
 */
export class Fabric {
  private readonly objects: FabricService;

  constructor(private readonly dataSource: DataSource) {
    this.objects = new FabricService(dataSource);
  }

  /** The id of the tenant named `name` (Contiv's API names tenants); NOT_FOUND when none. */
  async tenantIdOf(name: string, em?: EntityManager): Promise<string> {
    return (await requireTenant(em ?? this.dataSource.manager, name)).id;
  }

  /** The lowest free IPv4 address of a network (or of a group's pool), or the preferred one. */
  allocateAddress(req: TenantScoped & AddressRequest, em?: EntityManager): Promise<AllocatedAddress> {
    return this.inTenant(req, em, (db, tenant) => allocateAddress(db, tenant, req));
  }

  /** Gives back an address taken with allocateAddress. */
  releaseAddress(req: TenantScoped & AddressRelease, em?: EntityManager): Promise<void> {
    return this.inTenant(req, em, (db, tenant) => releaseAddress(db, tenant, req));
  }

  /** Attaches an endpoint with its addresses; the same request again answers the same endpoint. */
  allocateEndpoint(req: TenantScoped & EndpointRequest, em?: EntityManager): Promise<Endpoint> {
    return this.inTenant(req, em, (db, tenant) => allocateEndpoint(db, tenant, req));
  }

  /** The endpoint with this key; NOT_FOUND when there is none. */
  endpoint(req: EndpointKey, em?: EntityManager): Promise<Endpoint> {
    return this.inTenant(req, em, (db, tenant) => requireEndpoint(db, tenant, req.key));
  }

  /** Detaches the endpoint and frees its addresses; false when there was none. */
  releaseEndpoint(req: EndpointKey, em?: EntityManager): Promise<boolean> {
    return this.inTenant(req, em, (db, tenant) => releaseEndpoint(db, tenant, req.key));
  }

  /**
   * The deployment's network: found by name, or made on the lowest /24 of the address pool that
   * neither the tenant's networks nor the claims of the address space hold (EXHAUSTED when the
   * pool is full). Chosen under a lock per tenant and one per address space, and recorded in
   * `claims` before they are released, so that networks cut together never get the same block.
   */
  ensureDeploymentNetwork(
    req: DeploymentNetworkRequest,
    claims: SubnetClaims,
    em?: EntityManager,
  ): Promise<DeploymentSubnet> {
    return this.inTenant(req, em, async (db, tenant) => {
      await lockTenantNetworks(db, tenant.id);
      await lockAddressSpace(db, req.addressSpace);
      const networks = (await listObjects(db, tenant.id, 'network')).map(
        (r) => r.config as unknown as NetworkConfig,
      );
      const mine = networks.find((n) => n.networkName === req.network);
      if (mine) return { network: req.network, cidr: blockOf(mine.subnet), gateway: mine.gateway };
      const taken = [...networks.map((n) => n.subnet), ...(await claims.heldElsewhere(db))];
      const cut = nextSubnet(req.addressPool, taken);
      if (!cut) {
        throw FabricError.exhausted(`address pool ${req.addressPool} is full`, {
          addressPool: req.addressPool,
        });
      }
      const body = {
        networkName: req.network,
        encap: 'vxlan',
        subnet: cut.fabricSubnet,
        gateway: cut.gateway,
      };
      await this.objects.apply('network', tenant.name, body, db);
      const subnet = { network: req.network, cidr: cut.cidr, gateway: cut.gateway };
      await claims.record(db, subnet);
      return subnet;
    });
  }

  /**
   * How the network is separated on the wire: its encap and the tag the fabric gave it (the VXLAN
   * id of a vxlan network, the VLAN of a vlan one). NOT_FOUND when the network does not exist.
   */
  networkSegment(req: NetworkKey, em?: EntityManager): Promise<NetworkSegment> {
    return this.inTenant(req, em, async (db, tenant) => {
      const row = await findObject(db, tenant.id, 'network', req.network);
      if (!row) throw FabricError.notFound(`network ${req.network}`);
      const encap = (row.config as unknown as NetworkConfig).encap === 'vlan' ? 'vlan' : 'vxlan';
      const tag = (await tagsOfNetwork(db, row.id))[encap];
      if (tag === undefined) throw new Error(`network ${req.network} holds no ${encap} tag`);
      return { encap, tag };
    });
  }

  /** Makes the group in the network unless it exists (an existing one keeps its policies). */
  ensureEndpointGroup(req: EndpointGroupRequest, em?: EntityManager): Promise<void> {
    return this.inTenant(req, em, async (db, tenant) => {
      if (await findObject(db, tenant.id, 'endpointGroup', req.group)) return;
      const body = { groupName: req.group, networkName: req.network, policies: [] };
      await this.objects.apply('endpointGroup', tenant.name, body, db);
    });
  }

  /** Creates or updates the policy and its rules (rules it had and the request lacks stay). */
  applyPolicy(req: PolicyRequest, em?: EntityManager): Promise<void> {
    return this.inTenant(req, em, async (db, tenant) => {
      await this.objects.apply('policy', tenant.name, { policyName: req.policy }, db);
      for (const rule of req.rules) {
        await this.objects.apply('rule', tenant.name, { policyName: req.policy, ...rule }, db);
      }
    });
  }

  /** Sets the group's policies (the group must exist). */
  attachPolicies(req: AttachPoliciesRequest, em?: EntityManager): Promise<void> {
    return this.inTenant(req, em, async (db, tenant) => {
      const group = await this.objects.get('endpointGroup', tenant.name, req.group, db);
      await this.objects.apply('endpointGroup', tenant.name, { ...group, policies: [...req.policies] }, db);
    });
  }

  /** The policy's rules as cloud security-group rules, with those that have no such form. */
  compileSecurityRules(req: PolicyKey, em?: EntityManager): Promise<CompiledSecurityRules> {
    return this.inTenant(req, em, (db, tenant) => compilePolicy(db, tenant, req.policy));
  }

  /**
   * The nftables ruleset the instance at `address` loads: what it needs to judge its own traffic
   * (FabricService.ruleset scoped to the address), read in the caller's transaction or a new one.
   */
  instanceRuleset(req: TenantScoped & { address: string }, em?: EntityManager): Promise<string> {
    return this.inTenant(req, em, (db, tenant) => this.objects.ruleset(tenant.name, req.address, db));
  }

  /** The rulesets of the instances at `addresses` (instanceRuleset of each), from one read and compile. */
  instanceRulesets(
    req: TenantScoped & { addresses: string[] },
    em?: EntityManager,
  ): Promise<Map<string, string>> {
    return this.inTenant(req, em, (db, tenant) =>
      this.objects.instanceRulesets(tenant.name, req.addresses, db),
    );
  }

  /** The `policy:ruleId` of every rule the group's nftables chains hold (its policies' compiled rules). */
  groupRulesInRuleset(req: TenantScoped & { group: string }, em?: EntityManager): Promise<string[]> {
    return this.inTenant(req, em, async (db, tenant) => {
      const compiled = compilePolicyState(await this.objects.loadPolicyState(tenant.name, db));
      const group = compiled.groups.get(req.group);
      return group ? [...group.in, ...group.out].map((r) => `${r.policy}:${r.ruleId}`) : [];
    });
  }

  /**
   * Removes policies (with their rules), groups and networks in the order their references allow:
   * the groups' policies detached first, then policies, groups, networks. Missing ones are skipped;
   * each removal commits on its own (IN_USE stops at the first object still in use).
   */
  async removeObjects(req: RemoveObjectsRequest): Promise<void> {
    const tenant = await findTenantById(this.dataSource.manager, req.tenantId);
    if (!tenant) return;
    for (const group of req.groups ?? []) {
      const config = await this.objects
        .get('endpointGroup', tenant.name, group)
        .catch(skipMissing<EndpointGroupConfig>);
      if (config?.policies.length)
        await this.objects.apply('endpointGroup', tenant.name, { ...config, policies: [] });
    }
    const remove = (kind: ObjectKind, name: string) =>
      this.objects.delete(kind, tenant.name, name).catch(skipMissing<void>);
    for (const policy of req.policies ?? []) await remove('policy', policy);
    for (const group of req.groups ?? []) await remove('endpointGroup', group);
    for (const network of req.networks ?? []) await remove('network', network);
  }

  private inTenant<T>(
    req: TenantScoped,
    em: EntityManager | undefined,
    work: (db: Db, tenant: TenantRow) => Promise<T>,
  ): Promise<T> {
    return fabricTransaction(this.dataSource, em, async (db) =>
      work(db, await requireTenantById(db, req.tenantId)),
    );
  }
}

async function findTenantById(db: Db, id: string): Promise<TenantRow | undefined> {
  return requireTenantById(db, id).catch(skipMissing<TenantRow>);
}

function skipMissing<T>(error: unknown): T | undefined {
  if (error instanceof FabricError && error.code === FabricErrorCode.NotFound) return undefined;
  throw error;
}

/** The CIDR block of a (possibly ranged) subnet. */
function blockOf(subnet: string): string {
  const parsed = parseSubnet(subnet);
  if (!parsed.ok) throw new Error(`stored subnet "${subnet}" does not parse: ${parsed.message}`);
  return formatSubnetBlock(parsed.value);
}

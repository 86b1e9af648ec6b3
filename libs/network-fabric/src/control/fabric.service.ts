import type { DataSource, EntityManager } from 'typeorm';
import { isForeignKeyViolation } from '@switchyard/core/database';
import { FabricError, FabricErrorCode } from '../errors/fabric.exception.js';
import {
  type BgpConfig,
  type ContivEndpointOper,
  type FabricObjectMap,
  type GlobalConfig,
  type ObjectKind,
  type TenantConfig,
  type TenantObjectKind,
} from '../model/objects.model.js';
import { immutableChanges, nameInTenant, parseObject, sameObject } from '../model/validate.util.js';
import { CompiledPolicies, type FabricNotices } from '../policy/compiled-policies.js';
import { decide } from '../policy/compiled-policy.util.js';
import {
  type PolicyState,
  resolveParty,
  type Verdict,
  type VerdictQuery,
  verdict,
} from '../policy/verdict.util.js';
import { checkGlobalChange } from '../tags/tags.service.js';
import * as bgps from '../store/bgp.repository.js';
import * as repo from '../store/config.repository.js';
import { type Db, fabricTransaction, select } from '../store/db.util.js';
import { findEndpointsByKey, listEndpoints, toContivEndpoint } from '../store/endpoint.repository.js';
import { loadPolicyStateFor } from '../policy/policy-state.repository.js';
import { compilePolicyState } from '../policy/compiled-policy.util.js';
import { parseIPv4 } from '../addressing/ip.util.js';
import { renderRuleset } from '../nftables/ruleset.util.js';
import { scopeToInstance } from '../nftables/instance-scope.util.js';
import { globalOper, objectOper, tenantOper } from './inspect.service.js';
import { linksOf, tenantLinkSets } from './links.service.js';
import { afterCreate, beforeCreate } from './object-hooks.service.js';
import { checkNameClash, checkReferences, dependentsOf, tenantContents } from './references.service.js';

/** The outcome of a create-or-update. */
export interface ApplyResult<T> {
  object: T;
  created: boolean;
  /** False when the stored object already equalled the body (a harmless no-op). */
  changed: boolean;
}

/** Contiv's inspect answer: Config carries the `link-sets`/`links` Contiv fills in. */
export interface Inspection<T> {
  Config: T & { 'link-sets'?: object; links?: object };
  Oper: Record<string, unknown>;
}

export const DEFAULT_TENANT = 'default';

/**
 * The fabric's control plane on Postgres in Contiv's object model: what the netctl-compatible REST
 * API serves (Switchyard's own code uses the typed `Fabric` instead). Every method takes the tenant
 * by name, as Contiv's URLs and bodies do (for `global` it is ignored; for `tenant` it is the tenant
 * itself). Mutations run in one transaction: the caller's when an EntityManager inside a
 * transaction is passed, else a new one.
 */
export class FabricService {
  /** Each tenant's compiled policy in memory, when change notices are given. */
  private readonly compiled: CompiledPolicies | undefined;

  constructor(
    private readonly dataSource: DataSource,
    notices?: FabricNotices,
  ) {
    this.compiled = notices
      ? new CompiledPolicies(
          (tenantId) => this.loadPolicyStateOf(this.dataSource.manager, tenantId),
          notices,
          undefined,
          async (name) => (await repo.requireTenant(this.dataSource.manager, name)).id,
        )
      : undefined;
  }

  /** Creates tenant `default` unless it exists. */
  async ensureDefaultTenant(em?: EntityManager): Promise<void> {
    await (em ?? this.dataSource.manager).query(
      `INSERT INTO tenants (name, display_name) VALUES ($1, 'Default') ON CONFLICT (name) DO NOTHING`,
      [DEFAULT_TENANT],
    );
  }

  /** Create or update (Contiv's POST/PUT): identical body is a no-op, immutable fields are refused. */
  async apply<K extends ObjectKind>(
    kind: K,
    tenant: string,
    body: unknown,
    em?: EntityManager,
  ): Promise<ApplyResult<FabricObjectMap[K]>> {
    return this.tx(em, async (db) => {
      if (kind === 'global') return (await this.applyGlobal(db, body)) as ApplyResult<FabricObjectMap[K]>;
      if (kind === 'bgp') return (await this.applyBgp(db, body)) as ApplyResult<FabricObjectMap[K]>;
      const obj = parseObject(kind, bodyForTenant(body, tenant));
      if (kind === 'tenant')
        return (await this.applyTenant(db, obj as TenantConfig)) as ApplyResult<FabricObjectMap[K]>;
      const k = kind as TenantObjectKind;
      const tenantRow = await repo.requireTenant(db, tenant, true);
      const name = nameInTenant(kind, obj);
      const existing = await repo.findObject(db, tenantRow.id, k, name, true);
      if (existing) {
        const before = existing.config as FabricObjectMap[K];
        if (sameObject(kind, before, obj)) return { object: before, created: false, changed: false };
        const issues = immutableChanges(kind, before, obj);
        if (issues.length > 0) {
          throw FabricError.conflict(
            `${kind} "${name}": ${issues.map((i) => i.path).join(', ')} cannot be changed`,
            {
              issues,
            },
          );
        }
      }
      await checkReferences(db, tenantRow, kind, obj);
      if (existing) {
        await repo.updateObject(db, existing.id, obj);
        return { object: obj, created: false, changed: true };
      }
      await checkNameClash(db, tenantRow, kind, name);
      await beforeCreate(db, tenantRow, k, obj);
      const id = await repo.insertObject(db, tenantRow.id, k, name, obj);
      await afterCreate(db, tenantRow, k, obj, id);
      return { object: obj, created: true, changed: true };
    });
  }

  /** One object; `name` is its key inside the tenant (rules: `policy:ruleId`). */
  async get<K extends ObjectKind>(
    kind: K,
    tenant: string,
    name = '',
    em?: EntityManager,
  ): Promise<FabricObjectMap[K]> {
    const db = em ?? this.dataSource.manager;
    if (kind === 'global') return (await repo.readGlobal(db)) as FabricObjectMap[K];
    if (kind === 'bgp') return (await bgps.requireBgp(db, name)) as FabricObjectMap[K];
    const tenantRow = await repo.requireTenant(db, tenant);
    if (kind === 'tenant') return tenantConfig(tenantRow) as FabricObjectMap[K];
    return (await this.requireObject(db, tenantRow, kind as TenantObjectKind, name))
      .config as FabricObjectMap[K];
  }

  /** Objects of a kind in one tenant. */
  async list<K extends ObjectKind>(
    kind: K,
    tenant: string,
    em?: EntityManager,
  ): Promise<FabricObjectMap[K][]> {
    const db = em ?? this.dataSource.manager;
    if (kind === 'bgp') return (await bgps.listBgps(db)) as FabricObjectMap[K][];
    if (kind === 'global' || kind === 'tenant') return [await this.get(kind, tenant, '', db)];
    const tenantRow = await repo.requireTenant(db, tenant);
    return (await repo.listObjects(db, tenantRow.id, kind as TenantObjectKind)).map(
      (r) => r.config as FabricObjectMap[K],
    );
  }

  /** Objects of a kind in every tenant (for admins). */
  async listAll<K extends ObjectKind>(kind: K, em?: EntityManager): Promise<FabricObjectMap[K][]> {
    const db = em ?? this.dataSource.manager;
    if (kind === 'global') return [(await repo.readGlobal(db)) as FabricObjectMap[K]];
    if (kind === 'bgp') return (await bgps.listBgps(db)) as FabricObjectMap[K][];
    if (kind === 'tenant')
      return (await repo.listTenants(db)).map((t) => tenantConfig(t) as FabricObjectMap[K]);
    return (await repo.listObjects(db, null, kind as TenantObjectKind)).map(
      (r) => r.config as FabricObjectMap[K],
    );
  }

  /** Deletes unless something depends on it (IN_USE names what and how many); a policy takes its rules. */
  async delete(kind: ObjectKind, tenant: string, name = '', em?: EntityManager): Promise<void> {
    await this.tx(em, async (db) => {
      if (kind === 'global') throw FabricError.conflict('the global object cannot be deleted');
      if (kind === 'bgp') return bgps.deleteBgp(db, name);
      if (kind === 'tenant') return this.deleteTenant(db, tenant);
      const tenantRow = await repo.requireTenant(db, tenant, true);
      const k = kind as TenantObjectKind;
      const row = await this.requireObject(db, tenantRow, k, name, true);
      // Lock order tenant → network, as allocations take the network row alone.
      if (k === 'endpointGroup')
        await repo.findObject(db, tenantRow.id, 'network', String(row.config.networkName), true);
      const dependents = await dependentsOf(db, tenantRow, k, row);
      if (Object.keys(dependents).length > 0) throw FabricError.inUse(`${kind} "${name}"`, dependents);
      const rules =
        k === 'policy' ? await repo.findReferencing(db, tenantRow.id, 'rule', 'policyName', name, false) : [];
      await repo.deleteObjects(db, [...rules.map((r) => r.id), row.id]);
    });
  }

  /** Config and operational state, as Contiv's inspect answers. */
  async inspect<K extends ObjectKind>(
    kind: K,
    tenant: string,
    name = '',
    em?: EntityManager,
  ): Promise<Inspection<FabricObjectMap[K]>> {
    const db = em ?? this.dataSource.manager;
    if (kind === 'global')
      return { Config: await this.get(kind, tenant, name, db), Oper: await globalOper(db) };
    if (kind === 'bgp') return { Config: await this.get(kind, tenant, name, db), Oper: bgps.bgpOper() };
    const tenantRow = await repo.requireTenant(db, tenant);
    if (kind === 'tenant') {
      const Config = { ...tenantConfig(tenantRow), 'link-sets': await tenantLinkSets(db, tenantRow) };
      return { Config: Config as unknown as FabricObjectMap[K], Oper: await tenantOper(db, tenantRow) };
    }
    const k = kind as TenantObjectKind;
    const row = await this.requireObject(db, tenantRow, k, name);
    return {
      Config: { ...(row.config as FabricObjectMap[K]), ...(await linksOf(db, tenantRow, k, row)) },
      Oper: await objectOper(db, tenantRow, k, row),
    };
  }

  /**
   * Contiv's `inspect/endpoints/ID`: no tenant is given, so the endpoint is found by its id or its
   * container id (a unique prefix of either will do, like docker's short ids) among the tenants
   * listed (null: every tenant). Answers Contiv's `{Oper}`; two matches are a conflict, never a guess.
   */
  async inspectEndpointAnywhere(
    tenants: readonly string[] | null,
    key: string,
    em?: EntityManager,
  ): Promise<{ Oper: ContivEndpointOper }> {
    const found = await findEndpointsByKey(em ?? this.dataSource.manager, tenants, key);
    if (found.length === 0) throw FabricError.notFound(`endpoint "${key}" does not exist`);
    if (found.length > 1) {
      const which = found.map((e) => `${e.endpointID} (tenant ${e.tenantName})`).join(', ');
      throw FabricError.conflict(`"${key}" matches ${found.length} endpoints: ${which}; give more of the id`);
    }
    return { Oper: toContivEndpoint(found[0] as NonNullable<(typeof found)[0]>) };
  }

  /** Everything the verdict reads, of one tenant. */
  async loadPolicyState(tenant: string, em?: EntityManager): Promise<PolicyState> {
    const db = em ?? this.dataSource.manager;
    return this.loadPolicyStateOf(db, (await repo.requireTenant(db, tenant)).id);
  }

  private async loadPolicyStateOf(db: Db, tenantId: string): Promise<PolicyState> {
    const configs = async <K extends TenantObjectKind>(kind: K) =>
      (await repo.listObjects(db, tenantId, kind)).map((r) => r.config as FabricObjectMap[K]);
    const endpoints = (await listEndpoints(db, tenantId)).map((e) => ({
      ipAddress: e.ipv4,
      groupName: e.serviceName,
      networkName: e.networkName,
    }));
    return {
      groups: await configs('endpointGroup'),
      networks: await configs('network'),
      rules: await configs('rule'),
      endpoints,
    };
  }

  /** After a change this process committed in a transaction of its caller's: verdicts see it at once. */
  changedLocally(): void {
    this.compiled?.changed('');
  }

  /**
   * The tenant's nftables ruleset for `nft -f` (renderRuleset of its whole compiled policy); with
   * `instanceAddress`, only what the instance at that address needs to judge its own traffic
   * (scopeToInstance). Read in one snapshot, so the text is of one state of the policy.
   */
  async ruleset(tenant: string, instanceAddress?: string, em?: EntityManager): Promise<string> {
    const ip = instanceAddress === undefined ? undefined : parseIPv4(instanceAddress);
    if (instanceAddress !== undefined && ip === undefined) {
      throw FabricError.invalid([{ path: 'address', message: 'must be an IPv4 address' }]);
    }
    const read = async (db: EntityManager) => {
      const compiled = compilePolicyState(await this.loadPolicyState(tenant, db));
      return renderRuleset(ip === undefined ? compiled : scopeToInstance(compiled, ip), tenant);
    };
    if (em) return read(em);
    return this.dataSource.transaction('REPEATABLE READ', read);
  }

  /**
   * Each address's scoped ruleset (as `ruleset(tenant, address)` answers it), from one compile of
   * one snapshot of the tenant's policy: what a push to many instances of a tenant reads.
   */
  async instanceRulesets(
    tenant: string,
    addresses: string[],
    em?: EntityManager,
  ): Promise<Map<string, string>> {
    const ips = addresses.map((address, i) => {
      const ip = parseIPv4(address);
      if (ip === undefined)
        throw FabricError.invalid([{ path: `addresses[${i}]`, message: 'must be an IPv4 address' }]);
      return ip;
    });
    const read = async (db: EntityManager) => {
      const compiled = compilePolicyState(await this.loadPolicyState(tenant, db));
      return new Map(addresses.map((a, i) => [a, renderRuleset(scopeToInstance(compiled, ips[i]!), tenant)]));
    };
    if (em) return read(em);
    return this.dataSource.transaction('REPEATABLE READ', read);
  }

  /**
   * May `from` reach `to`? With the deciding rule or 'default allow'. From the tenant's compiled
   * policy held in memory (the form the nftables rulesets are written from) when this process hears
   * the fabric's change notices; else it reads only what can decide this query (see
   * loadPolicyStateFor), not the tenant's whole policy state.
   */
  async verdict(tenant: string, query: VerdictQuery, em?: EntityManager): Promise<Verdict> {
    // the tenant's id by name and its compiled policy both from memory: no database round trip
    const compiled = em ? undefined : await this.compiled?.byName(tenant);
    if (compiled) {
      const from = resolveParty(compiled, query.from, 'from');
      const to = resolveParty(compiled, query.to, 'to');
      return decide(compiled, from, to, query.protocol ?? '', query.port ?? 0);
    }
    const db = em ?? this.dataSource.manager;
    const tenantRow = await repo.requireTenant(db, tenant);
    return verdict(await loadPolicyStateFor(db, tenantRow.id, query), query);
  }

  private async applyGlobal(db: Db, body: unknown): Promise<ApplyResult<GlobalConfig>> {
    const next = parseObject('global', body);
    const before = (await repo.readGlobal(db, true)) as GlobalConfig;
    if (sameObject('global', before, next)) return { object: before, created: false, changed: false };
    await checkGlobalChange(db, before, next);
    await repo.writeGlobal(db, next);
    return { object: next, created: false, changed: true };
  }

  private async applyBgp(db: Db, body: unknown): Promise<ApplyResult<BgpConfig>> {
    const next = parseObject('bgp', body);
    const before = await bgps.findBgp(db, next.hostname, true);
    if (before && sameObject('bgp', before, next)) return { object: before, created: false, changed: false };
    await bgps.upsertBgp(db, next);
    return { object: next, created: !before, changed: true };
  }

  private async applyTenant(db: Db, obj: TenantConfig): Promise<ApplyResult<TenantConfig>> {
    const inserted = await select(
      db,
      `INSERT INTO tenants (name) VALUES ($1) ON CONFLICT (name) DO NOTHING RETURNING id`,
      [obj.tenantName],
    );
    const row = await repo.requireTenant(db, obj.tenantName, true);
    const before = tenantConfig(row);
    if (sameObject('tenant', before, obj))
      return { object: before, created: inserted.length > 0, changed: inserted.length > 0 };
    await checkReferences(db, row, 'tenant', obj);
    await db.query(`UPDATE tenants SET default_network = $2, updated_at = now() WHERE id = $1`, [
      row.id,
      obj.defaultNetwork,
    ]);
    return { object: obj, created: inserted.length > 0, changed: true };
  }

  private async deleteTenant(db: Db, tenant: string): Promise<void> {
    if (tenant === DEFAULT_TENANT)
      throw FabricError.conflict(`tenant "${DEFAULT_TENANT}" always exists and cannot be deleted`);
    const row = await repo.findTenant(db, tenant, true);
    if (!row) throw FabricError.notFound(`tenant "${tenant}" does not exist`);
    const contents = await tenantContents(db, row);
    if (Object.keys(contents).length > 0)
      throw FabricError.inUse(`tenant "${tenant}"`, contents, 'still has');
    try {
      await db.query(`DELETE FROM tenants WHERE id = $1`, [row.id]);
    } catch (error) {
      // Users, tokens and audit entries of the tenant keep it (foreign keys we do not own).
      if (isForeignKeyViolation(error)) {
        throw new FabricError(
          FabricErrorCode.InUse,
          `tenant "${tenant}" still has Switchyard records (users, tokens or audit entries)`,
        );
      }
      throw error;
    }
  }

  private async requireObject(
    db: Db,
    tenant: repo.TenantRow,
    kind: TenantObjectKind,
    name: string,
    lock = false,
  ) {
    const row = await repo.findObject(db, tenant.id, kind, name, lock);
    if (!row) throw FabricError.notFound(`${kind} "${name}" does not exist in tenant "${tenant.name}"`);
    return row;
  }

  private tx<T>(em: EntityManager | undefined, work: (db: Db) => Promise<T>): Promise<T> {
    return fabricTransaction(this.dataSource, em, work);
  }
}

function tenantConfig(row: repo.TenantRow): TenantConfig {
  return { tenantName: row.name, defaultNetwork: row.default_network };
}

// Contiv bodies carry tenantName; a missing one takes the request's tenant, a different one is refused.
function bodyForTenant(body: unknown, tenant: string): unknown {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return body;
  const record = body as Record<string, unknown>;
  if (record.tenantName === undefined || record.tenantName === '') return { ...record, tenantName: tenant };
  if (record.tenantName !== tenant) {
    throw FabricError.invalid([
      { path: 'tenantName', message: `must be "${tenant}", the tenant of the request` },
    ]);
  }
  return body;
}

import { type CompiledPolicy, compilePolicyState } from './compiled-policy.util.js';
import type { PolicyState } from './policy.types.js';

/** The channel the fabric tables' triggers notify on commit, with the tenant's id (migration FabricChangeNotify). */
export const FABRIC_CHANGED = 'switchyard_fabric_changed';

/**
 * The channel a tenant renamed or deleted (or the table truncated) notifies on commit, with the
 * table's name as payload: 'tenants' (migration AuthChangeNotify, shared with users and tokens).
 */
export const TENANTS_CHANGED = 'switchyard_auth_changed';

/** What `CompiledPolicies` needs to hear about changes (ChangeNotices in @switchyard/core/database). */
export interface FabricNotices {
  subscribe(
    channel: string,
    listener: { notice(payload: string): void; hearing(hearing: boolean): void },
  ): void;
}

interface Held {
  generation: number;
  compiled: Promise<CompiledPolicy>;
}

/** How a tenant's name is turned into its id; rejects when there is no such tenant. */
export type TenantIdOf = (tenantName: string) => Promise<string>;

/**
 * Each tenant's policy state, compiled, held in memory while change notices arrive: a notice for a
 * tenant (or '' for all) drops what is held, and a compile that began before a change is not kept.
 * Concurrent askers of one tenant share one load. While notices do not arrive, `current` answers
 * undefined and callers read the database as before.
 *
 * With `tenantIdOf`, tenants' ids are held by name too (`byName`), while the tenants table's
 * notices arrive: a tenant renamed or deleted drops them all, as does a change of this process's.
 */
export class CompiledPolicies {
  private readonly held = new Map<string, Held>();
  private readonly generations = new Map<string, number>();
  private readonly tenantIds = new Map<string, Promise<string>>();
  private epoch = 0;
  private hearing = false;
  private hearingTenants = false;

  constructor(
    private readonly load: (tenantId: string) => Promise<PolicyState>,
    notices: FabricNotices,
    private readonly maxTenants = 1_000,
    private readonly tenantIdOf?: TenantIdOf,
  ) {
    notices.subscribe(FABRIC_CHANGED, {
      notice: (tenantId) => this.changed(tenantId),
      hearing: (hearing) => {
        this.hearing = hearing;
        this.changed('');
      },
    });
    if (tenantIdOf) {
      notices.subscribe(TENANTS_CHANGED, {
        notice: (table) => {
          if (table === 'tenants' || table === '') this.tenantIds.clear();
        },
        hearing: (hearing) => {
          this.hearingTenants = hearing;
          this.tenantIds.clear();
        },
      });
    }
  }

  /** The tenant's compiled policy, or undefined while changes cannot be heard. */
  current(tenantId: string): Promise<CompiledPolicy> | undefined {
    if (!this.hearing) return undefined;
    const generation = this.generationOf(tenantId);
    const held = this.held.get(tenantId);
    if (held && held.generation === generation) return held.compiled;
    const compiled = this.load(tenantId).then(compilePolicyState);
    if (this.held.size >= this.maxTenants && !this.held.has(tenantId)) {
      this.held.delete(this.held.keys().next().value!);
    }
    this.held.set(tenantId, { generation, compiled });
    // a failed load is not kept
    compiled.catch(() => {
      if (this.held.get(tenantId)?.compiled === compiled) this.held.delete(tenantId);
    });
    return compiled;
  }

  /**
   * The compiled policy of the tenant named so, without a database read once both are held; undefined
   * while changes to the fabric or to tenants cannot be heard (or without `tenantIdOf`); resolves
   * undefined when the fabric's notices stopped meanwhile. Rejects as `tenantIdOf` does for a tenant
   * that does not exist (which is not kept).
   */
  byName(tenantName: string): Promise<CompiledPolicy | undefined> | undefined {
    if (!this.tenantIdOf || !this.hearing || !this.hearingTenants) return undefined;
    let id = this.tenantIds.get(tenantName);
    if (!id) {
      if (this.tenantIds.size >= this.maxTenants) this.tenantIds.delete(this.tenantIds.keys().next().value!);
      const found = this.tenantIdOf(tenantName);
      id = found;
      this.tenantIds.set(tenantName, found);
      found.catch(() => {
        if (this.tenantIds.get(tenantName) === found) this.tenantIds.delete(tenantName);
      });
    }
    return id.then((tenantId) => this.current(tenantId));
  }

  /**
   * A change this process committed: forgotten at once, so its own next answer is current (other
   * processes hear of it by notice a moment later). '' for all tenants (their ids by name too).
   */
  changed(tenantId: string): void {
    if (tenantId === '') {
      // every generation moves past anything held
      this.epoch += 1 + Math.max(0, ...this.generations.values());
      this.generations.clear();
      this.held.clear();
      this.tenantIds.clear();
      return;
    }
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    this.held.delete(tenantId);
  }

  private generationOf(tenantId: string): number {
    return this.epoch + (this.generations.get(tenantId) ?? 0);
  }
}

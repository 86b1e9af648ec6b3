import { type CompiledPolicy, compilePolicyState } from './compiled-policy.util.js';
import type { PolicyState } from './policy.types.js';

/** The channel the fabric tables' triggers notify on commit, with the tenant's id (migration FabricChangeNotify). */
export const FABRIC_CHANGED = 'switchyard_fabric_changed';

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

/**
 * Each tenant's policy state, compiled, held in memory while change notices arrive: a notice for a
 * tenant (or '' for all) drops what is held, and a compile that began before a change is not kept.
 * Concurrent askers of one tenant share one load. While notices do not arrive, `current` answers
 * undefined and callers read the database as before.
 */
export class CompiledPolicies {
  private readonly held = new Map<string, Held>();
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private hearing = false;

  constructor(
    private readonly load: (tenantId: string) => Promise<PolicyState>,
    notices: FabricNotices,
    private readonly maxTenants = 1_000,
  ) {
    notices.subscribe(FABRIC_CHANGED, {
      notice: (tenantId) => this.changed(tenantId),
      hearing: (hearing) => {
        this.hearing = hearing;
        this.changed('');
      },
    });
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
   * A change this process committed: forgotten at once, so its own next answer is current (other
   * processes hear of it by notice a moment later). '' for all tenants.
   */
  changed(tenantId: string): void {
    if (tenantId === '') {
      // every generation moves past anything held
      this.epoch += 1 + Math.max(0, ...this.generations.values());
      this.generations.clear();
      this.held.clear();
      return;
    }
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
    this.held.delete(tenantId);
  }

  private generationOf(tenantId: string): number {
    return this.epoch + (this.generations.get(tenantId) ?? 0);
  }
}

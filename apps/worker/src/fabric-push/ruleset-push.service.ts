import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { acceptsRulesets } from '@switchyard/cloud-adapters';
import { ChangeNotices } from '@switchyard/core/database';
import { Fabric } from '@switchyard/network-fabric';
import { CloudAccessService } from '../deploy/cloud-access.service.js';
import { DeploymentStore } from '../deploy/deployment-store.service.js';
import { rulesetPushPlan, type RulesetLoad } from './ruleset-push-plan.util.js';
import { RulesetPushRepository, type PushTarget } from './ruleset-push.repository.js';

/** The channel the `fabric_policy_changes` trigger notifies on, with the tenant's id. */
export const FABRIC_PUSH = 'switchyard_fabric_push';
// changes whose push failed (an agent away) or whose notice was missed are looked for this often
const SWEEP_INTERVAL_MS = 15_000;
// loads in flight at once per environment; an agent is asked briefly, a failure is retried by the sweep
const LOADS_IN_FLIGHT = 8;
const AGENT_LIMITS = { requestTimeoutMs: 10_000, maxAttempts: 2 };

/**
 * Keeps the rulesets of running Linux-host instances current: after a change to a tenant's fabric
 * (rows in `fabric_policy_changes`, committed with the change), each instance of that tenant whose
 * scoped ruleset differs from the one it last got (`ruleset_etag`) gets the new one from its
 * host's agent, and its deployment a `policy.reloaded` event. Woken by notices; at start and every
 * SWEEP_INTERVAL_MS it also takes what is left (changes made while no worker listened, pushes that
 * failed). Changes coalesce: one push covers every change committed before it read the policy.
 */
@Injectable()
export class RulesetPush implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('RulesetPush');
  private readonly waiting = new Set<string>();
  // the last failure told per instance, so that a retried failure is not a new event each sweep
  private readonly failuresTold = new Map<string, string>();
  // tenants whose last push left an instance behind: retried by the sweep, not at once
  private readonly failed = new Set<string>();
  private draining: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    @Inject(RulesetPushRepository) private readonly repo: RulesetPushRepository,
    @Inject(Fabric) private readonly fabric: Fabric,
    @Inject(CloudAccessService) private readonly clouds: CloudAccessService,
    @Inject(DeploymentStore) private readonly store: DeploymentStore,
    @Inject(ChangeNotices) private readonly notices: ChangeNotices,
  ) {}

  onApplicationBootstrap(): void {
    this.notices.subscribe(FABRIC_PUSH, {
      notice: (tenantId) => this.wake(tenantId ? [tenantId] : []),
      hearing: (hearing) => {
        if (hearing) void this.sweep();
      },
    });
    this.timer = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.draining;
  }

  /** Takes every tenant with changes left. */
  async sweep(): Promise<void> {
    try {
      this.wake(await this.repo.pendingTenants());
    } catch (err) {
      this.logger.warn({ err: (err as Error).message }, 'could not look for policy changes');
    }
  }

  private wake(tenants: string[]): void {
    for (const t of tenants) this.waiting.add(t);
    if (this.draining || this.stopped || !this.waiting.size) return;
    this.draining = this.drain().finally(() => {
      this.draining = undefined;
      // a notice that came while the last tenant finished
      if (this.waiting.size) this.wake([]);
    });
  }

  private async drain(): Promise<void> {
    while (this.waiting.size && !this.stopped) {
      const tenantId = this.waiting.values().next().value!;
      this.waiting.delete(tenantId);
      try {
        // another worker pushing this tenant takes the changes (and the sweep what it leaves)
        if (!(await this.repo.exclusively(tenantId, () => this.pushTenant(tenantId)))) continue;
        // a change committed while the lock was held, whose notice another worker dropped
        if ((await this.repo.lastChange(tenantId)) !== undefined && !this.failed.has(tenantId)) {
          this.waiting.add(tenantId);
        }
      } catch (err) {
        this.logger.warn({ tenant: tenantId, err: (err as Error).message }, 'ruleset push failed');
      }
    }
  }

  /** Pushes until no change of the tenant is left, or a load failed (the sweep tries again). */
  private async pushTenant(tenantId: string): Promise<void> {
    this.failed.delete(tenantId);
    for (;;) {
      const upTo = await this.repo.lastChange(tenantId);
      if (upTo === undefined) return;
      if (!(await this.pushOnce(tenantId))) {
        this.failed.add(tenantId);
        return;
      }
      await this.repo.pushed(tenantId, upTo);
    }
  }

  /** One read of the policy, loaded where it differs; false when some instance could not take it. */
  private async pushOnce(tenantId: string): Promise<boolean> {
    const targets = await this.repo.targets(tenantId);
    if (!targets.length) return true;
    const rulesets = await this.fabric.instanceRulesets({
      tenantId,
      addresses: [...new Set(targets.map((t) => t.address))],
    });
    const loads = rulesetPushPlan(targets, rulesets);
    let ok = true;
    for (const environment of new Set(loads.map((l) => l.target.environment))) {
      const here = loads.filter((l) => l.target.environment === environment);
      const results = await this.loadIn(tenantId, environment, here);
      ok &&= results.every((r) => r.error === undefined);
      await this.tell(results);
    }
    return ok;
  }

  private async loadIn(
    tenantId: string,
    environment: string,
    loads: RulesetLoad[],
  ): Promise<{ load: RulesetLoad; error?: string }[]> {
    let access;
    try {
      access = await this.clouds.open(tenantId, environment, AGENT_LIMITS);
    } catch (err) {
      return loads.map((load) => ({ load, error: (err as Error).message }));
    }
    const adapter = access.adapter;
    try {
      if (!acceptsRulesets(adapter)) return [];
      const results: { load: RulesetLoad; error?: string }[] = [];
      for (let i = 0; i < loads.length; i += LOADS_IN_FLIGHT) {
        const batch = loads.slice(i, i + LOADS_IN_FLIGHT);
        results.push(
          ...(await Promise.all(
            batch.map(async (load) => {
              try {
                await adapter.loadRuleset(load.target.cloudId, load.ruleset);
                await this.repo.loaded(tenantId, load.target.id, load.etag);
                return { load };
              } catch (err) {
                return { load, error: (err as Error).message };
              }
            }),
          )),
        );
      }
      return results;
    } finally {
      await adapter.close().catch(() => undefined);
    }
  }

  /** One event per deployment for the instances that took the ruleset, one for those that did not. */
  private async tell(results: { load: RulesetLoad; error?: string }[]): Promise<void> {
    const byDeployment = new Map<string, typeof results>();
    for (const r of results) {
      const id = r.load.target.deploymentId;
      byDeployment.set(id, [...(byDeployment.get(id) ?? []), r]);
    }
    for (const [deploymentId, rs] of byDeployment) {
      const loaded = rs.filter((r) => r.error === undefined);
      const failed = rs.filter((r) => {
        if (r.error === undefined) return false;
        const told = this.failuresTold.get(r.load.target.id) === r.load.etag;
        this.failuresTold.set(r.load.target.id, r.load.etag);
        return !told;
      });
      for (const r of loaded) this.failuresTold.delete(r.load.target.id);
      if (loaded.length) {
        await this.store.event(
          deploymentId,
          'policy.reloaded',
          `ruleset reloaded on ${names(loaded.map((r) => r.load.target))} after a policy change`,
          { instances: loaded.map((r) => ({ ...where(r.load.target), etag: r.load.etag })) },
        );
      }
      if (failed.length) {
        this.logger.warn({ deployment: deploymentId, failed: failed.length }, 'ruleset not loaded');
        await this.store.event(
          deploymentId,
          'policy.reload-failed',
          `ruleset not loaded on ${names(failed.map((r) => r.load.target))}; retried every ${SWEEP_INTERVAL_MS / 1000} s`,
          { instances: failed.map((r) => ({ ...where(r.load.target), etag: r.load.etag, error: r.error })) },
        );
      }
    }
  }
}

function where(t: PushTarget) {
  return { tier: t.tier, index: t.index, environment: t.environment, cloudId: t.cloudId, address: t.address };
}

// the instances by name in a message, the first few of a large push
function names(targets: PushTarget[]): string {
  const shown = targets.slice(0, 10).map((t) => `${t.tier}[${t.index}]`);
  return targets.length > shown.length
    ? `${shown.join(', ')} and ${targets.length - shown.length} more`
    : shown.join(', ');
}

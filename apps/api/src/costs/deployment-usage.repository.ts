import { Inject, Injectable } from '@nestjs/common';
import type { DeploymentPlan } from '@switchyard/blueprints';
import { DataSource } from 'typeorm';
import type { TenantScope } from '../auth/tenant-scope.util.js';
import { NO_USAGE, type DeploymentUsage, type Span, type UsedInstance } from './deployment-cost.util.js';
import { STATE_EVENT_TYPES, stoppedSpans, type StateEvent } from './stopped-spans.util.js';

/** A deployment's plan and usage, for the spend. */
export interface BilledDeployment {
  id: string;
  plan: DeploymentPlan;
  usage: DeploymentUsage;
}

interface InstanceRow extends UsedInstance {
  deploymentId: string;
}

interface EventRow extends StateEvent {
  deploymentId: string;
}

/**
 * What deployments' costs are computed from: their instances (created, ended) and when they were
 * stopped. Reads only: the worker writes both.
 */
@Injectable()
export class DeploymentUsageRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  /** The usage of each deployment named (ids the caller already found in its scope). */
  async of(ids: readonly string[]): Promise<Map<string, DeploymentUsage>> {
    if (ids.length === 0) return new Map();
    const usage = new Map<string, { instances: UsedInstance[]; events: StateEvent[] }>(
      ids.map((id) => [id, { instances: [], events: [] }]),
    );
    const [instances, events] = await Promise.all([
      this.db.query<InstanceRow[]>(
        `SELECT deployment_id AS "deploymentId", tier, state, created_at AS "createdAt",
                updated_at AS "updatedAt"
           FROM deployment_instances WHERE deployment_id = ANY($1::uuid[])`,
        [ids],
      ),
      this.db.query<EventRow[]>(
        `SELECT deployment_id AS "deploymentId", type, data, created_at AS "createdAt"
           FROM deployment_events WHERE deployment_id = ANY($1::uuid[]) AND type = ANY($2::text[])
          ORDER BY id`,
        [ids, STATE_EVENT_TYPES],
      ),
    ]);
    for (const { deploymentId, ...i } of instances) usage.get(deploymentId)?.instances.push(i);
    for (const { deploymentId, ...e } of events) usage.get(deploymentId)?.events.push(e);
    return new Map(
      [...usage].map(([id, u]) => [id, { instances: u.instances, stopped: stoppedSpans(u.events) }]),
    );
  }

  async one(id: string): Promise<DeploymentUsage> {
    return (await this.of([id])).get(id) ?? NO_USAGE;
  }

  /** When the deployment was stopped (its instances come with the deployment's detail). */
  async stopped(id: string): Promise<Span[]> {
    return [...((await this.of([id])).get(id)?.stopped ?? [])];
  }

  /**
   * Every deployment in the scope that ever had an instance (`requestedBy`: only those this user
   * ordered), with its plan and usage.
   */
  async billed(scope: TenantScope, requestedBy?: string): Promise<BilledDeployment[]> {
    const rows = await this.db.query<{ id: string; plan: BilledDeployment['plan'] }[]>(
      `SELECT d.id, d.plan FROM deployments d
        WHERE ($1::boolean OR d.tenant_id = $2::uuid)
          AND ($3::uuid IS NULL OR d.requested_by = $3::uuid)
          AND EXISTS (SELECT 1 FROM deployment_instances i WHERE i.deployment_id = d.id)`,
      [scope.anyTenant, scope.tenantId, requestedBy ?? null],
    );
    const usage = await this.of(rows.map((r) => r.id));
    return rows.map((r) => ({ id: r.id, plan: r.plan, usage: usage.get(r.id) ?? NO_USAGE }));
  }
}

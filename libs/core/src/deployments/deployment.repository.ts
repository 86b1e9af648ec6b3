import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { TenantEntity } from '../database/entities.js';
import { WebhookOutbox } from '../webhooks/webhook-outbox.js';
import type { TenantScope } from '../database/tenant-scope.js';
import type { DeploymentState } from './deployment-states.js';
import { DeploymentEntity, DeploymentEventEntity, DeploymentInstanceEntity } from './deployment.entities.js';

/** A deployment row as the lifecycle writes it first (the database adds the timestamps). */
export type NewDeployment = Omit<DeploymentEntity, 'tenantId' | 'createdAt' | 'updatedAt'>;

/** What a transition changes on the row. */
export type DeploymentChange = Partial<Omit<DeploymentEntity, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>>;

export interface NewDeploymentEvent {
  type: string;
  message: string;
  data: Record<string, unknown>;
}

/** The list's filters (`GET /deployments`). */
export interface DeploymentFilter {
  state?: DeploymentState;
  blueprint?: string;
  /** Only deployments with a tier on this environment. */
  environment?: string;
  /** Only those this user ordered. */
  requestedBy?: string;
  /** Part of the name, matched as typed (no wildcards). */
  nameContains?: string;
}

/** What the lifecycle writes through, always inside the caller's transaction (`em`). */
export interface DeploymentRecords {
  /** The row, locked until the transaction ends; null when missing or outside the scope. */
  lock(em: EntityManager, scope: TenantScope, id: string): Promise<DeploymentEntity | null>;
  /** A new row of the scope's tenant, as stored (timestamps set). */
  insert(em: EntityManager, scope: TenantScope, row: NewDeployment): Promise<DeploymentEntity>;
  /** Changes the row if it is still at `seq` (a later step already moved it on otherwise). */
  advance(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    seq: number,
    change: DeploymentChange,
  ): Promise<void>;
  addEvent(em: EntityManager, deploymentId: string, event: NewDeploymentEvent): Promise<void>;
}

/**
 * Deployments, their events and instances in Postgres. Every read and write takes the caller's
 * scope, so no query forgets the tenant; the few the reconciler needs across tenants say
 * `SystemWide` in their names.
 */
@Injectable()
export class DeploymentRepository implements DeploymentRecords {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(WebhookOutbox) private readonly outbox: WebhookOutbox,
  ) {}

  transaction<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.db.transaction(work);
  }

  find(scope: TenantScope, id: string): Promise<DeploymentEntity | null> {
    return this.db.manager.findOneBy(DeploymentEntity, byId(scope, id));
  }

  findByIdempotencyKey(scope: TenantScope, key: string): Promise<DeploymentEntity | null> {
    // an order's key is its tenant's own, whoever asks
    return this.db.manager.findOneBy(DeploymentEntity, { tenantId: scope.tenantId, idempotencyKey: key });
  }

  /** The name of the scope's own tenant (fabric objects are named after it). */
  async tenantName(scope: TenantScope): Promise<string> {
    return (await this.db.manager.findOneByOrFail(TenantEntity, { id: scope.tenantId })).name;
  }

  /**
   * Deployments matching `filter`, paged by the caller: `page` gets the filtered query and adds
   * the keyset seek, order and limit (the API's one pager does that for every list).
   */
  list<P>(
    scope: TenantScope,
    filter: DeploymentFilter,
    page: (query: SelectQueryBuilder<DeploymentEntity>) => Promise<P>,
  ): Promise<P> {
    const qb = this.db.getRepository(DeploymentEntity).createQueryBuilder('d');
    if (!scope.anyTenant) qb.andWhere('d.tenant_id = :tid', { tid: scope.tenantId });
    if (filter.state) qb.andWhere('d.state = :state', { state: filter.state });
    if (filter.blueprint) qb.andWhere('d.blueprint_name = :bp', { bp: filter.blueprint });
    if (filter.environment) {
      qb.andWhere(`d.plan->'tiers' @> CAST(:env AS jsonb)`, {
        env: JSON.stringify([{ environment: filter.environment }]),
      });
    }
    if (filter.requestedBy) qb.andWhere('d.requested_by = :me', { me: filter.requestedBy });
    if (filter.nameContains) {
      qb.andWhere(`d.name ILIKE :q ESCAPE '\\'`, {
        q: `%${filter.nameContains.replace(/[\\%_]/g, '\\$&')}%`,
      });
    }
    return page(qb);
  }

  /** The deployment's instances in (tier, index) order; none when it is outside the scope. */
  instances(scope: TenantScope, deploymentId: string): Promise<DeploymentInstanceEntity[]> {
    const qb = this.db
      .getRepository(DeploymentInstanceEntity)
      .createQueryBuilder('i')
      .where('i.deployment_id = :id', { id: deploymentId });
    return inScope(qb, 'i', scope).orderBy('i.tier', 'ASC').addOrderBy('i.index', 'ASC').getMany();
  }

  /** Up to `limit` events after `afterId`, oldest first; none when it is outside the scope. */
  events(
    scope: TenantScope,
    deploymentId: string,
    afterId: string | undefined,
    limit: number,
  ): Promise<DeploymentEventEntity[]> {
    const qb = this.db
      .getRepository(DeploymentEventEntity)
      .createQueryBuilder('e')
      .where('e.deployment_id = :id', { id: deploymentId });
    if (afterId) qb.andWhere('e.id > :after', { after: afterId });
    return inScope(qb, 'e', scope).orderBy('e.id', 'ASC').limit(limit).getMany();
  }

  lock(em: EntityManager, scope: TenantScope, id: string): Promise<DeploymentEntity | null> {
    return em.findOne(DeploymentEntity, { where: byId(scope, id), lock: { mode: 'pessimistic_write' } });
  }

  async insert(em: EntityManager, scope: TenantScope, row: NewDeployment): Promise<DeploymentEntity> {
    return em.save(em.create(DeploymentEntity, { ...row, tenantId: scope.tenantId }));
  }

  async advance(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    seq: number,
    change: DeploymentChange,
  ): Promise<void> {
    await em.update(DeploymentEntity, { ...byId(scope, id), seq }, change as never);
  }

  /** The event, and (in the same transaction) a delivery to each webhook that wants its type. */
  async addEvent(em: EntityManager, deploymentId: string, event: NewDeploymentEvent): Promise<void> {
    await em.insert(DeploymentEventEntity, { deploymentId, ...event, data: event.data as never });
    await this.outbox.emitDeploymentEvent(em, deploymentId, event);
  }

  /** A step's progress event (an instance created, a stage done), committed at once. */
  recordEvent(deploymentId: string, event: NewDeploymentEvent): Promise<void> {
    return this.addEvent(this.db.manager, deploymentId, event);
  }

  /** Every tenant's deployments whose lease ran out, oldest order first. */
  findLeasesDueSystemWide(limit: number): Promise<{ id: string; tenantId: string }[]> {
    return this.db.query(
      `SELECT id, tenant_id AS "tenantId" FROM deployments
        WHERE lease_hours IS NOT NULL AND state IN ('running', 'stopped')
          AND created_at + make_interval(hours => lease_hours) <= now()
        ORDER BY created_at LIMIT $1`,
      [limit],
    );
  }

  /** Every tenant's deployments at rest (running or stopped), which the reconciler compares. */
  findSettledSystemWide(): Promise<DeploymentEntity[]> {
    return this.db.manager.findBy(DeploymentEntity, { state: In(['running', 'stopped']) });
  }
}

function byId(scope: TenantScope, id: string) {
  return scope.anyTenant ? { id } : { id, tenantId: scope.tenantId };
}

/** Rows of a deployment's child table, kept only when their deployment is in the scope. */
function inScope<R extends object>(
  qb: SelectQueryBuilder<R>,
  alias: string,
  scope: TenantScope,
): SelectQueryBuilder<R> {
  if (scope.anyTenant) return qb;
  return qb.andWhere(
    `EXISTS (SELECT 1 FROM deployments sd WHERE sd.id = ${alias}.deployment_id AND sd.tenant_id = :scopeTenant)`,
    { scopeTenant: scope.tenantId },
  );
}

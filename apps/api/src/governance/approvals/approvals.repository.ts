import { Inject, Injectable } from '@nestjs/common';
import type { Money } from '@switchyard/blueprints';
import type { TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { keysetPage } from '../../common/keyset-page.util.js';
import type { Page } from '../../common/pagination.js';
import type { HoldReason } from './approval-rule-match.util.js';
import type { ApprovalState } from './approvals.dto.js';

export interface ApprovalRow {
  id: string;
  tenantId: string;
  deploymentId: string;
  deploymentName: string;
  blueprint: string;
  state: ApprovalState;
  reasons: HoldReason[];
  requestedBy: string | null;
  requestedByName: string;
  monthlyCost: Money;
  expiresAt: Date;
  decidedBy: string | null;
  decidedByName: string | null;
  decisionReason: string | null;
  decidedAt: Date | null;
  createdAt: Date;
}

export interface ApprovalFilter {
  state?: ApprovalState;
  deploymentId?: string;
  /** Only approvals of orders this user placed (a member sees its own). */
  requestedBy?: string;
}

const COLUMNS = `a.id, a.tenant_id AS "tenantId", a.deployment_id AS "deploymentId", d.name AS "deploymentName",
  d.blueprint_name || '@' || d.blueprint_version AS "blueprint", a.state, a.reasons,
  a.requested_by AS "requestedBy", a.requested_by_name AS "requestedByName", a.monthly_cost AS "monthlyCost",
  a.expires_at AS "expiresAt", a.decided_by AS "decidedBy", a.decided_by_name AS "decidedByName",
  a.decision_reason AS "decisionReason", a.decided_at AS "decidedAt", a.created_at AS "createdAt"`;
const FROM = `approvals a JOIN deployments d ON d.id = a.deployment_id`;

/** Approvals in Postgres; every read takes the caller's scope. */
@Injectable()
export class ApprovalsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  list(
    scope: TenantScope,
    f: ApprovalFilter,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<ApprovalRow>> {
    const qb = this.db
      .createQueryBuilder()
      .select(COLUMNS)
      .from('approvals', 'a')
      .innerJoin('deployments', 'd', 'd.id = a.deployment_id') as SelectQueryBuilder<ApprovalRow>;
    if (!scope.anyTenant) qb.andWhere('a.tenant_id = :tid', { tid: scope.tenantId });
    if (f.state) qb.andWhere('a.state = :state', { state: f.state });
    if (f.deploymentId) qb.andWhere('a.deployment_id = :dep', { dep: f.deploymentId });
    if (f.requestedBy) qb.andWhere('a.requested_by = :by', { by: f.requestedBy });
    // newest first: the inbox shows what came in last at its top
    return keysetPage(qb, { columns: ['a.created_at', 'a.id'], order: 'DESC', rows: 'raw' }, cursor, limit);
  }

  async find(
    scope: TenantScope,
    id: string,
    em: EntityManager = this.db.manager,
    lock = false,
  ): Promise<ApprovalRow | undefined> {
    const rows: ApprovalRow[] = await em.query(
      `SELECT ${COLUMNS} FROM ${FROM} WHERE a.id = $1 AND ($2::uuid IS NULL OR a.tenant_id = $2)
       ${lock ? 'FOR UPDATE OF a' : ''}`,
      [id, scope.anyTenant ? null : scope.tenantId],
    );
    return rows[0];
  }

  async insert(
    em: EntityManager,
    row: Pick<
      ApprovalRow,
      | 'id'
      | 'tenantId'
      | 'deploymentId'
      | 'reasons'
      | 'requestedBy'
      | 'requestedByName'
      | 'monthlyCost'
      | 'expiresAt'
    >,
  ): Promise<void> {
    await em.query(
      `INSERT INTO approvals (id, tenant_id, deployment_id, state, reasons, requested_by, requested_by_name,
                              monthly_cost, expires_at)
       VALUES ($1, $2, $3, 'pending', $4, $5, $6, $7, $8)`,
      [
        row.id,
        row.tenantId,
        row.deploymentId,
        JSON.stringify(row.reasons),
        row.requestedBy,
        row.requestedByName,
        JSON.stringify(row.monthlyCost),
        row.expiresAt,
      ],
    );
  }

  async decide(
    em: EntityManager,
    id: string,
    d: { state: 'approved' | 'rejected'; by: string; byName: string; reason: string | null },
  ): Promise<void> {
    await em.query(
      `UPDATE approvals SET state = $2, decided_by = $3, decided_by_name = $4, decision_reason = $5,
              decided_at = date_trunc('milliseconds', now()), updated_at = date_trunc('milliseconds', now())
        WHERE id = $1 AND state = 'pending'`,
      [id, d.state, d.by, d.byName, d.reason],
    );
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import { keysetPage } from '../../common/keyset-page.util.js';
import type { Page } from '../../common/pagination.js';
import type { ApprovalRule } from './approval-rule-match.util.js';

export interface ApprovalRuleRow extends ApprovalRule {
  tenantId: string;
  createdAt: Date;
}

const COLUMNS = `r.id, r.tenant_id AS "tenantId", r.name, r.monthly_cost_above AS "amount",
  r.monthly_cost_currency AS "currency",
  r.environments, r.blueprints, r.expires_after_minutes AS "expiresAfterMinutes", r.created_at AS "createdAt"`;

type Raw = Omit<ApprovalRuleRow, 'monthlyCostAbove'> & { amount: string | null; currency: string | null };

/** Approval rules in Postgres, always within a tenant. */
@Injectable()
export class ApprovalRulesRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  async forTenant(tenantId: string): Promise<ApprovalRuleRow[]> {
    const rows: Raw[] = await this.db.query(
      `SELECT ${COLUMNS} FROM approval_rules r WHERE r.tenant_id = $1 ORDER BY r.created_at, r.id`,
      [tenantId],
    );
    return rows.map(toRule);
  }

  async list(
    scope: TenantScope,
    cursor: string | undefined,
    limit: number | undefined,
  ): Promise<Page<ApprovalRuleRow>> {
    const qb = this.db
      .createQueryBuilder()
      .select(COLUMNS)
      .from('approval_rules', 'r') as SelectQueryBuilder<Raw>;
    if (!scope.anyTenant) qb.where('r.tenant_id = :tid', { tid: scope.tenantId });
    const page = await keysetPage(qb, { columns: ['r.created_at', 'r.id'], rows: 'raw' }, cursor, limit);
    return { items: page.items.map(toRule), nextCursor: page.nextCursor };
  }

  /** The rule, locked until the transaction ends; undefined when missing or outside the scope. */
  async find(em: EntityManager, scope: TenantScope, id: string): Promise<ApprovalRuleRow | undefined> {
    const rows: Raw[] = await em.query(
      `SELECT ${COLUMNS} FROM approval_rules r WHERE r.id = $1 AND ($2::uuid IS NULL OR r.tenant_id = $2)
       FOR UPDATE`,
      [id, scope.anyTenant ? null : scope.tenantId],
    );
    return rows[0] && toRule(rows[0]);
  }

  async insert(em: EntityManager, rule: Omit<ApprovalRuleRow, 'id' | 'createdAt'>): Promise<ApprovalRuleRow> {
    const rows: Raw[] = await em.query(
      `INSERT INTO approval_rules AS r (tenant_id, name, monthly_cost_above, monthly_cost_currency,
                                        environments, blueprints, expires_after_minutes)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${COLUMNS}`,
      [
        rule.tenantId,
        rule.name,
        rule.monthlyCostAbove?.amount ?? null,
        rule.monthlyCostAbove?.currency ?? null,
        rule.environments,
        rule.blueprints,
        rule.expiresAfterMinutes,
      ],
    );
    return toRule(rows[0]!);
  }

  async update(em: EntityManager, rule: ApprovalRuleRow): Promise<ApprovalRuleRow> {
    // TypeORM answers an UPDATE … RETURNING with [rows, affected]
    const [rows]: [Raw[], number] = await em.query(
      `UPDATE approval_rules AS r SET monthly_cost_above = $2, monthly_cost_currency = $3, environments = $4,
              blueprints = $5, expires_after_minutes = $6, updated_at = date_trunc('milliseconds', now())
        WHERE r.id = $1 RETURNING ${COLUMNS}`,
      [
        rule.id,
        rule.monthlyCostAbove?.amount ?? null,
        rule.monthlyCostAbove?.currency ?? null,
        rule.environments,
        rule.blueprints,
        rule.expiresAfterMinutes,
      ],
    );
    return toRule(rows[0]!);
  }

  async delete(em: EntityManager, id: string): Promise<void> {
    await em.query(`DELETE FROM approval_rules WHERE id = $1`, [id]);
  }
}

function toRule({ amount, currency, ...r }: Raw): ApprovalRuleRow {
  return { ...r, monthlyCostAbove: amount === null ? null : { amount, currency: currency ?? 'USD' } };
}

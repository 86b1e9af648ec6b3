import { Inject, Injectable } from '@nestjs/common';
import type { ExpandedBlueprint } from '@switchyard/blueprints';
import {
  ACTION_STATE,
  allowedActions,
  DeploymentEntity,
  DeploymentEventEntity,
  DeploymentInstanceEntity,
  JobName,
  JobQueue,
  type DeploymentStep,
} from '@switchyard/core';
import { DataSource, MoreThan } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { decodeCursor, toPage } from '../common/pagination.js';
import type { DeploymentActionDto, DeploymentListQuery } from './deployments.dto.js';
import { mayActOnDeployment } from './deployment-authority.util.js';
import { toDeploymentDetail, toDeploymentSummary, toEvent } from './deployment-view.util.js';

// scale without a declared range: at least one instance, at most what an order may ask
const DEFAULT_SCALE = { min: 1, max: 1000 };

/** Watching and acting on deployments; every query is scoped to the caller's tenant. */
@Injectable()
export class DeploymentsService {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async list(caller: Principal, query: DeploymentListQuery) {
    const limit = query.limit ?? 50;
    const after = decodeCursor(query.cursor);
    const qb = this.db.getRepository(DeploymentEntity).createQueryBuilder('d');
    if (caller.role !== 'admin') qb.andWhere('d.tenant_id = :tid', { tid: caller.tenantId });
    if (query.state) qb.andWhere('d.state = :state', { state: query.state });
    if (query.blueprint) qb.andWhere('d.blueprint_name = :bp', { bp: query.blueprint });
    if (query.environment) {
      qb.andWhere(`d.plan->'tiers' @> CAST(:env AS jsonb)`, {
        env: JSON.stringify([{ environment: query.environment }]),
      });
    }
    if (query.mine) qb.andWhere('d.requested_by = :me', { me: caller.userId });
    if (query.q) {
      // the text is matched as typed: % and _ are not wildcards
      qb.andWhere(`d.name ILIKE :q ESCAPE '\\'`, { q: `%${query.q.replace(/[\\%_]/g, '\\$&')}%` });
    }
    if (after) qb.andWhere('(d.created_at, d.id) < (:at, :cid)', { at: after.createdAt, cid: after.id });
    // newest first: people look for what they just ordered
    const rows = await qb
      .orderBy('d.created_at', 'DESC')
      .addOrderBy('d.id', 'DESC')
      .limit(limit + 1)
      .getMany();
    return toPage(rows, limit, toDeploymentSummary);
  }

  async find(caller: Principal, id: string): Promise<DeploymentEntity> {
    const d = await this.db.getRepository(DeploymentEntity).findOneBy({ id });
    if (!d || (caller.role !== 'admin' && d.tenantId !== caller.tenantId))
      throw AppException.notFound(`deployment ${id}`);
    return d;
  }

  async get(caller: Principal, id: string) {
    const d = await this.find(caller, id);
    const instances = await this.db.getRepository(DeploymentInstanceEntity).find({
      where: { deploymentId: id },
      order: { tier: 'ASC', index: 'ASC' },
    });
    // whether this caller's actions would be accepted (the state aside), for the web's buttons
    return { ...toDeploymentDetail(d, instances), mayAct: mayActOnDeployment(caller, d) };
  }

  async events(caller: Principal, id: string, afterId?: string, limit = 500) {
    await this.find(caller, id);
    const rows = await this.db.getRepository(DeploymentEventEntity).find({
      where: { deploymentId: id, ...(afterId ? { id: MoreThan(afterId) } : {}) },
      order: { id: 'ASC' },
      take: limit,
    });
    return rows.map(toEvent);
  }

  async act(caller: Principal, id: string, dto: DeploymentActionDto) {
    return this.db.transaction(async (em) => {
      // one locked read serves both the tenant check and the state check
      const d = await em.findOne(DeploymentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!d || (caller.role !== 'admin' && d.tenantId !== caller.tenantId)) {
        throw AppException.notFound(`deployment ${id}`);
      }
      if (!mayActOnDeployment(caller, d)) {
        throw new AppException(
          ErrorCode.Forbidden,
          'Members act only on the deployments they ordered; operators and admins on all of the tenant',
        );
      }
      const allowed = allowedActions(d.state);
      if (!allowed.includes(dto.action)) {
        throw AppException.conflict(
          `A ${d.state} deployment cannot ${dto.action}; allowed now: ${allowed.length ? allowed.join(', ') : 'none (wait for the current step)'}`,
          [{ path: 'action', message: `allowed: ${allowed.join(', ') || 'none'}` }],
        );
      }
      const scale = dto.action === 'scale' ? this.checkScale(d, dto) : undefined;
      const seq = d.seq + 1;
      const step: DeploymentStep = dto.action;
      const before = { state: d.state };
      await em.update(
        DeploymentEntity,
        { id },
        { state: ACTION_STATE[dto.action], step, seq, failure: null },
      );
      await em.insert(DeploymentEventEntity, {
        deploymentId: id,
        type: 'action',
        message: `${dto.action}${scale ? ` ${scale.tier} to ${scale.count}` : ''} requested by ${caller.userName}`,
        data: { action: dto.action, ...(scale ?? {}) } as never,
      });
      await this.audit.record(em, caller, {
        tenantId: d.tenantId,
        action: `deployment.${dto.action}`,
        resourceType: 'deployment',
        resourceId: id,
        before,
        after: { state: ACTION_STATE[dto.action], ...(scale ?? {}) },
      });
      await this.jobs.add(
        JobName.DeploymentStep,
        { deploymentId: id, tenantId: d.tenantId, step, seq, ...(scale ? { scale } : {}) },
        { jobId: `${id}.${seq}.${step}`, attempts: 5 },
      );
      return { ...toDeploymentSummary(d), state: ACTION_STATE[dto.action] };
    });
  }

  private checkScale(d: DeploymentEntity, dto: DeploymentActionDto): { tier: string; count: number } {
    const blueprint = d.blueprint as unknown as ExpandedBlueprint;
    const problems = [];
    if (!dto.tier) problems.push({ path: 'tier', message: 'is required to scale' });
    else if (!blueprint.tiers[dto.tier])
      problems.push({ path: 'tier', message: `is not a tier (${Object.keys(blueprint.tiers).join(', ')})` });
    if (dto.count === undefined) problems.push({ path: 'count', message: 'is required to scale' });
    if (problems.length) throw AppException.invalid(problems);
    const { min, max } = blueprint.tiers[dto.tier!]!.scale ?? DEFAULT_SCALE;
    if (dto.count! < min || dto.count! > max) {
      throw AppException.invalid([
        { path: 'count', message: `must be within the tier's scale ${min}..${max}` },
      ]);
    }
    return { tier: dto.tier!, count: dto.count! };
  }
}

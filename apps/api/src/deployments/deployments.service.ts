import { Inject, Injectable } from '@nestjs/common';
import {
  DeploymentLifecycle,
  DeploymentRepository,
  type DeploymentEntity,
  type DeploymentFilter,
} from '@switchyard/core/deployments';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { keysetPage, type SortKey } from '../common/keyset-page.util.js';
import { mapPage } from '../common/pagination.js';
import { NO_USAGE } from '../costs/deployment-cost.util.js';
import { DeploymentUsageRepository } from '../costs/deployment-usage.repository.js';
import { GovernanceGate } from '../governance/governance-gate.service.js';
import type { DeploymentActionDto, DeploymentListQuery } from './deployments.dto.js';
import { mayActOnDeployment } from './deployment-authority.util.js';
import type {
  DeploymentDetailDto,
  DeploymentEventDto,
  DeploymentPageDto,
  DeploymentSummaryDto,
} from './deployment-responses.dto.js';
import { toDeploymentDetail, toDeploymentSummary, toEvent } from './deployment-view.util.js';

const NEWEST_FIRST: SortKey<DeploymentEntity> = { columns: ['d.created_at', 'd.id'], order: 'DESC' };

/** Watching and acting on deployments, in the caller's tenant (admins: every tenant). */
@Injectable()
export class DeploymentsService {
  constructor(
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(DeploymentUsageRepository) private readonly usage: DeploymentUsageRepository,
    @Inject(GovernanceGate) private readonly governance: GovernanceGate,
  ) {}

  list(caller: Principal, query: DeploymentListQuery): Promise<DeploymentPageDto> {
    const filter: DeploymentFilter = {
      state: query.state,
      blueprint: query.blueprint,
      environment: query.environment,
      requestedBy: query.mine ? caller.userId : undefined,
      nameContains: query.q,
    };
    return this.deployments.list(tenantScope(caller), filter, async (qb) => {
      // newest first: people look for what they just ordered
      const page = await keysetPage(qb, NEWEST_FIRST, query.cursor, query.limit);
      // cost follows each deployment's instances
      const usage = await this.usage.of(page.items.map((d) => d.id));
      return mapPage(page, (d) => toDeploymentSummary(d, usage.get(d.id) ?? NO_USAGE));
    });
  }

  async find(caller: Principal, id: string): Promise<DeploymentEntity> {
    const d = await this.deployments.find(tenantScope(caller), id);
    if (!d) throw AppException.notFound(`deployment ${id}`);
    return d;
  }

  async get(caller: Principal, id: string): Promise<DeploymentDetailDto> {
    const d = await this.find(caller, id);
    const instances = await this.deployments.instances(tenantScope(caller), id);
    // whether this caller's actions would be accepted (the state aside), for the web's buttons
    return {
      ...toDeploymentDetail(d, instances, await this.usage.stopped(id)),
      mayAct: mayActOnDeployment(caller, d),
    };
  }

  async events(caller: Principal, id: string, afterId?: string, limit = 500): Promise<DeploymentEventDto[]> {
    await this.find(caller, id);
    return (await this.deployments.events(tenantScope(caller), id, afterId, limit)).map(toEvent);
  }

  async act(caller: Principal, id: string, dto: DeploymentActionDto): Promise<DeploymentSummaryDto> {
    const request = {
      action: dto.action,
      tier: dto.tier,
      count: dto.count,
      actor: { name: caller.userName, mayAct: (d: DeploymentEntity) => mayActOnDeployment(caller, d) },
    };
    const answer = await this.deployments.transaction((em) =>
      this.lifecycle.requestAction(
        em,
        tenantScope(caller),
        id,
        request,
        async ({ deployment: d, state, scale }) => {
          if (scale) await this.governance.admitScale(em, d, scale);
          await this.audit.record(em, caller, {
            tenantId: d.tenantId,
            action: `deployment.${dto.action}`,
            resourceType: 'deployment',
            resourceId: id,
            before: { state: d.state },
            after: { state, ...(scale ?? {}) },
          });
        },
      ),
    );
    switch (answer.outcome) {
      case 'accepted':
        return { ...toDeploymentSummary(answer.deployment, await this.usage.one(id)), state: answer.state };
      case 'not-found':
        throw AppException.notFound(`deployment ${id}`);
      case 'forbidden':
        throw new AppException(
          ErrorCode.Forbidden,
          'Members act only on the deployments they ordered; operators and admins on all of the tenant',
        );
      case 'not-allowed': {
        const { state, allowed } = answer;
        throw AppException.conflict(
          `A ${state} deployment cannot ${dto.action}; allowed now: ${allowed.length ? allowed.join(', ') : 'none (wait for the current step)'}`,
          [{ path: 'action', message: `allowed: ${allowed.join(', ') || 'none'}` }],
        );
      }
      case 'invalid':
        throw AppException.invalid(answer.problems);
    }
  }
}

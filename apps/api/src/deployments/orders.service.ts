import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  parseReference,
  planDeployment,
  redactParameters,
  resolveParameters,
  type Placement,
  type Problem,
} from '@switchyard/blueprints';
import { SecretBox } from '@switchyard/core/crypto';
import { isUniqueViolation } from '@switchyard/core/database';
import {
  DeploymentLifecycle,
  DeploymentRepository,
  type DeploymentEntity,
} from '@switchyard/core/deployments';
import { AuditService } from '../audit/audit.service.js';
import { PlacementStrategyService } from '../benchmarks/placement-strategy.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { BlueprintLoaderService } from '../blueprints/blueprint-loader.service.js';
import { BlueprintsService } from '../blueprints/blueprints.service.js';
import { EnvironmentCatalogService } from '../environments/environment-catalog.service.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { NO_USAGE } from '../costs/deployment-cost.util.js';
import { DeploymentUsageRepository } from '../costs/deployment-usage.repository.js';
import { ApprovalGate } from '../governance/approvals/approval-gate.service.js';
import { GovernanceGate } from '../governance/governance-gate.service.js';
import type { CreateOrderDto, OrderPlacementDto } from './deployments.dto.js';
import type { DeploymentSummaryDto } from './deployment-responses.dto.js';
import { toDeploymentSummary } from './deployment-view.util.js';

export interface OrderResult {
  /** false when an Idempotency-Key repeated an earlier order */
  created: boolean;
  deployment: DeploymentSummaryDto;
}

/**
 * An order becomes a deployment: the blueprint version resolved, parameters checked, the plan and
 * its cost computed against the environments, and the deployment row with its first job written
 * together. Secret parameters are sealed; the row keeps only their stars.
 */
@Injectable()
export class OrdersService {
  constructor(
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
    @Inject(BlueprintsService) private readonly blueprints: BlueprintsService,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(EnvironmentCatalogService) private readonly environments: EnvironmentCatalogService,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(DeploymentUsageRepository) private readonly usage: DeploymentUsageRepository,
    @Inject(GovernanceGate) private readonly governance: GovernanceGate,
    @Inject(ApprovalGate) private readonly approvals: ApprovalGate,
    @Inject(PlacementStrategyService) private readonly strategies: PlacementStrategyService,
  ) {}

  async order(caller: Principal, dto: CreateOrderDto, idempotencyKey?: string): Promise<OrderResult> {
    const requestHash = createHash('sha256').update(stableJson(dto)).digest('hex');
    if (idempotencyKey) {
      const earlier = await this.byKey(caller, idempotencyKey, requestHash);
      if (earlier) return { created: false, deployment: await this.summary(earlier) };
    }
    const ref = parseReference(dto.blueprint);
    if (!ref.ok) throw AppException.invalid([{ path: 'blueprint', message: ref.problem.message }]);
    const { row, version } = await this.blueprints.resolve(caller, ref.reference.name, ref.reference.range);
    if (version.state !== 'published') {
      throw AppException.conflict(
        `${row.name}@${version.version} is ${version.state}: only published versions can be ordered`,
      );
    }
    const loaded = await this.loader.load(row.tenantId, version.source, version.contentType);
    if (!loaded.ok)
      throw AppException.conflict(`${row.name}@${version.version} no longer validates`, loaded.problems);
    if (loaded.expanded.kind !== 'Blueprint') {
      throw AppException.invalid([
        { path: 'blueprint', message: 'is a Service: order a Blueprint that uses it' },
      ]);
    }
    const problems: Problem[] = [];
    const params = resolveParameters(loaded.expanded, dto.parameters ?? {});
    problems.push(...params.problems);
    // placement from benchmark results (placement-strategy.service.ts), when the order asks for it
    const chosen = dto.placement && (await this.strategyChoice(caller, row.name, dto.placement, problems));
    const asked =
      dto.placement &&
      placementOf(dto.placement, Object.keys(loaded.expanded.tiers), problems, chosen?.environment);
    if (problems.length) throw AppException.invalid(problems, 'The order is invalid');
    // left out: the tenant's placement policy chooses, and says why
    const placed = await this.governance.place(caller, loaded.expanded, params.values, asked);
    const { placement } = placed;
    const catalogs = await this.environments.catalogs(caller, placement);
    const planned = planDeployment({
      blueprint: loaded.expanded,
      parameters: params.values,
      placement,
      environments: catalogs,
      instanceTypes: chosen?.instanceTypes,
    });
    if (!planned.ok) throw AppException.invalid(planned.problems, 'The blueprint cannot be placed so');

    const id = randomUUID();
    const redacted = redactParameters(loaded.expanded, params.values);
    const secrets = Object.fromEntries(
      Object.entries(params.values).filter(([k]) => loaded.expanded.parameters[k]?.type === 'secret'),
    );
    const sealed = Object.keys(secrets).length ? this.box.seal(JSON.stringify(secrets), id) : undefined;
    const { blueprint: _ref, ...plan } = planned.plan;
    const order = {
      id,
      name: dto.name,
      blueprintName: row.name,
      blueprintVersion: version.version,
      blueprint: loaded.expanded as never,
      parameters: redacted,
      secretKeyId: sealed?.keyId ?? null,
      secretData: sealed?.data ?? null,
      placement: chosen ? { ...placement, choice: chosen.choice } : placement,
      plan: { ...plan, blueprint: planned.plan.blueprint } as never,
      rollbackOnFailure: dto.rollbackOnFailure ?? true,
      leaseHours: dto.leaseHours ?? null,
      labels: {},
      requestedBy: caller.userId,
      idempotencyKey: idempotencyKey ?? null,
      requestHash,
    };
    const environments = [...new Set([placement.default, ...Object.values(placement.tiers ?? {})])];
    const hold = await this.approvals.holdFor(caller, {
      blueprint: row.name,
      environments,
      monthly: plan.total.monthly,
    });
    try {
      const saved = await this.deployments.transaction((em) => {
        // over quota or lease limits: refused here, and the transaction writes nothing (an order
        // held for approval holds its quota too, until it is approved, rejected or expires)
        const admitAndAudit = async (d: DeploymentEntity) => {
          await this.governance.admitOrder(em, d, placed);
          await this.audit.record(em, caller, {
            tenantId: caller.tenantId,
            action: 'deployment.order',
            resourceType: 'deployment',
            resourceId: id,
            after: {
              name: dto.name,
              blueprint: `${row.name}@${version.version}`,
              parameters: redacted,
              placement,
            },
          });
        };
        if (!hold)
          return this.lifecycle.order(em, tenantScope(caller), order, caller.userName, admitAndAudit);
        // an approval rule holds it: the row waits, with no job, until an operator decides
        const why = {
          orderedBy: caller.userName,
          why: hold.why,
          data: this.approvals.eventData(caller, hold),
        };
        return this.lifecycle.orderAwaitingApproval(em, tenantScope(caller), order, why, async (d) => {
          await admitAndAudit(d);
          await this.approvals.open(em, caller, d, hold);
        });
      });
      // nothing runs yet: it costs nothing until its first instance
      return { created: true, deployment: toDeploymentSummary(saved, NO_USAGE) };
    } catch (err) {
      // the same key ordered twice at once: the first one wins, the second answers like a repeat
      if (idempotencyKey && isUniqueViolation(err)) {
        const earlier = await this.byKey(caller, idempotencyKey, requestHash);
        if (earlier) return { created: false, deployment: await this.summary(earlier) };
      }
      throw err;
    }
  }

  private async strategyChoice(
    caller: Principal,
    blueprint: string,
    asked: OrderPlacementDto,
    problems: Problem[],
  ) {
    const { strategy, among } = asked;
    if (strategy === undefined) {
      if (among !== undefined)
        problems.push({ path: 'placement.strategy', message: 'is required with among' });
      if (asked.default === undefined)
        problems.push({
          path: 'placement.default',
          message: 'is required with placement (leave placement out for the placement policy to choose)',
        });
      return undefined;
    }
    if (asked.default !== undefined) {
      problems.push({ path: 'placement.default', message: 'give either default or a strategy, not both' });
      return undefined;
    }
    return this.strategies.choose(caller, blueprint, strategy, among ?? []);
  }

  /** An earlier order's deployment as it is now, its cost following its instances. */
  private async summary(d: DeploymentEntity): Promise<DeploymentSummaryDto> {
    return toDeploymentSummary(d, await this.usage.one(d.id));
  }

  private async byKey(caller: Principal, key: string, hash: string): Promise<DeploymentEntity | undefined> {
    const earlier = await this.deployments.findByIdempotencyKey(tenantScope(caller), key);
    if (!earlier) return undefined;
    if (earlier.requestHash !== hash) {
      throw new AppException(
        ErrorCode.IdempotencyMismatch,
        'This Idempotency-Key was used with a different request',
        [{ path: 'Idempotency-Key', message: `first used for deployment ${earlier.id}` }],
      );
    }
    return earlier;
  }
}

function placementOf(
  asked: OrderPlacementDto,
  tiers: string[],
  problems: Problem[],
  chosen?: string,
): Placement {
  const placed: Record<string, string> = {};
  for (const [tier, env] of Object.entries(asked.tiers ?? {})) {
    if (!tiers.includes(tier))
      problems.push({ path: `placement.tiers.${tier}`, message: 'is not a tier of this blueprint' });
    else if (typeof env !== 'string' || !env)
      problems.push({ path: `placement.tiers.${tier}`, message: 'must be an environment name' });
    else placed[tier] = env;
  }
  return { default: chosen ?? asked.default ?? '', tiers: placed };
}

/**
 * JSON with sorted keys, so that the same request always hashes the same. Recursive on purpose:
 * the order went through the validation pipe, which refuses bodies nested deeper than
 * JSON_LIMITS.maxDepth (32), so the recursion is at most that deep.
 */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  parseReference,
  planDeployment,
  redactParameters,
  resolveParameters,
  type ExpandedBlueprint,
  type ParameterValue,
  type Placement,
  type Problem,
} from '@switchyard/blueprints';
import {
  BenchmarkFlow,
  BenchmarkScheduleRepository,
  type BenchmarkCandidateEntity,
  type BenchmarkEntity,
  type BenchmarkLoad,
  type BenchmarkSlo,
} from '@switchyard/core/benchmarks';
import { SecretBox } from '@switchyard/core/crypto';
import { DeploymentRepository } from '@switchyard/core/deployments';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { BlueprintLoaderService } from '../blueprints/blueprint-loader.service.js';
import { BlueprintsService } from '../blueprints/blueprints.service.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import { EnvironmentCatalogService } from '../environments/environment-catalog.service.js';
import type { BenchmarkCandidateRequestDto, CreateBenchmarkDto } from './benchmarks.dto.js';

const DEFAULT_RUNS = 5;
const DEFAULT_LEASE_HOURS = 6;

/**
 * A benchmark request becomes a benchmark: the blueprint resolved, parameters checked, the load
 * taken from the blueprint's `benchmark` section (the request overrides it), and every candidate
 * planned and priced now (so a bad candidate is a 400 naming it, before anything is deployed).
 * Each candidate's deployment order is stored ready, its secrets sealed to its deployment id;
 * the worker orders it when its turn comes.
 */
@Injectable()
export class BenchmarkRequestService {
  constructor(
    @Inject(BlueprintsService) private readonly blueprints: BlueprintsService,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(EnvironmentCatalogService) private readonly environments: EnvironmentCatalogService,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(BenchmarkFlow) private readonly flow: BenchmarkFlow,
    @Inject(AuditService) private readonly audit: AuditService,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(BenchmarkScheduleRepository) private readonly schedules: BenchmarkScheduleRepository,
  ) {}

  async create(caller: Principal, dto: CreateBenchmarkDto): Promise<string> {
    const ref = parseReference(dto.blueprint);
    if (!ref.ok) throw AppException.invalid([{ path: 'blueprint', message: ref.problem.message }]);
    const { row, version } = await this.blueprints.resolve(caller, ref.reference.name, ref.reference.range);
    if (version.state !== 'published') {
      throw AppException.conflict(
        `${row.name}@${version.version} is ${version.state}: only published versions can be benchmarked`,
      );
    }
    const loaded = await this.loader.load(row.tenantId, version.source, version.contentType);
    if (!loaded.ok)
      throw AppException.conflict(`${row.name}@${version.version} no longer validates`, loaded.problems);
    const blueprint = loaded.expanded;
    if (blueprint.kind !== 'Blueprint') {
      throw AppException.invalid([
        { path: 'blueprint', message: 'is a Service: benchmark a Blueprint that uses it' },
      ]);
    }
    const problems: Problem[] = [];
    const params = resolveParameters(blueprint, dto.parameters ?? {});
    problems.push(...params.problems);
    const load = loadOf(blueprint, dto, problems);
    if (problems.length) throw AppException.invalid(problems, 'The benchmark is invalid');

    const id = randomUUID();
    const redacted = redactParameters(blueprint, params.values);
    const candidates: BenchmarkCandidateEntity[] = [];
    for (const [i, c] of dto.candidates.entries()) {
      const planned = await this.planCandidate(
        caller,
        blueprint,
        params.values,
        c,
        `candidates.${i}`,
        problems,
      );
      if (!planned) continue;
      const deploymentId = randomUUID();
      const secrets = Object.fromEntries(
        Object.entries(params.values).filter(([k]) => blueprint.parameters[k]?.type === 'secret'),
      );
      const sealed = Object.keys(secrets).length
        ? this.box.seal(JSON.stringify(secrets), deploymentId)
        : undefined;
      const environments = [...new Set(planned.tiers.map((t) => t.environment))].sort();
      candidates.push({
        id: randomUUID(),
        benchmarkId: id,
        tenantId: caller.tenantId,
        position: i,
        label: c.label ?? labelOf(planned.placement, c.instanceTypes ?? {}),
        placement: planned.placement,
        instanceTypes: c.instanceTypes ?? {},
        environments,
        state: 'waiting',
        step: null,
        seq: 0,
        nextRun: 0,
        deploymentId,
        deploymentOrder: {
          name: `bench-${id.slice(0, 8)}-${i + 1}`,
          blueprintName: row.name,
          blueprintVersion: version.version,
          blueprint: blueprint as never,
          parameters: redacted,
          secretKeyId: sealed?.keyId ?? null,
          secretData: sealed?.data ?? null,
          placement: planned.placement,
          plan: planned.plan,
          rollbackOnFailure: true,
          leaseHours: dto.leaseHours ?? DEFAULT_LEASE_HOURS,
          labels: { benchmark: id },
          requestedBy: caller.userId,
          idempotencyKey: null,
          requestHash: null,
        },
        hourlyCost: planned.hourly,
        currency: planned.currency,
        result: null,
        reason: null,
        stepStartedAt: null,
      });
    }
    if (problems.length) throw AppException.invalid(problems, 'The benchmark is invalid');
    const currencies = new Set(candidates.map((c) => c.currency));
    if (currencies.size > 1) {
      throw AppException.invalid([
        {
          path: 'candidates',
          message: `candidates price in different currencies (${[...currencies].join(', ')}): price/performance would not compare`,
        },
      ]);
    }
    const scheduleId = dto.schedule ? randomUUID() : null;
    const benchmark: Omit<BenchmarkEntity, 'createdAt' | 'updatedAt'> = {
      id,
      scheduleId,
      tenantId: caller.tenantId,
      blueprintName: row.name,
      blueprintVersion: version.version,
      state: 'running',
      runs: dto.runs ?? DEFAULT_RUNS,
      parallel: dto.parallel ?? false,
      load,
      slo: sloOf(dto),
      request: { ...dto, parameters: redacted } as never,
      ranking: null,
      leftBehind: [],
      failure: null,
      requestedBy: caller.userId,
      requestedByName: caller.userName,
      endedAt: null,
    };
    await this.deployments.transaction(async (em) => {
      await this.flow.start(em, benchmark, candidates);
      await this.audit.record(em, caller, {
        tenantId: caller.tenantId,
        action: 'benchmark.create',
        resourceType: 'benchmark',
        resourceId: id,
        after: {
          blueprint: `${row.name}@${version.version}`,
          candidates: candidates.map((c) => c.label),
          runs: benchmark.runs,
          ...(dto.schedule ? { schedule: scheduleId, everyHours: dto.schedule.everyHours } : {}),
        },
      });
      if (dto.schedule && scheduleId) {
        await this.schedules.insert(em, {
          id: scheduleId,
          tenantId: caller.tenantId,
          templateBenchmarkId: id,
          everyHours: dto.schedule.everyHours,
          nextRunAt: new Date(Date.now() + dto.schedule.everyHours * 3_600_000),
          requestedBy: caller.userId,
        });
      }
    });
    return id;
  }

  /** The candidate's plan and cost, or its problems under `path`. */
  private async planCandidate(
    caller: Principal,
    blueprint: ExpandedBlueprint,
    parameters: Record<string, ParameterValue>,
    c: BenchmarkCandidateRequestDto,
    path: string,
    problems: Problem[],
  ) {
    const placement: Placement = { default: c.placement.default, tiers: {} };
    for (const [tier, env] of Object.entries(c.placement.tiers ?? {})) {
      if (!Object.hasOwn(blueprint.tiers, tier))
        problems.push({
          path: `${path}.placement.tiers.${tier}`,
          message: 'is not a tier of this blueprint',
        });
      else if (typeof env !== 'string' || !env)
        problems.push({ path: `${path}.placement.tiers.${tier}`, message: 'must be an environment name' });
      else placement.tiers![tier] = env;
    }
    for (const [tier, type] of Object.entries(c.instanceTypes ?? {})) {
      if (!Object.hasOwn(blueprint.tiers, tier))
        problems.push({ path: `${path}.instanceTypes.${tier}`, message: 'is not a tier of this blueprint' });
      else if (typeof type !== 'string' || !type || type.length > 100)
        problems.push({ path: `${path}.instanceTypes.${tier}`, message: 'must be an instance type name' });
    }
    if (problems.some((p) => p.path.startsWith(`${path}.`))) return undefined;
    let catalogs;
    try {
      catalogs = await this.environments.catalogs(caller, placement);
    } catch (err) {
      if (!(err instanceof AppException) || err.code !== ErrorCode.Invalid) throw err;
      problems.push(...err.details.map((d) => ({ path: `${path}.${d.path}`, message: d.message })));
      return undefined;
    }
    const planned = planDeployment({
      blueprint,
      parameters,
      placement,
      environments: catalogs,
      instanceTypes: c.instanceTypes,
    });
    if (!planned.ok) {
      problems.push(...planned.problems.map((p) => ({ ...p, path: `${path}.${p.path}` })));
      return undefined;
    }
    const { plan } = planned;
    return {
      placement,
      tiers: plan.tiers,
      plan: plan as never as Record<string, unknown>,
      hourly: plan.total.hourly.amount,
      currency: plan.currency,
    };
  }
}

/** The load: the blueprint's `benchmark` section, overridden field by field by the request. */
function loadOf(blueprint: ExpandedBlueprint, dto: CreateBenchmarkDto, problems: Problem[]): BenchmarkLoad {
  const spec = blueprint.benchmark;
  const asked = dto.load ?? {};
  const target = asked.target ?? spec?.target ?? '';
  const tier = blueprint.tiers[target];
  if (!target)
    problems.push({ path: 'load.target', message: 'is required: the blueprint has no benchmark section' });
  else if (!tier)
    problems.push({ path: 'load.target', message: `"${target}" is not a tier of this blueprint` });
  const tcp = tier?.ports.find((p) => p.endsWith('/tcp'));
  const port = asked.port ?? (tcp ? Number(tcp.split('/')[0]) : undefined);
  if (tier && port === undefined)
    problems.push({ path: 'load.port', message: `tier ${target} has no TCP port: name one` });
  const concurrency = asked.concurrency ?? spec?.http.concurrency ?? 16;
  const requests = asked.requests ?? spec?.http.requests ?? 2000;
  if (!asked.durationSeconds && concurrency > requests) {
    problems.push({ path: 'load.concurrency', message: `is above the requests per run (${requests})` });
  }
  return {
    target,
    method: asked.method ?? 'GET',
    path: asked.path ?? spec?.http.path ?? '/',
    port: port ?? 0,
    concurrency,
    requests,
    ...(asked.durationSeconds ? { durationSeconds: asked.durationSeconds } : {}),
    warmupSeconds: asked.warmupSeconds ?? 2,
    timeoutSeconds: asked.timeoutSeconds ?? 10,
  };
}

function sloOf(dto: CreateBenchmarkDto): BenchmarkSlo {
  return {
    ...(dto.slo?.p95Ms !== undefined ? { p95Ms: dto.slo.p95Ms } : {}),
    ...(dto.slo?.maxErrorRate !== undefined ? { maxErrorRate: dto.slo.maxErrorRate } : {}),
  };
}

/** "aws-us-east-1", "aws-us-east-1 (db: vsphere-dc1)", "lh (web: lh.quarter)" */
function labelOf(placement: Placement, types: Record<string, string>): string {
  const tiers = Object.entries(placement.tiers ?? {}).map(([t, e]) => `${t}: ${e}`);
  const sizes = Object.entries(types).map(([t, s]) => `${t} on ${s}`);
  const extra = [...tiers, ...sizes].join(', ');
  return (extra ? `${placement.default} (${extra})` : placement.default).slice(0, 200);
}

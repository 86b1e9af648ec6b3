import { Inject, Injectable } from '@nestjs/common';
import {
  planDeployment,
  redactParameters,
  resolveParameters,
  type EnvironmentCatalog,
  type Placement,
  type Problem,
} from '@switchyard/blueprints';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { BlueprintLoaderService } from './blueprint-loader.service.js';
import type { PlanDto, PlanRequestDto } from './blueprint-plan.dto.js';
import { BlueprintsService } from './blueprints.service.js';
import { EnvironmentCatalogService } from '../environments/environment-catalog.service.js';

/**
 * The plan of one blueprint version for a placement: stages, instance type and image per tier,
 * exact costs and fabric objects. Environments are the stored ones (priced by their price lists),
 * or, for what-if pricing, given in the request; secrets never come back.
 */
@Injectable()
export class BlueprintPlanService {
  constructor(
    @Inject(BlueprintsService) private readonly blueprints: BlueprintsService,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(EnvironmentCatalogService) private readonly catalogs: EnvironmentCatalogService,
  ) {}

  async plan(caller: Principal, name: string, ref: string, dto: PlanRequestDto): Promise<PlanDto> {
    const problems: Problem[] = [];
    const placement = checkPlacement(dto.placement, problems);
    // environments in the request (what-if pricing) or, by default, the stored ones
    const environments = dto.environments
      ? environmentsByName(dto.environments, problems)
      : await this.catalogs.catalogs(caller, placement);
    const { row, version } = await this.blueprints.resolve(caller, name, ref);
    if (version.state === 'deprecated') {
      throw AppException.conflict(`${name}@${version.version} is deprecated; plan a published version`);
    }
    // `uses` resolves in the blueprint's own tenant, where it was validated.
    const loaded = await this.loader.load(row.tenantId, version.source, version.contentType);
    if (!loaded.ok) {
      throw AppException.conflict(
        `${name}@${version.version} no longer validates against the catalog`,
        loaded.problems,
      );
    }
    const params = resolveParameters(loaded.expanded, dto.parameters ?? {});
    problems.push(...params.problems);
    if (problems.length > 0) throw AppException.invalid(problems, 'The plan request is invalid');
    const planned = planDeployment({
      blueprint: loaded.expanded,
      parameters: params.values,
      placement,
      environments,
    });
    if (!planned.ok) throw AppException.invalid(planned.problems, 'The blueprint cannot be planned so');
    const { blueprint, ...rest } = planned.plan;
    return { blueprint, parameters: redactParameters(loaded.expanded, params.values), ...rest };
  }
}

function environmentsByName(
  list: EnvironmentCatalog[],
  problems: Problem[],
): Record<string, EnvironmentCatalog> {
  const byName: Record<string, EnvironmentCatalog> = {};
  list.forEach((environment, i) => {
    if (Object.hasOwn(byName, environment.name)) {
      problems.push({ path: `environments.${i}.name`, message: `"${environment.name}" is listed twice` });
    }
    byName[environment.name] = environment;
  });
  return byName;
}

function checkPlacement(dto: PlanRequestDto['placement'], problems: Problem[]): Placement {
  const tiers: Record<string, string> = {};
  for (const [tier, environment] of Object.entries(dto.tiers ?? {})) {
    // class-validator checks the map, not its values.
    if (typeof environment === 'string' && environment !== '') tiers[tier] = environment;
    else problems.push({ path: `placement.tiers.${tier}`, message: 'must be an environment name' });
  }
  return { default: dto.default, tiers };
}

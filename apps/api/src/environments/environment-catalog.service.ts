import { Inject, Injectable } from '@nestjs/common';
import type { EnvironmentCatalog } from '@switchyard/blueprints';
import { defaultVsphereSizes } from '@switchyard/cloud-adapters';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { pricedInstanceTypes } from './environment-prices.util.js';
import { EnvironmentsRepository, type EnvironmentRow } from './environments.repository.js';
import { tenantScope } from '../auth/tenant-scope.util.js';

const PLAN_PROVIDER = { 'aws-ec2': 'aws', openstack: 'openstack', vsphere: 'vsphere' } as const;

/**
 * Environments as the planner and the orders engine see them: priced instance types and images
 * (EnvironmentCatalog). The worker opens the connection itself (environmentConnection).
 */
@Injectable()
export class EnvironmentCatalogService {
  constructor(@Inject(EnvironmentsRepository) private readonly repo: EnvironmentsRepository) {}

  /** Catalogs of the named environments the caller may use; a 400 names every unknown one. */
  async catalogs(caller: Principal, names: string[]): Promise<Record<string, EnvironmentCatalog>> {
    const unique = [...new Set(names)];
    const found = await this.repo.findVisible(tenantScope(caller), unique);
    const missing = unique.filter((n) => !found.has(n));
    if (missing.length > 0) {
      throw AppException.invalid(
        missing.map((n) => ({ path: `environments.${n}`, message: 'is not an environment you may use' })),
        `Unknown environment${missing.length > 1 ? 's' : ''}: ${missing.join(', ')}`,
      );
    }
    const out: Record<string, EnvironmentCatalog> = {};
    for (const name of unique) out[name] = toCatalog(found.get(name) as EnvironmentRow);
    return out;
  }

  /** One environment's catalog, or 404 (the route `GET /environments/{name}/catalog`). */
  async catalog(caller: Principal, name: string): Promise<EnvironmentCatalog> {
    const row = (await this.repo.findVisible(tenantScope(caller), [name])).get(name);
    if (!row) throw AppException.notFound(`environment ${name}`);
    return toCatalog(row);
  }
}

/** The planner's view of an environment; a rate card prices the account's sizes. */
export function toCatalog({ environment: env, account }: EnvironmentRow): EnvironmentCatalog {
  const sizes =
    account.inventory?.instanceTypes ?? (account.provider === 'vsphere' ? defaultVsphereSizes : []);
  const catalog: EnvironmentCatalog = {
    name: env.name,
    provider: PLAN_PROVIDER[account.provider],
    currency: env.priceList.currency,
    instanceTypes: pricedInstanceTypes(env.priceList, sizes),
    images: env.images,
  };
  if (env.region) catalog.region = env.region;
  if (env.priceList.storageGiBMonthPrice !== undefined) {
    catalog.storageGiBMonthPrice = env.priceList.storageGiBMonthPrice;
  }
  return catalog;
}

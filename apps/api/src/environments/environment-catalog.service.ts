import { Inject, Injectable } from '@nestjs/common';
import type { EnvironmentCatalog, Placement } from '@switchyard/blueprints';
import { defaultVsphereSizes } from '@switchyard/cloud-adapters';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { pricedInstanceTypes } from './environment-prices.util.js';
import { EnvironmentsRepository, type EnvironmentRow } from './environments.repository.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { EntitlementsService } from '../governance/entitlements/entitlements.service.js';

// an unknown environment's error names at most this many of those the caller may use
const LISTED_ENVIRONMENTS = 20;

const PLAN_PROVIDER = {
  'aws-ec2': 'aws',
  openstack: 'openstack',
  vsphere: 'vsphere',
  'linux-host': 'linux-host',
} as const;

/**
 * Environments as the planner and the orders engine see them: priced instance types and images
 * (EnvironmentCatalog). The worker opens the connection itself (environmentConnection).
 */
@Injectable()
export class EnvironmentCatalogService {
  constructor(
    @Inject(EnvironmentsRepository) private readonly repo: EnvironmentsRepository,
    @Inject(EntitlementsService) private readonly entitlements: EntitlementsService,
  ) {}

  /**
   * Catalogs of the environments a placement names, if the caller may use them; a 400 names each
   * unknown one at its placement path and lists the environments the caller may use.
   */
  async catalogs(caller: Principal, placement: Placement): Promise<Record<string, EnvironmentCatalog>> {
    const scope = tenantScope(caller);
    const places: [string, string][] = [
      ['placement.default', placement.default],
      ...Object.entries(placement.tiers ?? {}).map(([tier, env]): [string, string] => [
        `placement.tiers.${tier}`,
        env,
      ]),
    ];
    await this.entitlements.requireEnvironments(caller, places);
    const found = await this.repo.findVisible(scope, [...new Set(places.map(([, env]) => env))]);
    const unknown = places.filter(([, env]) => !found.has(env));
    if (unknown.length > 0) {
      const entitled = await this.entitlements.environmentFilter(caller);
      const choice = usableText(await this.repo.visibleNames(scope, entitled));
      const names = [...new Set(unknown.map(([, env]) => env))];
      throw AppException.invalid(
        unknown.map(([path, env]) => ({
          path,
          message: `${env} is not an environment you may use; ${choice}`,
        })),
        `Unknown environment${names.length > 1 ? 's' : ''}: ${names.join(', ')}`,
      );
    }
    return Object.fromEntries([...found].map(([name, row]) => [name, toCatalog(row)]));
  }

  /** Catalogs of every environment the caller may use, sorted by name. */
  async usable(caller: Principal): Promise<EnvironmentCatalog[]> {
    return this.usableUnder(caller, await this.entitlements.environmentFilter(caller));
  }

  /** The same, with the caller's environment entitlements already read (LIKE patterns, null: all). */
  async usableUnder(caller: Principal, entitled: string[] | null): Promise<EnvironmentCatalog[]> {
    const scope = tenantScope(caller);
    const found = await this.repo.findVisible(scope, await this.repo.visibleNames(scope, entitled));
    return [...found.values()].map(toCatalog).sort((a, b) => a.name.localeCompare(b.name));
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

/** The environments a caller may use, as an error names them: the first few, then how many more. */
function usableText(names: string[]): string {
  if (names.length === 0) return 'there is no environment you may use yet';
  const shown = names.slice(0, LISTED_ENVIRONMENTS).join(', ');
  const more = names.length - LISTED_ENVIRONMENTS;
  return `you may use ${shown}${more > 0 ? ` and ${more} more (GET /api/v1/environments)` : ''}`;
}

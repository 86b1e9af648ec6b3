import { Inject, Injectable } from '@nestjs/common';
import { SYSTEM_SCOPE } from '@switchyard/core/database';
import {
  checkBlueprint,
  createServiceResolver,
  locateProblems,
  parseBlueprint,
  parseReference,
  type BlueprintContentType,
  type LoadResult,
  type ServiceVersion,
} from '@switchyard/blueprints';
import { DEFAULT_TENANT } from '../tenants/default-tenant.js';
import { TenantsRepository } from '../tenants/tenants.repository.js';
import { BlueprintsRepository } from './blueprints.repository.js';

/**
 * Parses and validates blueprint text against the catalog a tenant sees: its own blueprints plus
 * the shared demo catalog in tenant `default`, which every tenant may read. A name the tenant
 * has itself shadows the shared one entirely (no mixing of versions from both).
 */
@Injectable()
export class BlueprintLoaderService {
  private sharedTenant: Promise<string | undefined> | undefined;

  constructor(
    @Inject(BlueprintsRepository) private readonly repo: BlueprintsRepository,
    @Inject(TenantsRepository) private readonly tenants: TenantsRepository,
  ) {}

  /** The tenant whose blueprints every tenant may read (the demo catalog). */
  sharedTenantId(): Promise<string | undefined> {
    // Cached: tenant ids never change. A miss is not cached, in case the tenant appears later.
    this.sharedTenant ??= this.tenants.findByName(SYSTEM_SCOPE, DEFAULT_TENANT).then((tenant) => {
      if (!tenant) this.sharedTenant = undefined;
      return tenant?.id;
    });
    return this.sharedTenant;
  }

  /** The tenants to read a name from, in order: the caller's own, then the shared one. */
  async readableTenants(tenantId: string): Promise<string[]> {
    const shared = await this.sharedTenantId();
    return shared === undefined || shared === tenantId ? [tenantId] : [tenantId, shared];
  }

  async load(tenantId: string, text: string, contentType: BlueprintContentType): Promise<LoadResult> {
    const parsed = parseBlueprint(text, contentType);
    if (!parsed.ok) return parsed;
    const services = await this.servicesFor(tenantId, usedServiceNames(parsed.blueprint));
    const checked = checkBlueprint(parsed.blueprint, {
      resolveService: createServiceResolver(services),
    });
    if (!checked.ok) return { ok: false, problems: locateProblems(checked.problems, parsed.sourceMap) };
    return { ...checked, sourceMap: parsed.sourceMap };
  }

  private async servicesFor(tenantId: string, names: string[]): Promise<ServiceVersion[]> {
    if (names.length === 0) return [];
    const own = await this.repo.existingNames(tenantId, names);
    const shared = await this.sharedTenantId();
    const rows = await this.repo.serviceVersions(tenantId, [...own]);
    const sharedNames = names.filter((n) => !own.has(n));
    if (shared !== undefined && shared !== tenantId && sharedNames.length > 0) {
      rows.push(...(await this.repo.serviceVersions(shared, sharedNames)));
    }
    return rows.map((r) => ({ version: r.version, state: r.state, blueprint: r.document }));
  }
}

/** The Service names a raw (unvalidated) document's tiers `uses`. */
function usedServiceNames(doc: Record<string, unknown>): string[] {
  const tiers = doc['tiers'];
  if (typeof tiers !== 'object' || tiers === null) return [];
  const names = new Set<string>();
  for (const tier of Object.values(tiers)) {
    const uses: unknown =
      typeof tier === 'object' && tier !== null ? (tier as { uses?: unknown }).uses : undefined;
    if (typeof uses !== 'string') continue;
    const ref = parseReference(uses);
    if (ref.ok) names.add(ref.reference.name);
  }
  return [...names].slice(0, 100);
}

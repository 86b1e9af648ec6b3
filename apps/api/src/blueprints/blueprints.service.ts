import { Inject, Injectable } from '@nestjs/common';
import { parseBlueprint, pickVersion } from '@switchyard/blueprints';
import semver from 'semver';
import { stringify } from 'yaml';
import type { Principal } from '../auth/principal.js';
import { AppException } from '../common/app.exception.js';
import { EntitlementsService } from '../governance/entitlements/entitlements.service.js';
import { mapPage, type Page } from '../common/pagination.js';
import { BlueprintLoaderService } from './blueprint-loader.service.js';
import { latestOf, toDetailDto, toSummaryDto } from './blueprint-mapping.util.js';
import type { BlueprintDetailDto, BlueprintListQuery, BlueprintSummaryDto } from './blueprints.dto.js';
import { BlueprintsRepository, type BlueprintRow, type VersionRow } from './blueprints.repository.js';

export type BlueprintFormat = 'yaml' | 'json';

export interface BlueprintText {
  body: string;
  mediaType: string;
  version: VersionRow;
}

/**
 * Reading the catalog. A caller reads its own tenant's blueprints and the shared demo catalog
 * (tenant `default`); anything else is 404, never 403, so other tenants' names do not leak.
 */
@Injectable()
export class BlueprintsService {
  constructor(
    @Inject(BlueprintsRepository) private readonly repo: BlueprintsRepository,
    @Inject(BlueprintLoaderService) private readonly loader: BlueprintLoaderService,
    @Inject(EntitlementsService) private readonly entitlements: EntitlementsService,
  ) {}

  /** One page of the list; `entitled`: LIKE patterns of the blueprints the caller may see, or null for all. */
  async list(
    caller: Principal,
    query: BlueprintListQuery,
    entitled: string[] | null,
  ): Promise<Page<BlueprintSummaryDto>> {
    const page = await this.repo.list(
      caller.tenantId,
      await this.loader.sharedTenantId(),
      { ...query, entitled },
      query.cursor,
      query.limit,
    );
    return mapPage(page, (row) => toSummaryDto(row, caller.tenantId, latestOf(row.published)));
  }

  async get(caller: Principal, name: string): Promise<BlueprintDetailDto> {
    await this.entitlements.requireBlueprint(caller, name);
    const row = await this.findReadable(caller.tenantId, name);
    const heads = await this.repo.versionHeads([row.tenantId], [row.id]);
    // The shared catalog shows its releases only, not tenant default's drafts.
    const shown = row.tenantId === caller.tenantId ? heads : heads.filter((h) => h.state !== 'draft');
    return toDetailDto(row, caller.tenantId, shown);
  }

  /**
   * An exact version in any state, or the highest published version matching `latest` or a range.
   * Deprecated versions answer only when named exactly.
   */
  async resolve(
    caller: Principal,
    name: string,
    ref: string,
  ): Promise<{ row: BlueprintRow; version: VersionRow }> {
    await this.entitlements.requireBlueprint(caller, name);
    const row = await this.findReadable(caller.tenantId, name);
    let exact = ref;
    if (semver.valid(ref) !== ref) {
      const heads = await this.repo.versionHeads([row.tenantId], [row.id]);
      const picked = pickVersion(heads, ref);
      if (!picked.ok) throw AppException.notFound(`published version of ${name} matching ${ref}`);
      exact = picked.entry.version;
    }
    const version = await this.repo.findVersion(undefined, row.tenantId, row.id, exact);
    // Drafts are work in progress of the owning tenant; the shared catalog shows only releases.
    if (!version || (version.state === 'draft' && row.tenantId !== caller.tenantId)) {
      throw AppException.notFound(`blueprint ${name} version ${ref}`);
    }
    return { row, version };
  }

  /** The text of a version: as pushed when the format matches, else converted (key order kept). */
  async text(caller: Principal, name: string, ref: string, format: BlueprintFormat): Promise<BlueprintText> {
    const { version } = await this.resolve(caller, name, ref);
    const mediaType = format === 'yaml' ? 'application/yaml' : 'application/json';
    if (version.contentType === format) return { body: version.source, mediaType, version };
    // Re-parsed rather than taken from the jsonb column, which does not keep key order.
    const parsed = parseBlueprint(version.source, version.contentType);
    const doc = parsed.ok ? parsed.blueprint : version.document;
    const body = format === 'yaml' ? stringify(doc, { lineWidth: 0 }) : `${JSON.stringify(doc, null, 2)}\n`;
    return { body, mediaType, version };
  }

  private async findReadable(tenantId: string, name: string): Promise<BlueprintRow> {
    for (const tenant of await this.loader.readableTenants(tenantId)) {
      const row = await this.repo.find(tenant, name);
      if (row) return row;
    }
    throw AppException.notFound(`blueprint ${name}`);
  }
}

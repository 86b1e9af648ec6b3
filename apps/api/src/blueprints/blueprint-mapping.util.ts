import type { BlueprintDocument } from '@switchyard/blueprints';
import semver from 'semver';
import type { BlueprintDetailDto, BlueprintSummaryDto, BlueprintVersionDto } from './blueprints.dto.js';
import type { BlueprintFields, BlueprintRow, VersionHead } from './blueprints.repository.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

export function toVersionDto(row: BlueprintRow, v: VersionHead): BlueprintVersionDto {
  return {
    name: row.name,
    version: v.version,
    kind: row.kind,
    state: v.state,
    contentType: v.contentType,
    sha256: v.sha256,
    createdAt: v.createdAt.toISOString(),
    updatedAt: v.updatedAt.toISOString(),
    publishedAt: iso(v.publishedAt),
    deprecatedAt: iso(v.deprecatedAt),
  };
}

export function toSummaryDto(
  row: BlueprintRow,
  callerTenantId: string,
  latest: string | null,
): BlueprintSummaryDto {
  return {
    name: row.name,
    kind: row.kind,
    title: row.title,
    description: row.description,
    category: row.category,
    tags: row.tags,
    owner: row.owner,
    shared: row.tenantId !== callerTenantId,
    latestVersion: latest,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toDetailDto(
  row: BlueprintRow,
  callerTenantId: string,
  heads: VersionHead[],
): BlueprintDetailDto {
  const sorted = [...heads].sort((a, b) => semver.rcompare(a.version, b.version));
  return {
    ...toSummaryDto(row, callerTenantId, latestPublished(heads)),
    versions: sorted.map((v) => toVersionDto(row, v)),
  };
}

/** The highest published version (no prereleases, as `latest`), or null. */
export function latestPublished(heads: VersionHead[]): string | null {
  return latestOf(heads.filter((v) => v.state === 'published').map((v) => v.version));
}

/** The highest of these published version numbers (no prereleases, as `latest`), or null. */
export function latestOf(published: string[]): string | null {
  return semver.maxSatisfying(published, '*');
}

/** The listing columns of a blueprint, from the metadata of the version just pushed or published. */
export function blueprintFields(doc: BlueprintDocument, owner: string): BlueprintFields {
  const m = doc.metadata;
  return {
    kind: doc.kind,
    owner: m.owner ?? owner,
    category: m.category ?? null,
    tags: m.tags ?? [],
    title: m.title,
    description: m.description ?? '',
  };
}

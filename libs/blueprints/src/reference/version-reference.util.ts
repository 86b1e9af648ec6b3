import semver from 'semver';
import type { BlueprintDocument, ServiceResolver } from '../blueprint.types.js';
import type { Problem } from '../problem.types.js';

const NAME = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_RANGE_LENGTH = 64;

export interface VersionReference {
  name: string;
  // A semver range ('^1.2', '1.2.3', '>=1 <2') or 'latest'.
  range: string;
}

export type ReferenceResult = { ok: true; reference: VersionReference } | { ok: false; problem: Problem };

/** Reads `name`, `name@latest` or `name@<semver range>`. */
export function parseReference(text: string): ReferenceResult {
  const at = text.indexOf('@');
  const name = at < 0 ? text : text.slice(0, at);
  const range = at < 0 ? 'latest' : text.slice(at + 1).trim();
  if (!NAME.test(name)) {
    return { ok: false, problem: { path: '', message: `"${name}" is not a valid name (a DNS label)` } };
  }
  if (range !== 'latest' && !isValidRange(range)) {
    return {
      ok: false,
      problem: { path: '', message: `"${range}" is not a version range (try 1.2.3, ^1.2, ~1.2 or latest)` },
    };
  }
  return { ok: true, reference: { name, range } };
}

function isValidRange(range: string): boolean {
  // The length cap keeps semver's range parser away from pathological input.
  return (
    range !== '' &&
    range.length <= MAX_RANGE_LENGTH &&
    !range.includes('@') &&
    semver.validRange(range) !== null
  );
}

export type VersionState = 'draft' | 'published' | 'deprecated';

export interface VersionEntry {
  version: string;
  state: VersionState;
}

export interface PickOptions {
  // Existing deployments may still resolve a deprecated version; new orders may not.
  includeDeprecated?: boolean;
}

export type PickResult<T> = { ok: true; entry: T } | { ok: false; problem: Problem };

/** The highest published version matching `range` (prereleases only when the range names one). */
export function pickVersion<T extends VersionEntry>(
  versions: readonly T[],
  range: string,
  options: PickOptions = {},
): PickResult<T> {
  const effective = range === 'latest' ? '*' : range;
  if (range !== 'latest' && !isValidRange(range)) {
    return { ok: false, problem: { path: '', message: `"${range}" is not a version range` } };
  }
  const usable = versions.filter(
    (v) =>
      semver.valid(v.version) !== null &&
      (v.state === 'published' || (options.includeDeprecated === true && v.state === 'deprecated')),
  );
  const best = semver.maxSatisfying(
    usable.map((v) => v.version),
    effective,
  );
  const entry = best === null ? undefined : usable.find((v) => v.version === best);
  if (entry === undefined) {
    return { ok: false, problem: { path: '', message: `no published version matches ${range}` } };
  }
  return { ok: true, entry };
}

export interface ServiceVersion extends VersionEntry {
  blueprint: BlueprintDocument;
}

/** A resolver over an in-memory list of Service versions (the demo catalog, tests, a loaded page of rows). */
export function createServiceResolver(services: readonly ServiceVersion[]): ServiceResolver {
  return (name, range) => {
    const candidates = services.filter(
      (s) => s.blueprint.kind === 'Service' && s.blueprint.metadata.name === name,
    );
    const picked = pickVersion(candidates, range);
    if (!picked.ok) return undefined;
    return { name, version: picked.entry.version, blueprint: picked.entry.blueprint };
  };
}

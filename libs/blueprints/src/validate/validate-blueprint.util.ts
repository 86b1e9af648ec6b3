import semver from 'semver';
import type {
  BlueprintDocument,
  ExpandedBlueprint,
  Loose,
  ParameterSpec,
  ValidationContext,
} from '../blueprint.types.js';
import { resolveTierUses } from '../expand/resolve-tier-uses.util.js';
import type { Problem } from '../problem.types.js';
import {
  BLUEPRINT_JSON_SCHEMA,
  DNS_LABEL_PATTERN,
  PARAMETER_NAME_PATTERN,
} from '../schema/blueprint.schema.js';
import { checkAgainstSchema, isRecord } from '../schema/schema-check.util.js';
import { checkBenchmark, checkConnections, checkOutputs } from './connection-rules.util.js';
import { checkParameterDeclarations } from './parameter-rules.util.js';
import type { RuleContext } from './rule-context.util.js';
import { checkTiers } from './tier-rules.util.js';
import { checkUses } from './uses-rules.util.js';

export type CheckResult =
  | { ok: true; blueprint: BlueprintDocument; expanded: ExpandedBlueprint }
  | { ok: false; problems: Problem[] };

/** Validates a parsed document (every problem at once) and, when valid, returns it typed and expanded. */
export function checkBlueprint(doc: unknown, context: ValidationContext): CheckResult {
  const { problems, pruned } = checkAgainstSchema(doc, BLUEPRINT_JSON_SCHEMA);
  // Cross-field rules run on what survived the schema, so all problems come out at once.
  const loose = (pruned ?? {}) as Loose<BlueprintDocument>;
  const version = loose.metadata?.version;
  if (version !== undefined && semver.valid(version) !== version) {
    problems.push({ path: 'metadata.version', message: 'must be a semantic version like 1.2.0' });
  }
  checkParameterDeclarations(loose.parameters, problems);
  // Names come from the raw document: a tier whose body is invalid still exists for references.
  const raw = isRecord(doc) ? doc : {};
  const params = new Map<string, Loose<ParameterSpec>>(
    validKeys(raw['parameters'], PARAMETER_NAME_PATTERN).map((name) => [
      name,
      loose.parameters?.[name] ?? {},
    ]),
  );
  const tierNames = new Set(validKeys(raw['tiers'], DNS_LABEL_PATTERN));
  const ctx: RuleContext = { doc: loose, params, tierNames, problems };
  const services = checkUses(ctx, context.resolveService);
  checkTiers(ctx);
  checkConnections(ctx);
  checkBenchmark(ctx);
  checkOutputs(ctx);
  if (problems.length > 0) return { ok: false, problems };
  const blueprint = doc as BlueprintDocument;
  const tiers = Object.fromEntries(
    Object.entries(blueprint.tiers).map(([name, tier]) => [
      name,
      resolveTierUses(name, tier, services.get(name)),
    ]),
  );
  const expanded: ExpandedBlueprint = {
    apiVersion: blueprint.apiVersion,
    kind: blueprint.kind,
    metadata: blueprint.metadata,
    parameters: blueprint.parameters ?? {},
    tiers,
    connections: blueprint.connections ?? [],
    outputs: blueprint.outputs ?? {},
  };
  if (blueprint.benchmark) expanded.benchmark = blueprint.benchmark;
  return { ok: true, blueprint, expanded };
}

function validKeys(value: unknown, pattern: string): string[] {
  const regex = new RegExp(pattern, 'u');
  return isRecord(value) ? Object.keys(value).filter((key) => regex.test(key)) : [];
}

/** Every problem of a parsed document, by dot path; empty when valid. */
export function validateBlueprint(doc: unknown, context: ValidationContext): Problem[] {
  const result = checkBlueprint(doc, context);
  return result.ok ? [] : result.problems;
}

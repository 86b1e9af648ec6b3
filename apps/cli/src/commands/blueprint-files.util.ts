import {
  createServiceResolver,
  loadBlueprint,
  loadDemoCatalog,
  parseBlueprint,
  type BlueprintContentType,
  type BlueprintDocument,
  type Problem,
  type ServiceVersion,
} from '@switchyard/blueprints';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { UsageError } from '../core/flags.js';

export interface BlueprintFile {
  file: string;
  text: string;
  contentType: BlueprintContentType;
}

export interface FileCheck {
  file: string;
  valid: boolean;
  problems: Problem[];
}

/** Reads a blueprint file; `.json` is JSON, anything else YAML. */
export function readBlueprintFile(file: string): BlueprintFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
  }
  return { file, text, contentType: file.toLowerCase().endsWith('.json') ? 'json' : 'yaml' };
}

/**
 * Validates a file offline, with the same library as the server. `uses` resolves against the
 * demo catalog shipped with the CLI plus the given Service files (the server resolves against
 * the tenant's catalog, so a private Service must be passed with --service here).
 */
export function checkFile(file: string, serviceFiles: string[]): FileCheck {
  const services: ServiceVersion[] = [];
  const sources = [
    ...loadDemoCatalog().map((c) => ({ file: c.file, text: c.text, contentType: 'yaml' as const })),
    ...serviceFiles.map(readBlueprintFile),
  ];
  for (const source of sources) {
    const parsed = parseBlueprint(source.text, source.contentType);
    if (!parsed.ok) continue;
    const doc = parsed.blueprint as unknown as BlueprintDocument;
    if (doc.kind !== 'Service' || typeof doc.metadata?.version !== 'string') continue;
    services.push({ version: doc.metadata.version, state: 'published', blueprint: doc });
  }
  const { text, contentType } = readBlueprintFile(file);
  const loaded = loadBlueprint(text, contentType, { resolveService: createServiceResolver(services) });
  return { file, valid: loaded.ok, problems: loaded.ok ? [] : loaded.problems };
}

/** `FILE:LINE:COL: path: message`, the shape editors and CI annotate from. */
export function formatProblem(file: string, p: Problem): string {
  const at = p.line === undefined ? file : `${file}:${p.line}:${p.column ?? 1}`;
  return `${at}: ${p.path === '' ? '(document)' : p.path}: ${p.message}`;
}

/** Environments for `plan --environments FILE`: a JSON or YAML list of EnvironmentCatalog. */
export function readEnvironments(file: string): Record<string, unknown>[] {
  const { text } = readBlueprintFile(file);
  let value: unknown;
  try {
    value = parse(text, { maxAliasCount: 100 });
  } catch (err) {
    throw new UsageError(`${file}: ${(err as Error).message.split('\n')[0] ?? 'not YAML or JSON'}`);
  }
  // Also accept {environments: [...]}, the shape of a plan request.
  const list =
    typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as { environments?: unknown }).environments
      : value;
  if (!Array.isArray(list)) throw new UsageError(`${file}: must be a list of environments`);
  return list as Record<string, unknown>[];
}

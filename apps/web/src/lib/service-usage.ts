import type { BlueprintDocument } from '../api/types';

export interface UsingTier {
  tier: string;
  uses: string;
  /** the settings the blueprint gives the service's tier */
  env: Record<string, string>;
}

/** The tiers of a blueprint that `uses` the named service (`uses: name`, `name@range`). */
export function tiersUsing(doc: BlueprintDocument, service: string): UsingTier[] {
  return Object.entries(doc.tiers ?? {}).flatMap(([tier, t]) =>
    t.uses !== undefined && (t.uses === service || t.uses.startsWith(`${service}@`))
      ? [{ tier, uses: t.uses, env: t.env ?? {} }]
      : [],
  );
}

/**
 * A minimal blueprint fragment that uses the service, reached from an `app` tier on its ports; with
 * the settings a blueprint that uses it gives it, when there is one.
 */
export function usageSnippet(service: BlueprintDocument, example?: UsingTier): string {
  const name = service.metadata.name;
  const major = service.metadata.version.split('.')[0] ?? service.metadata.version;
  const ports = [...new Set(Object.values(service.tiers ?? {}).flatMap((t) => t.ports ?? []))];
  const lines = [
    'tiers:',
    `  ${name}:`,
    `    uses: ${name}@^${major}   # its size, image and setup come from the service`,
    ...(example && Object.keys(example.env).length > 0
      ? ['    env:', ...Object.entries(example.env).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`)]
      : []),
    '  app:',
    '    # … your own tier',
    `    dependsOn: [${name}]`,
    'connections:',
    `  - { from: app, to: ${name}${ports.length ? `, ports: [${ports.join(', ')}]` : ''} }`,
  ];
  return `${lines.join('\n')}\n`;
}

import type { BlueprintDocument } from '../api/types';

/** The tiers of a blueprint that `uses` the named service (`uses: name`, `name@range`). */
export function tiersUsing(doc: BlueprintDocument, service: string): { tier: string; uses: string }[] {
  return Object.entries(doc.tiers ?? {}).flatMap(([tier, t]) =>
    t.uses !== undefined && (t.uses === service || t.uses.startsWith(`${service}@`))
      ? [{ tier, uses: t.uses }]
      : [],
  );
}

/** A minimal blueprint fragment that uses the service, reached from an `app` tier on its ports. */
export function usageSnippet(service: BlueprintDocument): string {
  const name = service.metadata.name;
  const major = service.metadata.version.split('.')[0] ?? service.metadata.version;
  const ports = [...new Set(Object.values(service.tiers ?? {}).flatMap((t) => t.ports ?? []))];
  const lines = [
    'tiers:',
    `  ${name}:`,
    `    uses: ${name}@^${major}   # its size, image and setup come from the service`,
    '  app:',
    '    # … your own tier',
    `    dependsOn: [${name}]`,
    'connections:',
    `  - { from: app, to: ${name}${ports.length ? `, ports: [${ports.join(', ')}]` : ''} }`,
  ];
  return `${lines.join('\n')}\n`;
}

import { interpolate, type ExpandedTier } from '@switchyard/blueprints';

/**
 * The cloud-init user-data of one instance: its tier's packages, env and script, with
 * `${params.x}` and `${tiers.t.address}` filled in (the addresses of tiers it depends on are known
 * because tiers are provisioned in dependency order).
 */
export function cloudInit(
  tier: ExpandedTier,
  params: Readonly<Record<string, unknown>>,
  addressOf: (tier: string) => string,
  identity: { deployment: string; tier: string; index: number; address: string },
): string {
  const fill = (text: string) => interpolate(text, params, addressOf);
  const env = Object.entries(tier.env).map(([k, v]) => `${k}=${shellQuote(fill(v))}`);
  const lines = [
    '#cloud-config',
    `# switchyard deployment ${identity.deployment}, tier ${identity.tier}, instance ${identity.index}`,
    ...(tier.init.packages?.length ? ['packages:', ...tier.init.packages.map((p) => `  - ${p}`)] : []),
    'write_files:',
    '  - path: /etc/switchyard/env',
    "    permissions: '0600'",
    '    content: |',
    `      SWITCHYARD_ADDRESS=${identity.address}`,
    ...env.map((e) => `      ${e}`),
  ];
  if (tier.init.script) {
    lines.push('  - path: /var/lib/switchyard/init.sh', "    permissions: '0700'", '    content: |');
    lines.push(
      ...fill(tier.init.script)
        .split('\n')
        .map((l) => `      ${l}`),
    );
    lines.push(
      'runcmd:',
      "  - [sh, -c, 'set -a; . /etc/switchyard/env; set +a; exec /var/lib/switchyard/init.sh']",
    );
  }
  return lines.join('\n') + '\n';
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

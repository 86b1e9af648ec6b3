import { interpolate, type ExpandedTier } from '@switchyard/blueprints';
import { stringify } from 'yaml';
import { BOOTCMD, GUEST_PATHS, POLICY_PULL_SCRIPT } from './guest/policy-pull.sh.js';

/** What an instance needs to enforce its policy: its ruleset, and how to keep it current. */
export interface GuestPolicy {
  /** The instance's nftables ruleset (FabricService.ruleset scoped to its address). */
  ruleset: string;
  /** The ruleset's ETag as the API answers it, so the first pull is a 304. */
  etag: string;
  /** The instance's guest token (sydg_…). */
  token: string;
  /** The full URL of the guest ruleset route. */
  pullUrl: string;
}

interface WriteFile {
  path: string;
  permissions: string;
  content: string;
}

/**
 * The cloud-init user-data of one instance: its tier's packages, env and script, with
 * `${params.x}` and `${tiers.t.address}` filled in (the addresses of tiers it depends on are known
 * because tiers are provisioned in dependency order), and its policy: the ruleset in
 * /etc/switchyard/nftables.nft, loaded by `nft -f` in `bootcmd` at every boot, and the policy pull
 * started from `bootcmd` too. Written with a YAML library, so any text (rulesets, scripts, values)
 * is embedded as a block scalar with the right indentation, never spliced in by hand.
 */
export function cloudInit(
  tier: ExpandedTier,
  params: Readonly<Record<string, unknown>>,
  addressOf: (tier: string) => string,
  identity: { deployment: string; tier: string; index: number; address: string },
  policy: GuestPolicy,
): string {
  const fill = (text: string) => interpolate(text, params, addressOf);
  const env = Object.entries(tier.env).map(([k, v]) => `${k}=${shellQuote(fill(v))}`);
  const files: WriteFile[] = [
    {
      path: '/etc/switchyard/env',
      permissions: '0600',
      content: [`SWITCHYARD_ADDRESS=${identity.address}`, ...env].join('\n') + '\n',
    },
    { path: GUEST_PATHS.ruleset, permissions: '0600', content: policy.ruleset },
    { path: GUEST_PATHS.etag, permissions: '0600', content: `${policy.etag}\n` },
    { path: GUEST_PATHS.url, permissions: '0600', content: `${policy.pullUrl}\n` },
    { path: GUEST_PATHS.auth, permissions: '0600', content: `Authorization: Bearer ${policy.token}\n` },
    { path: GUEST_PATHS.script, permissions: '0755', content: POLICY_PULL_SCRIPT },
  ];
  const config: Record<string, unknown> = {};
  if (tier.init.packages?.length) config.packages = [...tier.init.packages];
  if (tier.init.script) {
    files.push({ path: '/var/lib/switchyard/init.sh', permissions: '0700', content: fill(tier.init.script) });
  }
  config.write_files = files;
  config.bootcmd = BOOTCMD;
  if (tier.init.script) {
    config.runcmd = [['sh', '-c', 'set -a; . /etc/switchyard/env; set +a; exec /var/lib/switchyard/init.sh']];
  }
  return [
    '#cloud-config',
    `# switchyard deployment ${identity.deployment}, tier ${identity.tier}, instance ${identity.index}`,
    stringify(config, { blockQuote: 'literal', lineWidth: 0 }),
  ].join('\n');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

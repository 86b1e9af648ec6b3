import { spawnSync } from 'node:child_process';
import type { ExpandedTier } from '@switchyard/blueprints';
import { compilePolicyState, renderRuleset, rulesetETag } from '@switchyard/network-fabric';
import { parse } from 'yaml';
import { cloudInit, type GuestPolicy } from './cloud-init.util.js';
import { GUEST_PATHS, POLICY_PULL_SCRIPT } from './guest/policy-pull.sh.js';

const tier = {
  name: 'db',
  dependsOn: [],
  ports: ['5432'],
  count: 1,
  init: {
    packages: ['postgresql', 'nftables'],
    // leading spaces on the first line, YAML-looking lines and a comment: all must come back as they are
    script: '  indented: first line\n#!/not/a/shebang\npsql -c "select 1" # ${params.note}\n',
  },
  env: { PGUSER: 'app', NOTE: "it's ${params.note}" },
} as unknown as ExpandedTier;

const ruleset = renderRuleset(
  compilePolicyState({
    networks: [{ networkName: 'n1', subnet: '10.9.0.0/24' }],
    groups: [{ groupName: 'db', networkName: 'n1', ipPool: '', policies: ['db-in'] }],
    endpoints: [{ ipAddress: '10.9.0.5', groupName: 'db', networkName: 'n1' }],
    rules: [
      {
        tenantName: 'acme',
        policyName: 'db-in',
        ruleId: 'deny-all',
        direction: 'in',
        priority: 1,
        action: 'deny',
        protocol: '',
        port: 0,
        fromEndpointGroup: '',
        fromNetwork: '',
        fromIpAddress: '',
        toEndpointGroup: '',
        toNetwork: '',
        toIpAddress: '',
      },
    ],
  }),
  'acme',
);
const policy: GuestPolicy = {
  ruleset,
  etag: rulesetETag(ruleset),
  token: `sydg_${'A'.repeat(43)}`,
  pullUrl: 'https://switchyard.example:8443/api/v1/guest/ruleset',
};
const identity = { deployment: 'dep-1', tier: 'db', index: 0, address: '10.9.0.5' };
const text = cloudInit(tier, { note: 'a "quoted"\nsecond line' }, () => '', identity, policy);
const doc = parse(text) as {
  packages: string[];
  write_files: { path: string; permissions: string; content: string }[];
  bootcmd: string[][];
  runcmd: string[][];
};
const file = (path: string) => doc.write_files.find((f) => f.path === path);

describe('cloudInit', () => {
  it('is a #cloud-config YAML document whose files hold exactly the texts given', () => {
    expect(text.startsWith('#cloud-config\n# switchyard deployment dep-1, tier db, instance 0\n')).toBe(true);
    expect(doc.packages).toEqual(['postgresql', 'nftables']);
    expect(file(GUEST_PATHS.ruleset)).toEqual({
      path: GUEST_PATHS.ruleset,
      permissions: '0600',
      content: ruleset,
    });
    expect(ruleset).toContain('table inet switchyard_acme {');
    expect(file(GUEST_PATHS.etag)?.content).toBe(`${policy.etag}\n`);
    expect(file(GUEST_PATHS.url)?.content).toBe(`${policy.pullUrl}\n`);
    expect(file(GUEST_PATHS.auth)).toEqual({
      path: GUEST_PATHS.auth,
      permissions: '0600',
      content: `Authorization: Bearer ${policy.token}\n`,
    });
    expect(file(GUEST_PATHS.script)).toEqual({
      path: GUEST_PATHS.script,
      permissions: '0755',
      content: POLICY_PULL_SCRIPT,
    });
    expect(file('/var/lib/switchyard/init.sh')?.content).toBe(
      '  indented: first line\n#!/not/a/shebang\npsql -c "select 1" # a "quoted"\nsecond line\n',
    );
    expect(file('/etc/switchyard/env')?.content).toBe(
      "SWITCHYARD_ADDRESS=10.9.0.5\nPGUSER='app'\nNOTE='it'\\''s a \"quoted\"\nsecond line'\n",
    );
  });

  it('loads the ruleset and starts the policy pull in bootcmd (every boot); the tier script stays in runcmd', () => {
    expect(doc.bootcmd).toEqual([
      ['sh', '-c', `if [ -f ${GUEST_PATHS.ruleset} ]; then nft -f ${GUEST_PATHS.ruleset}; fi`],
      [
        'sh',
        '-c',
        `nohup sh -c 'until [ -x ${GUEST_PATHS.script} ]; do sleep 1; done; exec ${GUEST_PATHS.script}' >/dev/null 2>&1 &`,
      ],
    ]);
    expect(doc.runcmd).toEqual([
      ['sh', '-c', 'set -a; . /etc/switchyard/env; set +a; exec /var/lib/switchyard/init.sh'],
    ]);
  });

  it('has no runcmd for a tier without a script, and still its policy', () => {
    const bare = { ...tier, init: {} } as ExpandedTier;
    const parsed = parse(cloudInit(bare, {}, () => '', identity, policy)) as Record<string, unknown>;
    expect(parsed.runcmd).toBeUndefined();
    expect(parsed.bootcmd).toHaveLength(2);
    expect((parsed.write_files as { path: string }[]).map((f) => f.path)).toEqual([
      '/etc/switchyard/env',
      GUEST_PATHS.ruleset,
      GUEST_PATHS.etag,
      GUEST_PATHS.url,
      GUEST_PATHS.auth,
      GUEST_PATHS.script,
    ]);
  });

  it('writes shell that POSIX sh parses (the pull script and both bootcmd lines)', () => {
    for (const script of [POLICY_PULL_SCRIPT, ...doc.bootcmd.map((c) => c[2]!)]) {
      const checked = spawnSync('sh', ['-n'], { input: script, encoding: 'utf8' });
      expect({ status: checked.status, stderr: checked.stderr }).toEqual({ status: 0, stderr: '' });
    }
  });
});

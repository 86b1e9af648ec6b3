import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  compilePolicyState,
  parseIPv4,
  renderRuleset,
  scopeToInstance,
  type PolicyState,
  type RuleConfig,
} from '@switchyard/network-fabric';
import { sh } from './netns-endpoints.js';

const TENANT = 'bench';
const GROUPS = 1000;
const RULES = 10_000;
const ENDPOINTS_PER_GROUP = 2;
const RELOADS = 5;

// the fabric bench's tenant (bench/fabric.bench.ts): 1,000 groups in 100 policies of 100 rules,
// each group with two endpoints so that its address set has members
function bigTenant(): PolicyState {
  const groups = Array.from({ length: GROUPS }, (_, g) => ({
    groupName: `g${g}`,
    networkName: 'vnet',
    ipPool: '',
    policies: [`p${g % 100}`, `p${(g * 7 + 3) % 100}`],
  }));
  const rules: RuleConfig[] = Array.from({ length: RULES }, (_, r) => {
    const inbound = r % 3 !== 0;
    return {
      tenantName: TENANT,
      policyName: `p${r % 100}`,
      ruleId: String(Math.floor(r / 100)),
      direction: inbound ? 'in' : 'out',
      priority: 1 + (r % 100),
      fromEndpointGroup: inbound ? `g${(r * 13) % 1000}` : '',
      fromNetwork: '',
      fromIpAddress: '',
      toEndpointGroup: inbound ? '' : `g${(r * 17) % 1000}`,
      toNetwork: '',
      toIpAddress: '',
      protocol: r % 2 ? 'tcp' : 'udp',
      port: [80, 443, 5432, 0][r % 4]!,
      action: r % 5 ? 'allow' : 'deny',
    } as RuleConfig;
  });
  const endpoints = groups.flatMap((g, i) =>
    Array.from({ length: ENDPOINTS_PER_GROUP }, (_, k) => {
      const n = i * ENDPOINTS_PER_GROUP + k + 1;
      return { ipAddress: `10.200.${n >> 8}.${n & 255}`, groupName: g.groupName, networkName: 'vnet' };
    }),
  );
  return { groups, networks: [{ networkName: 'vnet', subnet: '10.200.0.0/16' }], rules, endpoints };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
}

/** `nft -f FILE` in the namespace, timed (the process start included). */
async function load(ns: string, file: string): Promise<number> {
  const t0 = performance.now();
  await sh(`ip netns exec ${ns} nft -f ${file}`);
  return performance.now() - t0;
}

/**
 * (b) The whole ruleset of a tenant of 1,000 groups and 10,000 rules, and instances' scoped ones:
 * size, compile and render time, and `nft -f` load time in a namespace made for it (removed after).
 */
export async function rulesetScale(prefix: string): Promise<void> {
  const state = bigTenant();
  let t0 = performance.now();
  const compiled = compilePolicyState(state);
  const compileMs = performance.now() - t0;
  t0 = performance.now();
  const whole = renderRuleset(compiled, TENANT);
  const renderMs = performance.now() - t0;
  const sample = state.endpoints.filter((_, i) => i % 40 === 0);
  t0 = performance.now();
  const scoped = sample.map((e) => renderRuleset(scopeToInstance(compiled, parseIPv4(e.ipAddress)!), TENANT));
  const scopeMs = (performance.now() - t0) / sample.length;
  const bytes = (t: string) => Buffer.byteLength(t);
  const lines = (t: string) => t.split('\n').length - (t.endsWith('\n') ? 1 : 0);

  const dir = mkdtempSync(join(tmpdir(), 'syd-ruleset-bench-'));
  const ns = `${prefix}rs`;
  let made = false;
  try {
    const wholeFile = join(dir, 'whole.nft');
    writeFileSync(wholeFile, whole);
    const scopedFile = join(dir, 'scoped.nft');
    const largest = scoped.reduce((a, b) => (bytes(b) > bytes(a) ? b : a));
    writeFileSync(scopedFile, largest);
    await sh(`ip netns add ${ns}`);
    made = true;
    const firstWhole = await load(ns, wholeFile);
    const reloads: number[] = [];
    for (let i = 0; i < RELOADS; i++) reloads.push(await load(ns, wholeFile));
    const check = performance.now();
    await sh(`ip netns exec ${ns} nft -c -f ${wholeFile}`);
    const checkMs = performance.now() - check;
    await sh(`ip netns exec ${ns} nft flush ruleset`);
    const scopedLoads: number[] = [];
    for (let i = 0; i < RELOADS; i++) scopedLoads.push(await load(ns, scopedFile));
    const kb = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
    console.log(
      `\n(b) nftables ruleset of a tenant of ${GROUPS} groups, ${RULES.toLocaleString('en')} rules, ` +
        `${state.endpoints.length} endpoints`,
    );
    console.log(
      `${'whole tenant: size'.padEnd(58)} ${bytes(whole).toLocaleString('en')} bytes (${kb(bytes(whole))}), ` +
        `${lines(whole).toLocaleString('en')} lines`,
    );
    console.log(
      `${'whole tenant: compile, render'.padEnd(58)} ${compileMs.toFixed(0)} ms, ${renderMs.toFixed(0)} ms`,
    );
    console.log(`${'whole tenant: nft -f, into an empty namespace'.padEnd(58)} ${firstWhole.toFixed(0)} ms`);
    console.log(
      `${`whole tenant: nft -f, replacing itself (median of ${RELOADS})`.padEnd(58)} ${median(reloads).toFixed(0)} ms` +
        `   (min ${Math.min(...reloads).toFixed(0)}, max ${Math.max(...reloads).toFixed(0)})`,
    );
    console.log(`${'whole tenant: nft -c -f (check only)'.padEnd(58)} ${checkMs.toFixed(0)} ms`);
    const sizes = scoped.map(bytes);
    console.log(
      `${`one instance's scoped ruleset (${sample.length} sampled): size`.padEnd(58)} ` +
        `median ${median(sizes).toLocaleString('en')} bytes, max ${Math.max(...sizes).toLocaleString('en')} bytes, ` +
        `median ${median(scoped.map(lines))} lines`,
    );
    console.log(`${"one instance's scoped ruleset: scope + render".padEnd(58)} ${scopeMs.toFixed(1)} ms`);
    console.log(
      `${`the largest scoped ruleset: nft -f (median of ${RELOADS})`.padEnd(58)} ${median(scopedLoads).toFixed(0)} ms`,
    );
  } finally {
    if (made) await sh(`ip netns delete ${ns}`);
    rmSync(dir, { recursive: true, force: true });
  }
}

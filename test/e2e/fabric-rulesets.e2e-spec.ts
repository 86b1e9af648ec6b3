import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '../support/http.js';
import { Contiv, tokenFor, uniqueTenant } from '../support/fabric.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { gate } from '../support/skips.js';
import { testEnv } from '../support/test-env.js';

// GET /api/v1/fabric/rulesets/{tenant}: the tenant's compiled nftables ruleset as text/plain with an
// ETag (what Linux hosts and CNI containers load), for operators of the tenant and admins.
const T = uniqueTenant('rs');
const OTHER = uniqueTenant('rso');
const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;
const run = promisify(execFile);
const { it: withNft } = gate({
  available: process.getuid?.() === 0 && spawnSync('nft', ['--version'], { stdio: 'ignore' }).status === 0,
  reason: '`nft -c` needs root and nft (apt-get install nftables)',
  requiredBy: 'NFTABLES_REQUIRED',
});

let api: Proc & { url: string };
let admin: Client;
let c: Contiv;
const path = (tenant: string) => `/api/v1/fabric/rulesets/${tenant}`;

beforeAll(async () => {
  api = await startApi(await stackEnv());
  admin = new Client(api.url, ADMIN);
  c = new Contiv(admin);
  for (const t of [T, OTHER]) expect((await c.create('tenants', t, { tenantName: t })).status).toBe(200);
  const net = {
    networkName: 'n1',
    tenantName: T,
    encap: 'vlan',
    subnet: '50.9.1.0/24',
    gateway: '50.9.1.254',
  };
  expect((await c.create('networks', `${T}:n1`, net)).status).toBe(200);
  expect((await c.create('policys', `${T}:db-in`, { tenantName: T, policyName: 'db-in' })).status).toBe(200);
  for (const [g, pool, policies] of [
    ['web', '50.9.1.10-50.9.1.19', []],
    ['db', '50.9.1.20-50.9.1.29', ['db-in']],
  ] as const) {
    const body = { tenantName: T, groupName: g, networkName: 'n1', ipPool: pool, policies };
    expect((await c.create('endpointGroups', `${T}:${g}`, body)).status).toBe(200);
  }
  const rule = { tenantName: T, policyName: 'db-in', ruleId: 'pg', direction: 'in', priority: 10 };
  const allow = { ...rule, fromEndpointGroup: 'web', protocol: 'tcp', port: 5432, action: 'allow' };
  expect((await c.create('rules', `${T}:db-in:pg`, allow)).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

describe('GET /api/v1/fabric/rulesets/{tenant}', () => {
  it('answers the ruleset as text/plain with an ETag, and 304 while it is unchanged', async () => {
    const first = await admin.get(path(T));
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(first.text).toContain(`table inet switchyard_${T}`);
    expect(first.text).toContain('tcp dport 5432');
    expect(first.text).toMatch(/elements = \{ 50\.9\.1\.10-50\.9\.1\.19 \}/);
    const etag = first.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);

    const again = await admin.get(path(T), { 'if-none-match': etag });
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect((await admin.get(path(T), { 'if-none-match': `W/${etag}` })).status).toBe(304);
    expect((await admin.get(path(T), { 'if-none-match': '"something-else"' })).status).toBe(200);

    // a rule added changes the text and its tag
    const deny = {
      tenantName: T,
      policyName: 'db-in',
      ruleId: 'rest',
      direction: 'in',
      priority: 1,
      action: 'deny',
    };
    expect((await c.create('rules', `${T}:db-in:rest`, deny)).status).toBe(200);
    const changed = await admin.get(path(T), { 'if-none-match': etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(changed.text).toContain('comment "db-in:rest"');
  });

  it('is for operators of the tenant and admins: members 403, other tenants and unknown ones 404', async () => {
    const operator = await tokenFor(admin, T, 'operator', `${T}-op`);
    const member = await tokenFor(admin, T, 'member', `${T}-mem`);
    const stranger = await tokenFor(admin, OTHER, 'operator', `${OTHER}-op`);
    expect((await admin.as(operator).get(path(T))).status).toBe(200);
    expect((await admin.as(member).get(path(T))).status).toBe(403);
    const hidden = await admin.as(stranger).get(path(T));
    expect(hidden.status).toBe(404);
    expect(hidden.body.message).toBe(`tenant "${T}" does not exist`);
    expect((await admin.as(stranger).get(path(OTHER))).status).toBe(200);
    expect((await admin.get(path('no-such-tenant'))).status).toBe(404);
    expect((await admin.as(undefined).get(path(T))).status).toBe(401);
  });

  withNft('is text that nft accepts (check mode, nothing loaded)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'syd-rs-'));
    try {
      const file = join(dir, 'ruleset.nft');
      writeFileSync(file, (await admin.get(path(T))).text);
      await expect(run('nft', ['-c', '-f', file])).resolves.toBeDefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

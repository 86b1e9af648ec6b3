import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type pg from 'pg';
import { AwsEc2Adapter } from '@switchyard/cloud-adapters';
import { PeerProcess, freePort, isUp, waitUntil } from '../integration/cloud/support/spawn-peer.js';
import { startVcsim } from '../integration/cloud/support/vcsim.peer.js';
import type { CloudPeer } from '../integration/cloud/support/cloud-peer.js';
import { testDb } from '../support/db.js';
import { tokenFor, uniqueTenant } from '../support/fabric.js';
import { Client, eventually, type Reply } from '../support/http.js';
import { stackEnv, startApi, startWorker, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// Cloud accounts and environments against the running API and worker, with a real moto and a
// real vcsim that this file starts (on free ports) and stops by PID.
const T = uniqueTenant('cla');
const T2 = uniqueTenant('clb');
const AWS_SECRET = 'e2eSecretKeyThatMustNeverLeak0123456789';
const VC_PASSWORD = 'vcsim-secret';

let moto: PeerProcess;
let motoUrl: string;
let vcsim: CloudPeer;
let caCert: string;
let api: Proc & { url: string };
let worker: Proc;
let env: Record<string, string>;
let db: pg.Client;
let admin: Client;
let op: Client;
let member: Client;
let opB: Client;

const paths = (res: Reply) => (res.body.details as { path: string }[]).map((d) => d.path).sort();
const awsAccount = (name: string, extra: object = {}) => ({
  name,
  provider: 'aws-ec2',
  settings: { region: 'us-east-1', endpoint: motoUrl, imageOwners: ['amazon'] },
  credentials: { accessKeyId: 'AKIDE2ETESTKEY1234', secretAccessKey: AWS_SECRET },
  simulated: true,
  ...extra,
});
const vsphereAccount = (name: string, settings: object = {}, password = VC_PASSWORD) => ({
  name,
  provider: 'vsphere',
  settings: { url: vcsim.endpoint, caCert, ...settings },
  credentials: { username: 'switchyard', password },
  simulated: true,
});
const motoAuth = async (mode: '0' | 'inf') => {
  // moto checks credentials only when told to: "0" at once, "inf" never
  const res = await fetch(`${motoUrl}/moto-api/reset-auth`, { method: 'POST', body: mode });
  expect(res.ok).toBe(true);
};

beforeAll(async () => {
  const port = await freePort();
  motoUrl = `http://127.0.0.1:${port}`;
  moto = PeerProcess.start('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)]);
  // a vcsim of this file's own, not one tools/peers/up.sh may have started
  delete process.env.VCSIM_URL;
  const [peer] = await Promise.all([
    startVcsim(),
    waitUntil('moto', () => isUp(`${motoUrl}/moto-api/`), 30_000),
  ]);
  vcsim = peer;
  // moto builds its EC2 backend on the first call (seconds on a busy machine): not what a test measures
  const warm = new AwsEc2Adapter({
    region: 'us-east-1',
    endpoint: motoUrl,
    credentials: { accessKeyId: 'AKIDWARM', secretAccessKey: 'warm' },
  });
  await warm.listRegions();
  await warm.close();
  caCert = readFileSync(join(process.cwd(), '.switchyard/cache/vcsim-cert/cert.pem'), 'utf8');
  // trace: the most the processes ever log (request lines are written from info on), so that the
  // checks that no secret reaches a log look at everything a log can hold
  env = await stackEnv({ LOG_LEVEL: 'trace' });
  api = await startApi(env);
  worker = await startWorker(env);
  db = await testDb();
  admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
  for (const t of [T, T2]) expect((await admin.post('/api/v1/tenants', { name: t })).status).toBe(201);
  op = admin.as(await tokenFor(admin, T, 'operator', 'ops'));
  member = admin.as(await tokenFor(admin, T, 'member', 'mem'));
  opB = admin.as(await tokenFor(admin, T2, 'operator', 'opsb'));
}, 120_000);

afterAll(async () => {
  await db?.end();
  await worker?.stop();
  await api?.stop();
  await vcsim?.stop();
  await moto?.stop();
});

describe('cloud accounts', () => {
  let awsId: string;

  it('creates, lists and shows an account with masked, write-only credentials', async () => {
    const created = await op.post('/api/v1/cloud-accounts', awsAccount('aws-main'));
    expect(created.status).toBe(201);
    awsId = created.body.id;
    expect(created.headers.get('location')).toBe(`/api/v1/cloud-accounts/${awsId}`);
    expect(created.body).toMatchObject({
      name: 'aws-main',
      provider: 'aws-ec2',
      simulated: true,
      settings: { region: 'us-east-1', endpoint: motoUrl, imageOwners: ['amazon'] },
      maskedCredentials: { accessKeyId: '********1234', secretAccessKey: '********' },
      lastTest: null,
      syncedAt: null,
    });
    expect(created.body.credentials).toBeUndefined();
    const list = await op.get('/api/v1/cloud-accounts?provider=aws-ec2');
    expect(list.body.items.map((a: { id: string }) => a.id)).toEqual([awsId]);
    expect((await op.get('/api/v1/cloud-accounts?provider=vsphere')).body).toEqual({
      items: [],
      nextCursor: null,
    });
    const shown = await op.get(`/api/v1/cloud-accounts/${awsId}`);
    expect(shown.body).toMatchObject({ id: awsId, maskedCredentials: created.body.maskedCredentials });
    for (const reply of [created, list, shown]) expect(reply.text).not.toContain(AWS_SECRET);
  });

  it('stores only ciphertext, and keeps the secret out of the audit log and the logs', async () => {
    const { rows } = await db.query('SELECT * FROM cloud_accounts WHERE id = $1', [awsId]);
    const row = rows[0];
    expect(row.secret_key_id).toBe('k1');
    expect(row.secret_data).not.toContain(AWS_SECRET);
    expect(Buffer.from(row.secret_data, 'base64').toString('latin1')).not.toContain(AWS_SECRET);
    expect(JSON.stringify(row)).not.toContain(AWS_SECRET);
    const audit = await db.query('SELECT * FROM audit_log WHERE resource_id = $1', [awsId]);
    expect(audit.rows.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit.rows)).not.toContain(AWS_SECRET);
    expect(api.log + worker.log).not.toContain(AWS_SECRET);
    // not vacuous: the create that carried the secret is on a request line of the log
    expect(requestLines(api.log)).toContainEqual({
      method: 'POST',
      url: '/api/v1/cloud-accounts',
      status: 201,
    });
  });

  it('names every bad field by path, per provider', async () => {
    const unknown = await op.post('/api/v1/cloud-accounts', { ...awsAccount('x'), provider: 'gce' });
    expect(unknown.status).toBe(400);
    expect(paths(unknown)).toEqual(['provider']);
    const aws = await op.post('/api/v1/cloud-accounts', {
      name: 'bad-aws',
      provider: 'aws-ec2',
      settings: { region: 42, endpoint: 'not a url', zone: 'a' },
      credentials: { accessKeyId: 'AKID' },
    });
    expect(aws.status).toBe(400);
    expect(paths(aws)).toEqual([
      'credentials.secretAccessKey',
      'settings.endpoint',
      'settings.region',
      'settings.zone',
    ]);
    const vs = await op.post('/api/v1/cloud-accounts', {
      name: 'bad-vs',
      provider: 'vsphere',
      settings: { caCert: 'nope', insecure: 'yes' },
      credentials: { username: 'u' },
    });
    expect(paths(vs)).toEqual([
      'credentials.password',
      'settings.caCert',
      'settings.insecure',
      'settings.url',
    ]);
    const os = await op.post('/api/v1/cloud-accounts', {
      name: 'bad-os',
      provider: 'openstack',
      settings: { authUrl: 'ftp://keystone' },
      credentials: { kind: 'token' },
    });
    expect(paths(os)).toEqual(['credentials.kind', 'settings.authUrl']);
    expect((await op.post('/api/v1/cloud-accounts', awsAccount('aws-main'))).status).toBe(409);
  });

  it("tests the connection live: the cloud's verdict, stored as lastTest", async () => {
    const ok = await op.post(`/api/v1/cloud-accounts/${awsId}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, latencyMs: expect.any(Number) });
    await motoAuth('0');
    try {
      const refused = await op.post(`/api/v1/cloud-accounts/${awsId}/test`);
      expect(refused.body).toMatchObject({
        ok: false,
        cloudCode: expect.stringMatching(/AuthFailure|InvalidClientTokenId/),
      });
      expect(refused.body.message).toMatch(/^AuthFailed: /);
      expect(refused.text).not.toContain(AWS_SECRET);
    } finally {
      await motoAuth('inf');
    }
    const stored = await op.get(`/api/v1/cloud-accounts/${awsId}`);
    expect(stored.body.lastTest).toMatchObject({ ok: false, at: expect.any(String) });

    const vsRight = await op.post('/api/v1/cloud-accounts', vsphereAccount('vs-right'));
    const vsWrong = await op.post(
      '/api/v1/cloud-accounts',
      vsphereAccount('vs-wrong', {}, 'not-the-password'),
    );
    expect((await op.post(`/api/v1/cloud-accounts/${vsRight.body.id}/test`)).body).toMatchObject({
      ok: true,
    });
    const wrong = await op.post(`/api/v1/cloud-accounts/${vsWrong.body.id}/test`);
    expect(wrong.body).toMatchObject({ ok: false, cloudCode: 'InvalidLogin' });
    expect(wrong.text).not.toContain('not-the-password');
  }, 30_000);

  it('fails fast and clearly on unreachable endpoints and untrusted certificates', async () => {
    const closed = await freePort();
    const aws = await op.post(
      '/api/v1/cloud-accounts',
      awsAccount('aws-nowhere', {
        settings: { region: 'us-east-1', endpoint: `http://127.0.0.1:${closed}` },
      }),
    );
    const vs = await op.post('/api/v1/cloud-accounts', {
      ...vsphereAccount('vs-nowhere'),
      settings: { url: `https://127.0.0.1:${closed}/sdk` },
    });
    const untrusted = await op.post('/api/v1/cloud-accounts', {
      ...vsphereAccount('vs-untrusted'),
      settings: { url: vcsim.endpoint },
    });
    for (const id of [aws.body.id, vs.body.id]) {
      const started = Date.now();
      const res = await op.post(`/api/v1/cloud-accounts/${id}/test`);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(res.body).toMatchObject({ ok: false });
      expect(res.body.message).toMatch(/ECONNREFUSED|refused|unreachable|connect/i);
    }
    const tls = await op.post(`/api/v1/cloud-accounts/${untrusted.body.id}/test`);
    expect(tls.body).toMatchObject({ ok: false });
    expect(tls.body.message).toMatch(/certificate/i);
  }, 40_000);

  it('replaces credentials (sealed again) and merges settings with PATCH', async () => {
    const res = await op.request('PATCH', `/api/v1/cloud-accounts/${awsId}`, {
      settings: { vpcId: 'vpc-1234' },
      credentials: { accessKeyId: 'AKIDE2EROTATED9876', secretAccessKey: `${AWS_SECRET}-2` },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      settings: { region: 'us-east-1', endpoint: motoUrl, imageOwners: ['amazon'], vpcId: 'vpc-1234' },
      maskedCredentials: { accessKeyId: '********9876' },
      lastTest: null,
    });
    const bad = await op.request('PATCH', `/api/v1/cloud-accounts/${awsId}`, { settings: { region: null } });
    expect(paths(bad)).toEqual(['settings.region']);
    const { rows } = await db.query('SELECT secret_data FROM cloud_accounts WHERE id = $1', [awsId]);
    expect(rows[0].secret_data).not.toContain(AWS_SECRET);
  });

  it('fails loudly when the configured key cannot open the credentials', async () => {
    const other = await startApi(
      await stackEnv({ SWITCHYARD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }),
    );
    try {
      const res = await new Client(other.url, testEnv().SWITCHYARD_ADMIN_TOKEN).post(
        `/api/v1/cloud-accounts/${awsId}/test`,
      );
      expect(res.status).toBe(409);
      expect(res.body.message).toMatch(/cannot be decrypted with the configured keys/);
      expect(res.body.details).toEqual([{ path: 'credentials', message: expect.any(String) }]);
      expect(res.text).not.toContain(AWS_SECRET);
    } finally {
      await other.stop();
    }
  }, 90_000);

  it('syncs regions, instance types and images through the worker', async () => {
    const queued = await op.post(`/api/v1/cloud-accounts/${awsId}/sync`);
    expect(queued.status).toBe(202);
    expect(queued.body).toMatchObject({ accountId: awsId, status: 'queued', jobId: expect.any(String) });
    const synced = await eventually(
      async () => {
        const res = await op.get(`/api/v1/cloud-accounts/${awsId}`);
        return res.body.syncedAt !== null && res.body;
      },
      30_000,
      'the sync',
    );
    expect(synced.inventoryCounts.regions).toBeGreaterThan(0);
    expect(synced.inventoryCounts.instanceTypes).toBeGreaterThan(0);
    expect(synced.inventory.instanceTypes).toEqual(
      expect.arrayContaining([{ name: 't3.micro', cpu: 2, memoryMiB: 1024 }]),
    );
    expect(synced.inventory.images.length).toBeGreaterThan(0);
  }, 40_000);

  it('keeps accounts to their tenant and from members', async () => {
    expect((await opB.get(`/api/v1/cloud-accounts/${awsId}`)).status).toBe(404);
    expect((await opB.post(`/api/v1/cloud-accounts/${awsId}/test`)).status).toBe(404);
    expect((await opB.get('/api/v1/cloud-accounts')).body.items).toEqual([]);
    expect((await member.get('/api/v1/cloud-accounts')).status).toBe(403);
    expect((await member.get(`/api/v1/cloud-accounts/${awsId}`)).status).toBe(403);
    expect((await admin.get(`/api/v1/cloud-accounts/${awsId}`)).status).toBe(200);
  });
});

describe('environments', () => {
  let awsId: string;
  let vsId: string;

  beforeAll(async () => {
    awsId = (await op.post('/api/v1/cloud-accounts', awsAccount('aws-env'))).body.id;
    vsId = (await op.post('/api/v1/cloud-accounts', vsphereAccount('vs-env'))).body.id;
  });

  it('gives an AWS environment the shipped dated prices of its region', async () => {
    const res = await op.post('/api/v1/environments', {
      name: 'aws-east',
      account: awsId,
      images: [{ os: 'ubuntu', version: '22.04', imageId: 'ami-0123456789abcdef0' }],
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe('/api/v1/environments/aws-east');
    expect(res.body).toMatchObject({
      name: 'aws-east',
      provider: 'aws-ec2',
      simulated: true,
      region: 'us-east-1',
      account: { id: awsId, name: 'aws-env' },
      priceList: {
        currency: 'USD',
        date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        source: expect.any(String),
      },
    });
    expect(res.body.priceList.instanceTypes).toEqual(
      expect.arrayContaining([{ name: 't3.micro', cpu: 2, memoryMiB: 1024, hourlyPrice: '0.0104' }]),
    );
    const nowhere = await op.post('/api/v1/environments', {
      name: 'aws-south',
      account: awsId,
      region: 'ap-south-1',
      images: [],
    });
    expect(paths(nowhere)).toEqual(['priceList']);
  });

  it('prices any size with a private cloud rate card, and serves the catalog', async () => {
    const res = await op.post('/api/v1/environments', {
      name: 'vs-lab',
      account: vsId,
      images: [{ os: 'ubuntu', version: '22.04', imageId: 'tmpl-linux' }],
      priceList: {
        currency: 'EUR',
        rateCard: { vcpuHour: '0.015', gibRamHour: '0.004', gibDiskMonth: '0.05' },
      },
    });
    expect(res.status).toBe(201);
    const catalog = await member.get('/api/v1/environments/vs-lab/catalog');
    expect(catalog.status).toBe(200);
    expect(catalog.body).toEqual({
      name: 'vs-lab',
      provider: 'vsphere',
      currency: 'EUR',
      instanceTypes: [
        { name: 'small', cpu: 1, memoryMiB: 2048, hourlyPrice: '0.023' },
        { name: 'medium', cpu: 2, memoryMiB: 4096, hourlyPrice: '0.046' },
        { name: 'large', cpu: 4, memoryMiB: 8192, hourlyPrice: '0.092' },
      ],
      images: [{ os: 'ubuntu', version: '22.04', imageId: 'tmpl-linux' }],
      storageGiBMonthPrice: '0.05',
    });
    const aws = await member.get('/api/v1/environments/aws-east/catalog');
    expect(aws.body).toMatchObject({
      provider: 'aws',
      region: 'us-east-1',
      currency: 'USD',
      storageGiBMonthPrice: '0.08',
    });
  });

  it('refuses bad money, accounts of other tenants, duplicates and non-admin sharing', async () => {
    const money = await op.post('/api/v1/environments', {
      name: 'bad-money',
      account: vsId,
      images: [],
      priceList: { currency: 'usd', rateCard: { vcpuHour: '0.1.2', gibRamHour: 0.004, gibDiskMonth: '1' } },
    });
    expect(paths(money)).toEqual([
      'priceList.currency',
      'priceList.rateCard.gibRamHour',
      'priceList.rateCard.vcpuHour',
    ]);
    const foreign = await opB.post('/api/v1/environments', { name: 'steal', account: awsId, images: [] });
    expect(foreign.status).toBe(400);
    expect(paths(foreign)).toEqual(['account']);
    expect(
      (await op.post('/api/v1/environments', { name: 'aws-east', account: awsId, images: [] })).status,
    ).toBe(409);
    const shared = await op.post('/api/v1/environments', {
      name: 'mine',
      account: awsId,
      images: [],
      shared: true,
    });
    expect(shared.status).toBe(403);
  });

  it('shows environments to their tenant, members included, and shared ones to everyone', async () => {
    expect((await opB.get('/api/v1/environments/aws-east')).status).toBe(404);
    expect((await opB.get('/api/v1/environments/aws-east/catalog')).status).toBe(404);
    const mine = (await member.get('/api/v1/environments')).body.items.map((e: { name: string }) => e.name);
    expect(mine).toEqual(expect.arrayContaining(['aws-east', 'vs-lab']));
    expect(
      (await member.post('/api/v1/environments', { name: 'm', account: awsId, images: [] })).status,
    ).toBe(403);
    const shared = await admin.post('/api/v1/environments', {
      name: `shared-${T}`,
      account: awsId,
      images: [],
      shared: true,
    });
    expect(shared.status).toBe(201);
    expect(shared.body.tenantId).toBe((await op.get('/api/v1/me')).body.tenant.id);
    expect((await opB.get(`/api/v1/environments/shared-${T}/catalog`)).status).toBe(200);
    expect((await opB.request('DELETE', `/api/v1/environments/shared-${T}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/v1/environments/shared-${T}`)).status).toBe(204);
  });

  it('refuses to delete an account an environment uses, naming the environments', async () => {
    const res = await op.delete(`/api/v1/cloud-accounts/${awsId}`);
    expect(res.status).toBe(409);
    expect(res.body.message).toMatch(/aws-east/);
    expect(paths(res)).toEqual(['environments.aws-east']);
    const patched = await op.request('PATCH', '/api/v1/environments/aws-east', {
      priceList: {
        currency: 'USD',
        instanceTypes: [{ name: 't3.micro', cpu: 2, memoryMiB: 1024, hourlyPrice: '0.0099' }],
      },
    });
    expect(patched.body.priceList.instanceTypes).toHaveLength(1);
    expect((await op.delete('/api/v1/environments/aws-east')).status).toBe(204);
    expect((await op.delete(`/api/v1/cloud-accounts/${awsId}`)).status).toBe(204);
    expect((await op.get(`/api/v1/cloud-accounts/${awsId}`)).status).toBe(404);
  });
});

// last in the file: every request that carried a credential (create, test, rotate, sync) is behind it
describe('logs, at trace', () => {
  it('hold a line for each request that carried a credential, and no credential', async () => {
    const lines = requestLines(api.log);
    for (const [method, url] of [
      ['POST', '/api/v1/cloud-accounts'],
      ['PATCH', '/api/v1/cloud-accounts/'],
      ['POST', '/test'],
      ['POST', '/sync'],
    ] as const) {
      expect(lines.some((l) => l.method === method && l.url.includes(url))).toBe(true);
    }
    // the worker opened the credentials for the sync, and its log says so
    expect(worker.log).toMatch(/cloud account [0-9a-f-]{36} synced: \d+ regions/);
    const logs = api.log + worker.log;
    for (const secret of [AWS_SECRET, `${AWS_SECRET}-2`, VC_PASSWORD]) expect(logs).not.toContain(secret);
  });
});

/** The request lines of a process's JSON log: what pino-http writes when a request completes. */
function requestLines(log: string): { method: string; url: string; status: number }[] {
  return log
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { req?: { method: string; url: string }; res?: { statusCode: number } })
    .filter((l) => l.req && l.res)
    .map((l) => ({ method: l.req!.method, url: l.req!.url, status: l.res!.statusCode }));
}

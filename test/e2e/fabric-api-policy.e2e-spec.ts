import { request as httpRequest } from 'node:http';
import { Client } from '../support/http.js';
import { Contiv, tokenFor, uniqueTenant } from '../support/fabric.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// The fabric spec's references, delete order, policies, group pools and verdicts, and who may
// see and change what, through the running API (second half of the scenario suite).
const T = uniqueTenant('pol');
const OTHER = uniqueTenant('oth');
const ADMIN = testEnv().SWITCHYARD_ADMIN_TOKEN;

let api: Proc & { url: string };
let admin: Client;
let c: Contiv;

const create = (collection: string, name: string, body: object, tenant = T) =>
  c.create(collection, `${tenant}:${name}`, { tenantName: tenant, ...body });
const rule = (id: string, body: object) =>
  c.create('rules', `${T}:p1:${id}`, { tenantName: T, policyName: 'p1', ruleId: id, ...body });
const verdict = async (from: string, to: string, protocol = 'tcp', port = 80) =>
  (
    await admin.get(
      `/api/v1/fabric/verdict?tenant=${T}&from=${from}&to=${to}&protocol=${protocol}&port=${port}`,
    )
  ).body;

beforeAll(async () => {
  api = await startApi(await stackEnv());
  admin = new Client(api.url, ADMIN);
  c = new Contiv(admin);
  for (const t of [T, OTHER]) expect((await c.create('tenants', t, { tenantName: t })).status).toBe(200);
  const net = { encap: 'vlan', subnet: '50.1.1.0/24', gateway: '50.1.1.254' };
  expect((await create('networks', 'n1', { networkName: 'n1', ...net })).status).toBe(200);
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

describe('references and delete order', () => {
  it('needs referenced objects to exist and names clash between groups and networks', async () => {
    const missing = await create('endpointGroups', 'g0', {
      groupName: 'g0',
      networkName: 'nope',
      policies: ['ghost'],
    });
    expect(missing.status).toBe(400);
    expect(missing.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'networkName',
      'policies[0]',
    ]);
    const clash = await create('endpointGroups', 'n1', { groupName: 'n1', networkName: 'n1' });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toBe(`a network named "n1" exists in tenant "${T}"`);
  });

  it('groups draw from reserved pools that never overlap', async () => {
    const pool = await create('endpointGroups', 'web', {
      groupName: 'web',
      networkName: 'n1',
      ipPool: '50.1.1.10-50.1.1.11',
    });
    expect(pool.status).toBe(200);
    const overlap = await create('endpointGroups', 'x', {
      groupName: 'x',
      networkName: 'n1',
      ipPool: '50.1.1.11-50.1.1.20',
    });
    expect(overlap.status).toBe(409);
    const backwards = await create('endpointGroups', 'y', {
      groupName: 'y',
      networkName: 'n1',
      ipPool: '50.1.1.40-50.1.1.30',
    });
    expect(backwards.status).toBe(400);
    expect(backwards.body.details).toEqual([
      { path: 'ipPool', message: 'range "50.1.1.40-50.1.1.30" ends before it starts' },
    ]);
    const a = await c.plugin('allocAddress', { NetworkID: `n1:web.${T}` });
    const b = await c.plugin('allocAddress', { NetworkID: `n1:web.${T}` });
    expect([a.body.IPv4Address, b.body.IPv4Address]).toEqual(['50.1.1.10/24', '50.1.1.11/24']);
    const full = await c.plugin('allocAddress', { NetworkID: `n1:web.${T}` });
    expect(full.status).toBe(409);
    expect(full.body.message).toBe('no free address left in the ipPool 50.1.1.10-50.1.1.11 of group "web"');
    // network-level allocation skips the pool
    for (let i = 1; i <= 9; i++) await c.plugin('allocAddress', { NetworkID: `n1.${T}` });
    expect((await c.plugin('allocAddress', { NetworkID: `n1.${T}` })).body.IPv4Address).toBe('50.1.1.12/24');
    const oper = (await c.inspect('endpointGroups', `${T}:web`)).body.Oper;
    expect(oper).toMatchObject({ allocatedIPAddresses: '50.1.1.10-50.1.1.11', numEndpoints: 0 });
  });

  it('policies and rules: field rules, references, and attaching to groups', async () => {
    expect((await create('policys', 'p1', { policyName: 'p1' })).status).toBe(200);
    const bad = await rule('9', {
      direction: 'in',
      toEndpointGroup: 'web',
      priority: 101,
      protocol: 'gre',
      action: 'drop',
    });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual([
      'action',
      'priority',
      'protocol',
      'toEndpointGroup',
    ]);
    expect((await rule('8', { direction: 'in', fromEndpointGroup: 'ghost', action: 'allow' })).status).toBe(
      400,
    );
    // what nftables could not load is never stored: a port with icmp, an address that is no CIDR,
    // a port past 65535 (rules carry one port, as in Contiv, so no range can be upside down)
    const paths = (res: { body: { details: { path: string }[] } }) =>
      res.body.details.map((d) => d.path).sort();
    const icmpPort = await rule('7', {
      direction: 'in',
      protocol: 'icmp',
      port: 8,
      fromIpAddress: '10.0.0.0/33',
      action: 'allow',
    });
    expect(icmpPort.status).toBe(400);
    expect(paths(icmpPort)).toEqual(['fromIpAddress', 'port']);
    const badOut = await rule('6', {
      direction: 'out',
      protocol: 'udp',
      port: 70000,
      toIpAddress: '10.1.2.300',
      action: 'deny',
    });
    expect(badOut.status).toBe(400);
    expect(paths(badOut)).toEqual(['port', 'toIpAddress']);
    expect(
      (await create('endpointGroups', 'db', { groupName: 'db', networkName: 'n1', policies: ['p1'] })).status,
    ).toBe(200);
    expect((await rule('1', { direction: 'in', priority: 1, action: 'deny' })).status).toBe(200);
    expect(
      (
        await rule('2', {
          direction: 'in',
          priority: 10,
          fromEndpointGroup: 'web',
          protocol: 'tcp',
          port: 5432,
          action: 'allow',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await rule('3', {
          direction: 'in',
          priority: 10,
          fromEndpointGroup: 'web',
          protocol: 'tcp',
          port: 5432,
          action: 'deny',
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await rule('4', {
          direction: 'in',
          priority: 20,
          fromEndpointGroup: 'web',
          protocol: 'tcp',
          port: 443,
          action: 'allow',
        })
      ).status,
    ).toBe(200);
    const inspect = (await c.inspect('policys', `${T}:p1`)).body;
    expect(inspect.Oper).toEqual({
      endpointGroups: ['db'],
      numRules: 4,
      numEndpoints: 0,
      policyViolations: 0,
      endpoints: [],
    });
    // Contiv's link-sets: the groups the policy is attached to and its rules, by key
    expect(Object.keys(inspect.Config['link-sets'].EndpointGroups)).toEqual([`${T}:db`]);
    expect(Object.keys(inspect.Config['link-sets'].Rules).sort()).toEqual(
      [1, 2, 3, 4].map((n) => `${T}:p1:${n}`),
    );
    expect(inspect.Config.links).toEqual({ Tenant: { type: 'tenant', key: T } });
  });

  it('answers verdicts with the deciding rule: priority, deny on ties, default allow', async () => {
    expect(await verdict('web', 'db', 'tcp', 443)).toEqual({
      action: 'allow',
      decidedBy: { policy: 'p1', ruleId: '4', priority: 20, direction: 'in' },
    });
    expect(await verdict('web', 'db', 'tcp', 5432)).toMatchObject({
      action: 'deny',
      decidedBy: { ruleId: '3', priority: 10 },
    });
    expect(await verdict('web', 'db', 'udp', 53)).toMatchObject({
      action: 'deny',
      decidedBy: { ruleId: '1' },
    });
    expect(await verdict('db', 'web')).toEqual({ action: 'allow', decidedBy: 'default allow' });
    const bad = await admin.get(`/api/v1/fabric/verdict?tenant=${T}&from=web&port=70000&protocol=gre`);
    expect(bad.status).toBe(400);
    const badPaths = new Set(bad.body.details.map((d: { path: string }) => d.path));
    expect([...badPaths].sort()).toEqual(['port', 'protocol', 'to']);
  });

  it('refuses deletes while in use, naming dependents, and succeeds in the right order', async () => {
    const tenant = await c.remove('tenants', T);
    expect(tenant.status).toBe(409);
    expect(tenant.body.message).toMatch(
      new RegExp(`^tenant "${T}" still has 1 network, 2 endpoint groups, 1 policy, 4 rules`),
    );
    const policy = await c.remove('policys', `${T}:p1`);
    expect(policy.status).toBe(409);
    expect(policy.body.message).toBe('policy "p1" is used by 1 endpoint group');
    const network = await c.remove('networks', `${T}:n1`);
    expect(network.status).toBe(409);
    expect(network.body.message).toMatch(/^network "n1" is used by 2 endpoint groups/);
    expect(network.body.details).toEqual(
      expect.arrayContaining([{ path: 'endpoint groups', message: '2 still depend on it' }]),
    );
    // detaching the policy removes its effect at once
    expect(
      (await create('endpointGroups', 'db', { groupName: 'db', networkName: 'n1', policies: [] })).status,
    ).toBe(200);
    expect(await verdict('web', 'db', 'tcp', 5432)).toEqual({ action: 'allow', decidedBy: 'default allow' });
    expect((await c.remove('policys', `${T}:p1`)).status).toBe(200);
    expect((await c.get('rules', `${T}:p1:1`)).status).toBe(404);
    const web = await c.remove('endpointGroups', `${T}:web`);
    expect(web.status).toBe(409);
    expect(web.body.message).toBe('endpointGroup "web" is used by 2 allocated addresses');
    for (const ip of ['50.1.1.10', '50.1.1.11'])
      expect((await c.plugin('releaseAddress', { NetworkID: `n1.${T}`, IPv4Address: ip })).status).toBe(200);
    for (const g of ['db', 'web']) expect((await c.remove('endpointGroups', `${T}:${g}`)).status).toBe(200);
  });
});

describe('who may see and change what', () => {
  let operator: Contiv;
  let member: Contiv;

  beforeAll(async () => {
    operator = c.as(await tokenFor(admin, OTHER, 'operator', 'op'));
    member = c.as(await tokenFor(admin, OTHER, 'member', 'viewer'));
  });

  it("hides another tenant's objects (404) and lists only visible ones", async () => {
    expect((await operator.get('networks', `${T}:n1`)).status).toBe(404);
    expect((await operator.inspect('networks', `${T}:n1`)).status).toBe(404);
    const write = await operator.create('networks', `${T}:n9`, {
      networkName: 'n9',
      encap: 'vlan',
      subnet: '9.9.9.0/24',
    });
    expect(write.status).toBe(404);
    expect((await operator.remove('networks', `${T}:n1`)).status).toBe(404);
    expect((await operator.plugin('allocAddress', { NetworkID: `n1.${T}` })).status).toBe(404);
    expect((await operator.http.get(`/api/v1/fabric/verdict?tenant=${T}&from=a&to=b`)).status).toBe(404);
    const mine = await operator.create('networks', `${OTHER}:o1`, {
      networkName: 'o1',
      encap: 'vlan',
      subnet: '50.1.1.0/24',
    });
    expect(mine.status).toBe(200);
    const listed = (await operator.list('networks')).body.map((n: { key: string }) => n.key);
    expect(listed).toEqual([`${OTHER}:o1`]);
    expect((await operator.list('tenants')).body).toEqual([
      { key: OTHER, tenantName: OTHER, defaultNetwork: '' },
    ]);
    expect((await c.list('networks')).body.map((n: { key: string }) => n.key)).toEqual(
      expect.arrayContaining([`${OTHER}:o1`, `${T}:n1`]),
    );
  });

  it('lets members read but not change (403); tenants and global are for admins', async () => {
    expect((await member.get('networks', `${OTHER}:o1`)).status).toBe(200);
    const denied = await member.create('policys', `${OTHER}:p`, { policyName: 'p' });
    expect(denied.status).toBe(403);
    expect(denied.body.message).toMatch(/operator role/);
    expect((await member.plugin('allocAddress', { NetworkID: `o1.${OTHER}` })).status).toBe(403);
    expect((await member.remove('networks', `${OTHER}:o1`)).status).toBe(403);
    expect((await operator.create('tenants', 'newco', { tenantName: 'newco' })).status).toBe(403);
    const global = (await operator.get('globals', 'global')).body;
    expect((await operator.create('globals', 'global', global)).status).toBe(403);
    expect((await operator.create('policys', `${OTHER}:p`, { policyName: 'p' })).status).toBe(200);
    const audit = await operator.http.get(
      `/api/v1/audit-log?resourceType=fabric-policy&resourceId=${OTHER}:p`,
    );
    expect(audit.body.items).toEqual([
      expect.objectContaining({
        action: 'fabric.policy.create',
        actor: expect.objectContaining({ name: 'op' }),
      }),
    ]);
  });

  it('takes the token as the user name of a netctl-style URL (http://TOKEN@host)', async () => {
    const url = new URL(`/netmaster/api/v1/inspect/networks/${T}:n1/`, api.url);
    url.username = ADMIN;
    // node:http turns the URL's user name into Basic auth, as netctl's Go client does
    const { status, body } = await new Promise<{ status: number; body: string }>((ok, fail) => {
      httpRequest(url, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: text }));
      })
        .on('error', fail)
        .end();
    });
    expect(status).toBe(200);
    expect(JSON.parse(body).Config.key).toBe(`${T}:n1`);
  });

  it('documents the verdict and plugin routes in OpenAPI', async () => {
    const doc = (await admin.as(undefined).get('/api/openapi.json')).body;
    for (const path of [
      '/api/v1/fabric/verdict',
      '/netmaster/plugin/allocAddress',
      '/netmaster/api/v1/{collection}/{key}',
    ]) {
      expect(doc.paths).toHaveProperty([path]);
    }
  });
});

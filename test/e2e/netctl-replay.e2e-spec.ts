import { Client } from '../support/http.js';
import { Contiv, uniqueTenant } from '../support/fabric.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// Contiv's netctl, replayed request by request (contiv/netplugin netctl/ and contivmodel/client/):
// Go's http client with the token as Basic auth user name, NO Content-Type on bodies, trailing
// slashes, and the bodies Go marshals (struct fields with omitempty, plus the always-present
// `link-sets`/`links` structs). netctl counts only 200 as success (404 too for DELETE), and
// prints the fields checked here in its tables.
const T = uniqueTenant('nc');
const HOST = `${T}-node1`;

let api: Proc & { url: string };
let admin: Client;

interface Answer {
  status: number;
  body: any;
  text: string;
}

/** One request exactly as netctl's Go client sends it. */
async function netctl(method: 'GET' | 'POST' | 'DELETE', path: string, body?: object): Promise<Answer> {
  const token = testEnv().SWITCHYARD_ADMIN_TOKEN;
  const headers: Record<string, string> = {
    authorization: `Basic ${Buffer.from(`${token}:`).toString('base64')}`,
    'user-agent': 'Go-http-client/1.1',
    'accept-encoding': 'gzip',
  };
  const init: RequestInit = { method, headers };
  // fetch would add text/plain for a string body; a Uint8Array body goes without a Content-Type
  if (body !== undefined) init.body = new TextEncoder().encode(JSON.stringify(body));
  const res = await fetch(`${api.url}/netmaster${path}`, init);
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed, text };
}

const post = (collection: string, key: string, body: object) =>
  netctl('POST', `/api/v1/${collection}/${key}/`, body);
const list = (collection: string) => netctl('GET', `/api/v1/${collection}/`);
const get = (collection: string, key: string) => netctl('GET', `/api/v1/${collection}/${key}/`);
const inspect = (collection: string, key: string) => netctl('GET', `/api/v1/inspect/${collection}/${key}/`);
const del = (collection: string, key: string) => netctl('DELETE', `/api/v1/${collection}/${key}/`);

/** netctl's `ls`: TenantGet first (must be 200), then the whole list, filtered by tenant. */
async function ls(collection: string, tenant = T): Promise<any[]> {
  expect((await get('tenants', tenant)).status).toBe(200);
  const all = await list(collection);
  expect(all.status).toBe(200);
  return (all.body as { tenantName?: string }[]).filter((o) => o.tenantName === tenant);
}

const ok = async (reply: Promise<Answer>): Promise<Answer> => {
  const r = await reply;
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}: ${r.text}`);
  return r;
};

beforeAll(async () => {
  api = await startApi(await stackEnv());
  admin = new Client(api.url, testEnv().SWITCHYARD_ADMIN_TOKEN);
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

describe('netctl commands, as netctl sends them', () => {
  it('version: Contiv version.Info with Switchyard version', async () => {
    const v = await ok(netctl('GET', '/version'));
    expect(v.body).toEqual({
      GitCommit: '',
      Version: expect.stringMatching(/^\d+\.\d+\.\d+/),
      BuildTime: '',
    });
  });

  it('tenant create | ls | inspect', async () => {
    await ok(post('tenants', T, { tenantName: T, 'link-sets': {} }));
    const tenants = await ok(list('tenants'));
    expect(tenants.body.map((t: { tenantName: string }) => t.tenantName)).toContain(T);
    const ins = await ok(inspect('tenants', T));
    expect(ins.body.Config).toMatchObject({ key: T, tenantName: T });
    expect(ins.body.Oper).toMatchObject({ totalNetworks: 0, totalEPGs: 0, totalEndpoints: 0 });
  });

  it('net create | ls | inspect (Nw Type, Encap, Packet tag, Subnet, Gateway columns)', async () => {
    // netctl net create -s 20.1.1.10-20.1.1.45/24 -g 20.1.1.1 -e vlan -p 3801 contiv-net
    await ok(
      post('networks', `${T}:contiv-net`, {
        encap: 'vlan',
        gateway: '20.1.1.1',
        networkName: 'contiv-net',
        nwType: 'data',
        pktTag: 3801,
        subnet: '20.1.1.10-20.1.1.45/24',
        tenantName: T,
        'link-sets': {},
        links: { Tenant: {} },
      }),
    );
    const nets = await ls('networks');
    expect(nets).toEqual([
      expect.objectContaining({
        key: `${T}:contiv-net`,
        networkName: 'contiv-net',
        nwType: 'data',
        encap: 'vlan',
        pktTag: 3801,
        subnet: '20.1.1.10-20.1.1.45/24',
        gateway: '20.1.1.1',
        ipv6Subnet: '',
        cfgdTag: '',
      }),
    ]);
    const ins = await ok(inspect('networks', `${T}:contiv-net`));
    expect(ins.body.Config.links).toEqual({ Tenant: { type: 'tenant', key: T } });
    expect(ins.body.Oper).toMatchObject({
      networkTag: `contiv-net.${T}`,
      pktTag: 3801,
      numEndpoints: 0,
      allocatedAddressesCount: 0,
      allocatedIPAddresses: '20.1.1.1',
      availableIPAddresses: '20.1.1.10-20.1.1.45',
    });
  });

  it('policy create | ls | inspect, rule-add | rule-ls | rule-rm', async () => {
    await ok(
      post('policys', `${T}:prod-web`, {
        policyName: 'prod-web',
        tenantName: T,
        'link-sets': {},
        links: { Tenant: {} },
      }),
    );
    expect((await ls('policys')).map((p) => p.policyName)).toEqual(['prod-web']);
    // netctl policy rule-add prod-web 1 -d in -l tcp -P 80 -j allow -p 10 (port and priority set)
    await ok(
      post('rules', `${T}:prod-web:1`, {
        action: 'allow',
        direction: 'in',
        policyName: 'prod-web',
        port: 80,
        priority: 10,
        protocol: 'tcp',
        ruleId: '1',
        tenantName: T,
        'link-sets': {},
        links: { MatchEndpointGroup: {} },
      }),
    );
    // a rule with the defaults netctl leaves out (priority 1, port 0 are omitted by omitempty)
    await ok(
      post('rules', `${T}:prod-web:2`, {
        action: 'deny',
        direction: 'in',
        policyName: 'prod-web',
        ruleId: '2',
        tenantName: T,
        'link-sets': {},
        links: { MatchEndpointGroup: {} },
      }),
    );
    // rule-ls: TenantGet, PolicyGet, RuleList filtered by tenant and policy
    expect((await get('policys', `${T}:prod-web`)).status).toBe(200);
    const rules = (await ok(list('rules'))).body.filter(
      (r: { tenantName: string; policyName: string }) => r.tenantName === T && r.policyName === 'prod-web',
    );
    expect(rules.map((r: any) => [r.ruleId, r.priority, r.direction, r.protocol, r.port, r.action])).toEqual([
      ['1', 10, 'in', 'tcp', 80, 'allow'],
      ['2', 1, 'in', '', 0, 'deny'],
    ]);
    await ok(del('rules', `${T}:prod-web:2`));
    const ins = await ok(inspect('policys', `${T}:prod-web`));
    expect(Object.keys(ins.body.Config['link-sets'].Rules)).toEqual([`${T}:prod-web:1`]);
    expect(ins.body.Oper).toMatchObject({ numRules: 1, numEndpoints: 0 });
  });

  it('netprofile create | ls | inspect', async () => {
    await ok(
      post('netprofiles', `${T}:gold`, {
        DSCP: 10,
        bandwidth: '10Mbps',
        burst: 100,
        profileName: 'gold',
        tenantName: T,
        'link-sets': {},
        links: { Tenant: {} },
      }),
    );
    expect(await ls('netprofiles')).toEqual([
      expect.objectContaining({ profileName: 'gold', bandwidth: '10Mbps', DSCP: 10, burst: 100 }),
    ]);
    expect((await ok(inspect('netprofiles', `${T}:gold`))).body.Config).toMatchObject({
      profileName: 'gold',
    });
  });

  it('external-contracts create | ls', async () => {
    await ok(
      post('extContractsGroups', `${T}:ext`, {
        contracts: ['uni/tn-common/brc-default'],
        contractsGroupName: 'ext',
        contractsType: 'provided',
        tenantName: T,
        'link-sets': {},
      }),
    );
    expect(await ls('extContractsGroups')).toEqual([
      expect.objectContaining({
        contractsGroupName: 'ext',
        contractsType: 'provided',
        contracts: ['uni/tn-common/brc-default'],
      }),
    ]);
  });

  it('group create | ls | inspect (IP Pool, Policies, Network profile columns)', async () => {
    // netctl group create -p prod-web -n gold -r 20.1.1.20-20.1.1.30 -e ext contiv-net web
    await ok(
      post('endpointGroups', `${T}:web`, {
        extContractsGrps: ['ext'],
        groupName: 'web',
        ipPool: '20.1.1.20-20.1.1.30',
        netProfile: 'gold',
        networkName: 'contiv-net',
        policies: ['prod-web'],
        tenantName: T,
        'link-sets': {},
        links: { AppProfile: {}, NetProfile: {}, Network: {}, Tenant: {} },
      }),
    );
    expect(await ls('endpointGroups')).toEqual([
      expect.objectContaining({
        groupName: 'web',
        networkName: 'contiv-net',
        ipPool: '20.1.1.20-20.1.1.30',
        cfgdTag: '',
        policies: ['prod-web'],
        netProfile: 'gold',
      }),
    ]);
    const ins = await ok(inspect('endpointGroups', `${T}:web`));
    expect(ins.body.Config['link-sets'].Policies).toEqual({
      [`${T}:prod-web`]: { type: 'policy', key: `${T}:prod-web` },
    });
    expect(ins.body.Config.links).toMatchObject({
      Network: { type: 'network', key: `${T}:contiv-net` },
      NetProfile: { type: 'netprofile', key: `${T}:gold` },
      Tenant: { type: 'tenant', key: T },
    });
    expect(ins.body.Oper).toMatchObject({
      groupTag: `web.${T}`,
      pktTag: 3801,
      numEndpoints: 0,
      availableIPAddresses: '20.1.1.20-20.1.1.30',
    });
  });

  it('app-profile create | update | ls | group-ls', async () => {
    await ok(
      post('appProfiles', `${T}:shop`, {
        appProfileName: 'shop',
        endpointGroups: ['web'],
        tenantName: T,
        'link-sets': {},
        links: { Tenant: {} },
      }),
    );
    // update with no groups: netctl sends endpointGroups [] (omitempty drops it)
    await ok(
      post('appProfiles', `${T}:shop`, {
        appProfileName: 'shop',
        tenantName: T,
        'link-sets': {},
        links: { Tenant: {} },
      }),
    );
    await ok(
      post('appProfiles', `${T}:shop`, {
        appProfileName: 'shop',
        endpointGroups: ['web'],
        tenantName: T,
        'link-sets': {},
        links: { Tenant: {} },
      }),
    );
    expect(await ls('appProfiles')).toEqual([
      expect.objectContaining({ appProfileName: 'shop', endpointGroups: ['web'] }),
    ]);
    expect((await ok(get('appProfiles', `${T}:shop`))).body.endpointGroups).toEqual(['web']);
  });

  it('service create | ls | inspect', async () => {
    await ok(
      post('serviceLBs', `${T}:lb`, {
        ipAddress: '20.1.1.40',
        networkName: 'contiv-net',
        ports: ['80:8080:TCP'],
        selectors: ['app=web'],
        serviceName: 'lb',
        tenantName: T,
        links: { Network: {}, Tenant: {} },
      }),
    );
    expect(await ls('serviceLBs')).toEqual([
      expect.objectContaining({ serviceName: 'lb', networkName: 'contiv-net', selectors: ['app=web'] }),
    ]);
    const ins = await ok(inspect('serviceLBs', `${T}:lb`));
    expect(ins.body.Oper).toMatchObject({ serviceVip: '20.1.1.40', numProviders: 0 });
    expect(ins.body.Config.links).toMatchObject({ Network: { type: 'network', key: `${T}:contiv-net` } });
  });

  it('bgp create | ls | inspect (inspect says it configures nothing) | rm', async () => {
    await ok(
      post('Bgps', HOST, {
        as: '65002',
        hostname: HOST,
        neighbor: '50.1.1.2',
        'neighbor-as': '500',
        routerip: '50.1.1.1/24',
      }),
    );
    const bgps = await ok(list('Bgps'));
    expect(bgps.body.find((b: { hostname: string }) => b.hostname === HOST)).toEqual({
      key: HOST,
      hostname: HOST,
      routerip: '50.1.1.1/24',
      as: '65002',
      'neighbor-as': '500',
      neighbor: '50.1.1.2',
    });
    const ins = await ok(inspect('Bgps', HOST));
    expect(ins.body.Config).toMatchObject({ hostname: HOST });
    expect(ins.body.Oper).toMatchObject({ numRoutes: 0, routes: [] });
    expect(ins.body.Oper.note).toMatch(/configure nothing/);
    const bad = await post('Bgps', `${HOST}x`, { hostname: `${HOST}x`, routerip: '50.1.1.1', as: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.details.map((d: { path: string }) => d.path).sort()).toEqual(['as', 'routerip']);
    await ok(del('Bgps', HOST));
    expect((await get('Bgps', HOST)).status).toBe(404);
  });

  it('global info | inspect | set (GET global, change, POST it back)', async () => {
    const globals = await ok(list('globals'));
    expect(globals.body[0]).toMatchObject({ networkInfraType: 'default', fwdMode: expect.any(String) });
    const ins = await ok(inspect('globals', 'global'));
    expect(ins.body.Oper).toMatchObject({ numNetworks: expect.any(Number) });
    const current = (await ok(get('globals', 'global'))).body;
    await ok(
      post('globals', 'global', { ...current, arpMode: current.arpMode === 'proxy' ? 'flood' : 'proxy' }),
    );
    await ok(post('globals', 'global', current));
    expect((await ok(get('globals', 'global'))).body).toEqual(current);
  });

  it("endpoint inspect ID: found without a tenant, in Contiv's {Oper} shape", async () => {
    const c = new Contiv(admin);
    const ep = await c.plugin('createEndpoint', {
      TenantName: T,
      NetworkName: 'contiv-net',
      ServiceName: 'web',
      EndpointID: `${T}-ep1`,
      ContainerID: `${T}c0ffee1234567890`,
      HomingHost: 'node1',
    });
    expect(ep.status).toBe(200);
    const byId = await ok(netctl('GET', `/api/v1/inspect/endpoints/${T}-ep1/`));
    expect(byId.body).toEqual({
      Oper: {
        containerID: `${T}c0ffee1234567890`,
        containerName: '',
        endpointGroupId: expect.any(Number),
        endpointGroupKey: `web:${T}`,
        endpointID: `${T}-ep1`,
        homingHost: 'node1',
        intfName: '',
        ipAddress: ['20.1.1.20', ''],
        labels: '',
        macAddress: '02:02:14:01:01:14',
        network: `contiv-net.${T}`,
        serviceName: 'web',
        virtualPort: '',
        vtepIP: '',
      },
    });
    // by a prefix of the container id, as docker's short ids are typed
    const short = await ok(netctl('GET', `/api/v1/inspect/endpoints/${T}c0ffee/`));
    expect(short.body.Oper.endpointID).toBe(`${T}-ep1`);
    expect((await netctl('GET', `/api/v1/inspect/endpoints/${T}-nope/`)).status).toBe(404);
    // the network, group, policy and tenant now show it
    const net = (await ok(inspect('networks', `${T}:contiv-net`))).body.Oper;
    expect(net).toMatchObject({
      numEndpoints: 1,
      allocatedAddressesCount: 2,
      allocatedIPAddresses: '20.1.1.1, 20.1.1.20, 20.1.1.40',
    });
    expect(net.endpoints[0]).toMatchObject({ endpointID: `${T}-ep1`, ipAddress: ['20.1.1.20', ''] });
    expect((await ok(inspect('endpointGroups', `${T}:web`))).body.Oper).toMatchObject({ numEndpoints: 1 });
    expect((await ok(inspect('policys', `${T}:prod-web`))).body.Oper).toMatchObject({ numEndpoints: 1 });
    const tenant = (await ok(inspect('tenants', T))).body;
    expect(tenant.Oper).toMatchObject({
      totalNetworks: 1,
      totalEPGs: 1,
      totalPolicies: 1,
      totalNetprofiles: 1,
      totalAppProfiles: 1,
      totalServicelbs: 1,
      totalEndpoints: 1,
    });
    expect(tenant.Oper.networks).toHaveLength(1);
    expect(tenant.Oper.endpointGroups).toHaveLength(1);
    expect(Object.keys(tenant.Config['link-sets'].Networks)).toEqual([`${T}:contiv-net`]);
    expect((await c.plugin('deleteEndpoint', { TenantName: T, EndpointID: `${T}-ep1` })).status).toBe(200);
  });

  it('rm of every object in order; DELETE of what is gone is 404, which netctl takes as done', async () => {
    await ok(del('serviceLBs', `${T}:lb`));
    await ok(del('appProfiles', `${T}:shop`));
    await ok(del('endpointGroups', `${T}:web`));
    await ok(del('extContractsGroups', `${T}:ext`));
    await ok(del('netprofiles', `${T}:gold`));
    await ok(del('policys', `${T}:prod-web`));
    await ok(del('networks', `${T}:contiv-net`));
    expect(await ls('networks')).toEqual([]);
    expect((await del('networks', `${T}:contiv-net`)).status).toBe(404);
  });
});

describe('bodies netctl and scripts send', () => {
  it('reads text/plain and form-urlencoded bodies on /netmaster as JSON', async () => {
    for (const [i, type] of ['text/plain', 'application/x-www-form-urlencoded; charset=utf-8'].entries()) {
      const res = await admin.post(
        `/netmaster/api/v1/policys/${T}:typed${i}/`,
        JSON.stringify({ policyName: `typed${i}`, tenantName: T }),
        { 'content-type': type },
      );
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ policyName: `typed${i}` });
    }
    const gone = await Promise.all([0, 1].map((i) => del('policys', `${T}:typed${i}`)));
    expect(gone.map((g) => g.status)).toEqual([200, 200]);
  });

  it('refuses bad JSON, too deep JSON and a non-object without a Content-Type with a 400, never a 500', async () => {
    const raw = (text: string) =>
      fetch(`${api.url}/netmaster/api/v1/policys/${T}:p/`, {
        method: 'POST',
        headers: { authorization: `Bearer ${testEnv().SWITCHYARD_ADMIN_TOKEN}` },
        body: new TextEncoder().encode(text),
      });
    const broken = await raw('{"policyName": ');
    expect(broken.status).toBe(400);
    const deep = await raw(`{"policyName": ${'['.repeat(100)}${']'.repeat(100)}}`);
    expect(deep.status).toBe(400);
    const scalar = await raw('"p"');
    expect(scalar.status).toBe(400);
  });
});

describe("Contiv's address semantics, and the stricter rules Switchyard keeps", () => {
  const net = (name: string, extra: object) =>
    post('networks', `${T}:${name}`, {
      encap: 'vxlan',
      networkName: name,
      tenantName: T,
      'link-sets': {},
      links: { Tenant: {} },
      ...extra,
    });

  it('two networks share a /24 when their ranges do not overlap; overlapping ranges are refused', async () => {
    await ok(net('left', { subnet: '30.1.1.10-30.1.1.45/24', gateway: '30.1.1.1' }));
    await ok(net('right', { subnet: '30.1.1.50-30.1.1.90/24', gateway: '30.1.1.1' }));
    const clash = await net('middle', { subnet: '30.1.1.40-30.1.1.60/24' });
    expect(clash.status).toBe(409);
    expect(clash.body.details).toEqual([
      expect.objectContaining({ path: 'subnet', message: expect.stringContaining('network "left"') }),
      expect.objectContaining({ path: 'subnet', message: expect.stringContaining('network "right"') }),
    ]);
    // a plain subnet's pool is its whole block
    expect((await net('whole', { subnet: '30.1.1.0/24' })).status).toBe(409);
    const right = await new Contiv(admin).plugin('allocAddress', { NetworkID: `right.${T}` });
    expect(right.body.IPv4Address).toBe('30.1.1.50/24');
  });

  it('accepts a subnet with host bits as its block, keeping it as written', async () => {
    await ok(net('hostbits', { subnet: '60.1.1.1/24', gateway: '60.1.1.254' }));
    expect((await ok(get('networks', `${T}:hostbits`))).body.subnet).toBe('60.1.1.1/24');
    const oper = (await ok(inspect('networks', `${T}:hostbits`))).body.Oper;
    expect(oper).toMatchObject({
      allocatedAddressesCount: 0,
      allocatedIPAddresses: '60.1.1.254',
      availableIPAddresses: '60.1.1.1-60.1.1.253',
    });
    const c = new Contiv(admin);
    expect((await c.plugin('allocAddress', { NetworkID: `hostbits.${T}` })).body.IPv4Address).toBe(
      '60.1.1.1/24',
    );
    // kept: an address in use is refused, not granted twice (Contiv granted it)
    const twice = await c.plugin('allocAddress', {
      NetworkID: `hostbits.${T}`,
      PreferredIPv4Address: '60.1.1.1',
    });
    expect(twice.status).toBe(409);
    expect((await ok(inspect('networks', `${T}:hostbits`))).body.Oper.allocatedAddressesCount).toBe(1);
  });

  it('keeps refusing /31, /32 and a gateway equal to the network address with a 400', async () => {
    for (const extra of [
      { subnet: '61.1.1.0/31' },
      { subnet: '61.1.2.0/32' },
      { subnet: '61.1.3.0/24', gateway: '61.1.3.0' },
    ]) {
      const res = await net('tiny', extra);
      expect(res.status).toBe(400);
      expect(res.body.details[0].path).toMatch(/^(subnet|gateway)$/);
    }
  });

  it('keeps an identical re-create a no-op (200, nothing audited) and an immutable change a 409', async () => {
    const body = { subnet: '30.1.1.50-30.1.1.90/24', gateway: '30.1.1.1' };
    const audit = () => admin.get(`/api/v1/audit-log?resourceType=fabric-network&resourceId=${T}:right`);
    const before = (await audit()).body.items.length;
    await ok(net('right', body));
    expect((await audit()).body.items).toHaveLength(before);
    expect((await net('right', { ...body, subnet: '30.1.1.50-30.1.1.95/24' })).status).toBe(409);
  });
});

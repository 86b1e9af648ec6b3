import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { uniqueTenant } from '../support/fabric.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// A netctl-style script run with the built CLI against a running API.
const run = promisify(execFile);
const cli = resolve(import.meta.dirname, '../../apps/cli/dist/main.js');
const T = uniqueTenant('cli');
let api: Proc & { url: string };

async function syd(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const base = ['--url', api.url, '--token', testEnv().SWITCHYARD_ADMIN_TOKEN, 'net'];
  try {
    const { stdout, stderr } = await run(process.execPath, [cli, ...base, ...args]);
    return { code: 0, out: stdout, err: stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout, err: e.stderr };
  }
}

async function ok(...args: string[]): Promise<string> {
  const res = await syd(...args);
  if (res.code !== 0) throw new Error(`syd net ${args.join(' ')} failed (${res.code}): ${res.err}`);
  return res.out;
}

beforeAll(async () => {
  api = await startApi(await stackEnv());
}, 60_000);

afterAll(async () => {
  await api?.stop();
});

it('runs a netctl script: tenant, networks, groups, policies, rules, inspect, verdict, rm in order', async () => {
  await ok('tenant', 'create', T);
  expect(await ok('tenant', 'ls')).toMatch(new RegExp(`^${T}\\b`, 'm'));
  await ok('net', 'create', 'web', '-t', T, '-s', '70.1.1.0/24', '-g', '70.1.1.254', '-e', 'vlan');
  await ok(
    'net',
    'create',
    'v6',
    '-t',
    T,
    '-s',
    '70.2.1.0/24',
    '--subnetv6',
    '2001:db8:70::/64',
    '--gatewayv6',
    '2001:db8:70::1',
  );
  const nets = await ok('net', 'ls', '-t', T);
  expect(nets.split('\n')[0]).toMatch(/^TENANT\s+NETWORK\s+NW TYPE\s+ENCAP\s+PKT TAG\s+SUBNET\s+GATEWAY/);
  expect(nets).toMatch(new RegExp(`${T}\\s+v6\\s+data\\s+vxlan`));
  await ok('policy', 'create', 'dbpol', '-t', T);
  await ok('netprofile', 'create', 'gold', '-t', T, '-b', '10 Gbps', '-d', '10', '-s', '64');
  await ok('group', 'create', 'web', 'front', '-t', T, '-r', '70.1.1.10-70.1.1.20');
  await ok('group', 'create', 'web', 'db', '-t', T, '-p', 'dbpol', '-n', 'gold');
  await ok('policy', 'rule-add', 'dbpol', '1', '-t', T, '-d', 'in', '-p', '5', '-j', 'deny');
  await ok(
    'policy',
    'rule-add',
    'dbpol',
    '2',
    '-t',
    T,
    '-d',
    'in',
    '-g',
    'front',
    '-l',
    'tcp',
    '-P',
    '5432',
    '-p',
    '10',
  );
  await ok('policy', 'rule-add', 'dbpol', '3', '-t', T, '-d', 'out', '-o', 'web', '-j', 'allow');
  const rules = await ok('policy', 'rule-ls', 'dbpol', '-t', T);
  expect(
    rules
      .split('\n')
      .slice(2, 5)
      .map((l) => l.split(/\s+/)[0]),
  ).toEqual(['2', '1', '3']);
  await ok('app-profile', 'create', 'shop', '-t', T, '-g', 'front,db');
  await ok(
    'service',
    'create',
    'lb',
    '-t',
    T,
    '-s',
    'web',
    '-l',
    'app=db',
    '-p',
    '80:8080:TCP',
    '-ip',
    '70.1.1.100',
  );

  expect(await ok('verdict', 'front', 'db', '-t', T, '-l', 'tcp', '-P', '5432')).toBe(
    'allow  rule dbpol:2 (priority 10, in)\n',
  );
  const verdict = JSON.parse(await ok('verdict', 'front', 'db', '-t', T, '-l', 'udp', '--json'));
  expect(verdict).toEqual({
    action: 'deny',
    decidedBy: { policy: 'dbpol', ruleId: '1', priority: 5, direction: 'in' },
  });
  const inspect = JSON.parse(await ok('net', 'inspect', 'web', '-t', T, '--json'));
  expect(inspect.Oper).toMatchObject({
    allocatedIPAddresses: '70.1.1.100, 70.1.1.254',
    availableIPAddresses: '70.1.1.1-70.1.1.9, 70.1.1.21-70.1.1.99, 70.1.1.101-70.1.1.253',
  });
  expect(await ok('group', 'inspect', 'front', '-t', T)).toMatch(
    /Oper\s+availableIPAddresses\s+70\.1\.1\.10-70\.1\.1\.20/,
  );

  // deleting out of order is refused with what still depends on it
  const busy = await syd('net', 'rm', 'web', '-t', T);
  expect(busy.code).toBe(1);
  expect(busy.err).toContain('network "web" is used by 2 endpoint groups, 1 rule, 1 service LB (HTTP 409)');
  const usage = await syd('net', 'frobnicate');
  expect(usage.code).toBe(2);
  expect(usage.err).toContain('needs one of create|rm|ls|inspect');

  await ok('service', 'rm', 'lb', '-t', T);
  await ok('app-profile', 'rm', 'shop', '-t', T);
  // rules naming a group go before the group; the policy takes its last rule with it
  for (const id of ['2', '3']) await ok('policy', 'rule-rm', 'dbpol', id, '-t', T);
  await ok('group', 'rm', 'db', '-t', T);
  await ok('group', 'rm', 'front', '-t', T);
  await ok('policy', 'rm', 'dbpol', '-t', T);
  await ok('netprofile', 'rm', 'gold', '-t', T);
  for (const n of ['web', 'v6']) await ok('net', 'rm', n, '-t', T);
  expect(await ok('net', 'ls', '-t', T)).toBe(
    'TENANT  NETWORK  NW TYPE  ENCAP  PKT TAG  SUBNET  GATEWAY  IPV6 SUBNET  IPV6 GATEWAY\n' +
      '------  -------  -------  -----  -------  ------  -------  -----------  ------------\n',
  );
  await ok('tenant', 'rm', T);
  expect(await ok('tenant', 'ls', '--json')).not.toContain(`"${T}"`);
}, 120_000);

it('keeps BGP settings, shows the server version and inspects an endpoint by id (netctl bgp, version, endpoint)', async () => {
  const host = `${T}-h1`;
  await ok(
    'bgp',
    'create',
    host,
    '--router-ip',
    '50.1.1.1/24',
    '--as',
    '65002',
    '--neighbor-as',
    '500',
    '--neighbor',
    '50.1.1.2',
  );
  expect(await ok('bgp', 'ls')).toMatch(
    new RegExp(`${host}\\s+50\\.1\\.1\\.1/24\\s+65002\\s+50\\.1\\.1\\.2\\s+500`),
  );
  expect(await ok('bgp', 'inspect', host)).toMatch(/Oper\s+note\s+.*configure nothing/);
  const bad = await syd('bgp', 'create', `${host}x`, '--router-ip', 'nope', '--as', '1');
  expect(bad.code).toBe(1);
  expect(bad.err).toContain('routerip');
  await ok('bgp', 'rm', host);
  expect(await ok('bgp', 'ls', '--json')).not.toContain(host);

  expect(await ok('version')).toMatch(
    /^Server Version:\nVersion: \d+\.\d+\.\d+\nGitCommit: \nBuildTime: \n$/,
  );

  const epTenant = `${T}e`;
  await ok('tenant', 'create', epTenant);
  await ok('net', 'create', 'n1', '-s', '71.1.1.0/24', '-g', '71.1.1.254', '-e', 'vxlan', '-t', epTenant);
  const res = await fetch(`${api.url}/netmaster/plugin/createEndpoint`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${testEnv().SWITCHYARD_ADMIN_TOKEN}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ TenantName: epTenant, NetworkName: 'n1', EndpointID: `${epTenant}-ep` }),
  });
  expect(res.status).toBe(200);
  const ep = JSON.parse(await ok('endpoint', 'inspect', `${epTenant}-ep`, '--json'));
  expect(ep.Oper).toMatchObject({
    endpointID: `${epTenant}-ep`,
    network: `n1.${epTenant}`,
    ipAddress: ['71.1.1.1', ''],
  });
  expect(await ok('ep', 'inspect', `${epTenant}-ep`)).toMatch(/macAddress\s+02:02:47:01:01:01/);
  expect((await syd('endpoint', 'inspect', `${epTenant}-none`)).code).toBe(1);
}, 120_000);

import { Client } from '../support/http.js';
import { Contiv, uniqueTenant } from '../support/fabric.js';
import { stackEnv, startApi, type Proc } from '../support/processes.js';
import { testEnv } from '../support/test-env.js';

// Two API processes on one database: allocation is safe through row locks and the addresses'
// primary key alone, with no process-wide lock to lean on.
const T = uniqueTenant('conc');
const apis: (Proc & { url: string })[] = [];
let clients: Contiv[];

beforeAll(async () => {
  for (let i = 0; i < 2; i++) apis.push(await startApi(await stackEnv()));
  clients = apis.map((a) => new Contiv(new Client(a.url, testEnv().SWITCHYARD_ADMIN_TOKEN)));
  const c = clients[0]!;
  expect((await c.create('tenants', T, { tenantName: T })).status).toBe(200);
  const net = (name: string, extra: object) =>
    c.create('networks', `${T}:${name}`, { networkName: name, encap: 'vlan', ...extra });
  expect((await net('a', { subnet: '20.1.1.0/24' })).status).toBe(200);
  expect((await net('b', { subnet: '20.1.2.0/24', gateway: '20.1.2.254' })).status).toBe(200);
}, 120_000);

afterAll(async () => {
  await Promise.all(apis.map((a) => a.stop()));
});

const allocAll = (n: number, networkId: string) =>
  Promise.all(
    Array.from({ length: n }, (_, i) => clients[i % 2]!.plugin('allocAddress', { NetworkID: networkId })),
  );

it('64 parallel allocations through two processes yield 64 distinct addresses', async () => {
  const replies = await allocAll(64, `a.${T}`);
  expect(replies.map((r) => r.status)).toEqual(Array(64).fill(200));
  const addresses = replies.map((r) => r.body.IPv4Address as string);
  expect(new Set(addresses).size).toBe(64);
  // lowest first: together they fill .1 to .64
  expect([...addresses].sort()).toEqual(Array.from({ length: 64 }, (_, i) => `20.1.1.${i + 1}/24`).sort());
}, 60_000);

it('300 parallel allocations in a /24 with gateway .254 yield 253 addresses and 47 exhaustion errors', async () => {
  const replies = await allocAll(300, `b.${T}`);
  const granted = replies.filter((r) => r.status === 200).map((r) => r.body.IPv4Address as string);
  const refused = replies.filter((r) => r.status !== 200);
  expect(granted).toHaveLength(253);
  expect(new Set(granted).size).toBe(253);
  expect(granted).not.toContain('20.1.2.254/24');
  expect(refused).toHaveLength(47);
  for (const r of refused) {
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({
      statusCode: 409,
      message: 'no free address left in the subnet 20.1.2.0/24 of network "b"',
    });
  }
  // Contiv counts endpoint addresses only: the 253 allocated, not the gateway
  const oper = (await clients[1]!.inspect('networks', `${T}:b`)).body.Oper;
  expect(oper).toMatchObject({ allocatedAddressesCount: 253, availableIPAddresses: '' });
}, 120_000);

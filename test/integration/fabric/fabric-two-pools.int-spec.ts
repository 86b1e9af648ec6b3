import type { DataSource } from 'typeorm';
import { Fabric, FabricError, FabricService } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

let db: FabricTestDatabase;
let first: DataSource;
let second: DataSource;
let tenantId: string;

beforeAll(async () => {
  db = await createFabricDatabase();
  // Two connection pools in this one process, each with its own sessions, as two API processes
  // would have; the test with two real API processes is test/e2e/fabric-concurrency.e2e-spec.ts.
  first = await db.connect(10);
  second = await db.connect(10);
  const fabric = new FabricService(first);
  await fabric.apply('tenant', 'c', { tenantName: 'c' });
  tenantId = await new Fabric(first).tenantIdOf('c');
  await fabric.apply('network', 'c', { networkName: 'a', encap: 'vlan', subnet: '20.1.1.0/24' });
  await fabric.apply('network', 'c', {
    networkName: 'b',
    encap: 'vlan',
    subnet: '20.1.2.0/24',
    gateway: '20.1.2.254',
  });
});
afterAll(async () => db.drop());

it('64 parallel allocations through two connection pools yield 64 distinct addresses', async () => {
  const services = [new Fabric(first), new Fabric(second)] as const;
  const results = await Promise.all(
    Array.from({ length: 64 }, (_, i) =>
      services[i % 2 === 0 ? 0 : 1].allocateAddress({ tenantId, network: 'a' }),
    ),
  );
  const addresses = results.map((r) => `${r.ipv4}/${r.prefixLength}`);
  expect(new Set(addresses).size).toBe(64);
  // Lowest first: together they fill .1 to .64.
  expect([...addresses].sort()).toEqual(Array.from({ length: 64 }, (_, i) => `20.1.1.${i + 1}/24`).sort());
});

it('300 parallel allocations through two connection pools in a /24 with gateway .254 yield 253 addresses and 47 exhaustion errors', async () => {
  const services = [new Fabric(first), new Fabric(second)] as const;
  const settled = await Promise.allSettled(
    Array.from({ length: 300 }, (_, i) =>
      services[i % 2 === 0 ? 0 : 1].allocateAddress({ tenantId, network: 'b' }),
    ),
  );
  const granted = settled.flatMap((s) =>
    s.status === 'fulfilled' ? [`${s.value.ipv4}/${s.value.prefixLength}`] : [],
  );
  const errors = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
  expect(granted).toHaveLength(253);
  expect(new Set(granted).size).toBe(253);
  expect(granted).not.toContain('20.1.2.254/24');
  expect(errors).toHaveLength(47);
  for (const e of errors) {
    expect(e).toBeInstanceOf(FabricError);
    expect(e).toMatchObject({
      code: 'EXHAUSTED',
      message: 'no free address left in the subnet 20.1.2.0/24 of network "b"',
    });
  }
});

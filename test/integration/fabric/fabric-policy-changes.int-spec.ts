import type { DataSource } from 'typeorm';
import { FabricService } from '@switchyard/network-fabric';
import { createFabricDatabase, type FabricTestDatabase } from './fabric-database.js';

// The durable side of the Linux-host ruleset push: every transaction that changes a tenant's fabric
// leaves one row in fabric_policy_changes (committed with the change, so a worker that was down
// finds it), per tenant, and nothing when it rolls back.
let db: FabricTestDatabase;
let ds: DataSource;
let objects: FabricService;
let tenants: Record<'a' | 'b', string>;

const rows = async () =>
  (
    (await ds.query(`SELECT tenant_id FROM fabric_policy_changes ORDER BY id`)) as { tenant_id: string }[]
  ).map((r) => (r.tenant_id === tenants.a ? 'a' : r.tenant_id === tenants.b ? 'b' : r.tenant_id));

beforeAll(async () => {
  db = await createFabricDatabase();
  ds = await db.connect();
  objects = new FabricService(ds);
  await objects.apply('tenant', 'pca', { tenantName: 'pca' });
  await objects.apply('tenant', 'pcb', { tenantName: 'pcb' });
  const ids = (await ds.query(`SELECT id, name FROM tenants WHERE name IN ('pca', 'pcb')`)) as {
    id: string;
    name: string;
  }[];
  tenants = {
    a: ids.find((t) => t.name === 'pca')!.id,
    b: ids.find((t) => t.name === 'pcb')!.id,
  };
});
afterAll(async () => db.drop());
beforeEach(async () => ds.query(`DELETE FROM fabric_policy_changes`));

describe('fabric_policy_changes', () => {
  it('records one row per changing transaction and tenant, whatever the number of rows it wrote', async () => {
    await ds.transaction(async (em) => {
      await objects.apply('policy', 'pca', { policyName: 'p1' }, em);
      for (const ruleId of ['1', '2', '3']) {
        await objects.apply(
          'rule',
          'pca',
          {
            policyName: 'p1',
            ruleId,
            direction: 'in',
            priority: 5,
            action: 'deny',
            protocol: 'tcp',
            port: 22,
          },
          em,
        );
      }
    });
    expect(await rows()).toEqual(['a']);
    await objects.apply('policy', 'pcb', { policyName: 'p1' });
    await objects.delete('rule', 'pca', 'p1:2');
    expect(await rows()).toEqual(['a', 'b', 'a']);
  });

  it('records nothing for a transaction that rolls back', async () => {
    await expect(
      ds.transaction(async (em) => {
        await objects.apply('policy', 'pca', { policyName: 'gone' }, em);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(await rows()).toEqual([]);
  });
});

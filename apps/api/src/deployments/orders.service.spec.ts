import { createServiceResolver, loadBlueprint, type EnvironmentCatalog } from '@switchyard/blueprints';
import { loadConfig } from '@switchyard/core/config';
import { SecretBox } from '@switchyard/core/crypto';
import { DeploymentLifecycle } from '@switchyard/core/deployments';
import {
  fakeDeploymentRepository,
  InMemoryDeploymentRecords,
  RecordingStepQueue,
  strictFake,
} from '@switchyard/core/testing';
import type { AuditEntry, AuditService } from '../audit/audit.service.js';
import type { PlacementStrategyService } from '../benchmarks/placement-strategy.service.js';
import type { Principal } from '../auth/principal.js';
import type { BlueprintLoaderService } from '../blueprints/blueprint-loader.service.js';
import type { BlueprintRow, VersionRow } from '../blueprints/blueprints.repository.js';
import type { BlueprintsService } from '../blueprints/blueprints.service.js';
import { AppException, ErrorCode } from '../common/app.exception.js';
import type { EnvironmentCatalogService } from '../environments/environment-catalog.service.js';
import type { CreateOrderDto } from './deployments.dto.js';
import { NO_USAGE } from '../costs/deployment-cost.util.js';
import type { DeploymentUsageRepository } from '../costs/deployment-usage.repository.js';
import type { ApprovalGate, ApprovalHold } from '../governance/approvals/approval-gate.service.js';
import type { GovernanceGate } from '../governance/governance-gate.service.js';
import { OrdersService } from './orders.service.js';

const TENANT = '00000000-0000-4000-8000-00000000000a';
const caller: Principal = {
  tokenId: 'token-1',
  userId: '00000000-0000-4000-8000-0000000000u1',
  userName: 'ann',
  tenantId: TENANT,
  tenantName: 'shop-team',
  role: 'member',
  delegated: false,
};

const SHOP = `apiVersion: switchyard.dev/v1
kind: Blueprint
metadata: { name: shop, version: 1.2.0, title: Shop }
parameters:
  dbPassword: { type: secret, required: true }
tiers:
  db:
    size: { cpu: 2, memoryMiB: 2048 }
    image: { os: ubuntu, version: '22.04' }
    ports: [5432/tcp]
  web:
    size: { cpu: 1, memoryMiB: 1024 }
    image: { os: ubuntu, version: '22.04' }
    dependsOn: [db]
    ports: [80/tcp]
connections:
  - { from: internet, to: web, ports: [80/tcp] }
  - { from: web, to: db, ports: [5432/tcp] }
`;

const catalog = (name: string, provider: 'aws' | 'vsphere'): EnvironmentCatalog => ({
  name,
  provider,
  currency: 'USD',
  instanceTypes: [{ name: `${name}-small`, cpu: 2, memoryMiB: 2048, hourlyPrice: '0.02' }],
  images: [{ os: 'ubuntu', version: '22.04', imageId: `${name}-ubuntu` }],
});
const CATALOGS = {
  'aws-us-east-1': catalog('aws-us-east-1', 'aws'),
  'vsphere-dc1': catalog('vsphere-dc1', 'vsphere'),
};

const ORDER: CreateOrderDto = {
  blueprint: 'shop@^1.0',
  name: 'shop-staging',
  parameters: { dbPassword: 's3cret!' },
  placement: { default: 'aws-us-east-1', tiers: { db: 'vsphere-dc1' } },
  leaseHours: 8,
};

function setUp(hold?: ApprovalHold) {
  const opened: { deploymentId: string; inOrderTx: boolean; jobsQueuedBefore: number }[] = [];
  const records = new InMemoryDeploymentRecords();
  const queue = new RecordingStepQueue();
  const audits: { entry: AuditEntry; jobsQueuedBefore: number }[] = [];
  const blueprints = strictFake<BlueprintsService>('BlueprintsService', {
    resolve: async () => ({
      row: { name: 'shop', tenantId: TENANT } as BlueprintRow,
      version: { version: '1.2.0', state: 'published', source: SHOP, contentType: 'yaml' } as VersionRow,
    }),
  });
  // the real parser and checks, on a catalog without services
  const loader = strictFake<BlueprintLoaderService>('BlueprintLoaderService', {
    load: async (_tenant, text, contentType) =>
      loadBlueprint(text, contentType, { resolveService: createServiceResolver([]) }),
  });
  const environments = strictFake<EnvironmentCatalogService>('EnvironmentCatalogService', {
    catalogs: async (_caller, placement) =>
      Object.fromEntries(
        [placement.default, ...Object.values(placement.tiers ?? {})].map((n) => [
          n,
          CATALOGS[n as keyof typeof CATALOGS],
        ]),
      ),
  });
  const audit = strictFake<AuditService>('AuditService', {
    record: async (em, _actor, entry) => {
      if (em !== records.tx) throw new Error('audit outside the order’s transaction');
      audits.push({ entry, jobsQueuedBefore: queue.added.length });
    },
  });
  const box = new SecretBox(
    loadConfig({ SWITCHYARD_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).secrets,
  );
  const orders = new OrdersService(
    fakeDeploymentRepository(records),
    new DeploymentLifecycle(records, queue, records),
    blueprints,
    loader,
    environments,
    audit,
    box,
    strictFake<DeploymentUsageRepository>('DeploymentUsageRepository', { one: async () => NO_USAGE }),
    strictFake<GovernanceGate>('GovernanceGate', {
      // the order's own placement, no policy to break
      place: async (_caller, _blueprint, _parameters, placement) => ({ placement: placement! }),
      admitOrder: async (em) => {
        if (em !== records.tx) throw new Error('governance outside the order’s transaction');
      },
    }),
    strictFake<ApprovalGate>('ApprovalGate', {
      holdFor: async () => hold,
      eventData: (_caller, h) => ({ approvalId: h.approvalId }),
      open: async (em, _caller, d) => {
        opened.push({
          deploymentId: d.id,
          inOrderTx: em === records.tx,
          jobsQueuedBefore: queue.added.length,
        });
      },
    }),
    strictFake<PlacementStrategyService>('PlacementStrategyService', {}),
  );
  return { orders, records, queue, audits, opened };
}

describe('OrdersService.order', () => {
  it('writes the pending deployment, its event and audit, then queues its network step', async () => {
    const { orders, records, queue, audits } = setUp();
    const result = await orders.order(caller, ORDER, 'ci-run-42');

    expect(result.created).toBe(true);
    const { id } = result.deployment;
    expect(result.deployment).toMatchObject({
      name: 'shop-staging',
      state: 'pending',
      blueprint: { name: 'shop', version: '1.2.0' },
      environments: ['vsphere-dc1', 'aws-us-east-1'],
      failure: null,
    });
    const row = records.rows.get(id)!;
    expect(row).toMatchObject({
      tenantId: TENANT,
      state: 'pending',
      seq: 0,
      step: 'network',
      requestedBy: caller.userId,
      idempotencyKey: 'ci-run-42',
      leaseHours: 8,
      rollbackOnFailure: true,
      parameters: { dbPassword: '********' },
      placement: { default: 'aws-us-east-1', tiers: { db: 'vsphere-dc1' } },
    });
    // the secret is sealed, never stored as typed
    expect(row.secretData).toEqual(expect.any(String));
    expect(JSON.stringify(row)).not.toContain('s3cret!');

    expect(records.events).toEqual([
      {
        deploymentId: id,
        type: 'state',
        message: 'ordered shop@1.2.0 by ann; deployment is pending',
        data: { state: 'pending', environments: ['aws-us-east-1', 'vsphere-dc1'] },
      },
    ]);
    expect(audits).toEqual([
      {
        entry: expect.objectContaining({ tenantId: TENANT, action: 'deployment.order', resourceId: id }),
        jobsQueuedBefore: 0,
      },
    ]);
    expect(queue.added).toEqual([
      {
        name: 'deployment-step',
        payload: { deploymentId: id, tenantId: TENANT, step: 'network', seq: 0 },
        jobId: `${id}.0.network`,
        attempts: 5,
      },
    ]);
  });

  it('keeps an order an approval rule holds in awaiting-approval, with its approval and no job', async () => {
    const hold: ApprovalHold = {
      approvalId: '33333333-3333-4333-8333-333333333333',
      reasons: [{ rule: 'big', message: 'monthly cost 43.80 USD is above 10 USD' }],
      why: 'monthly cost 43.80 USD is above 10 USD (rule big)',
      expiresAt: new Date('2026-12-06T12:00:00Z'),
      facts: { blueprint: 'shop', environments: [], monthly: { amount: '43.80', currency: 'USD' } },
    };
    const { orders, records, queue, audits, opened } = setUp(hold);
    const { deployment } = await orders.order(caller, ORDER);

    expect(deployment.state).toBe('awaiting-approval');
    expect(records.rows.get(deployment.id)).toMatchObject({ state: 'awaiting-approval', seq: 0 });
    expect(records.events).toEqual([
      expect.objectContaining({
        type: 'approval.requested',
        message:
          'ordered shop@1.2.0 by ann; awaiting approval: monthly cost 43.80 USD is above 10 USD (rule big)',
      }),
    ]);
    expect(audits.map((a) => a.entry.action)).toEqual(['deployment.order']);
    expect(opened).toEqual([{ deploymentId: deployment.id, inOrderTx: true, jobsQueuedBefore: 0 }]);
    // nothing runs before someone approves
    expect(queue.added).toEqual([]);
  });

  it('answers a repeated Idempotency-Key with the first deployment, writing nothing', async () => {
    const { orders, records, queue, audits } = setUp();
    const first = await orders.order(caller, ORDER, 'ci-run-42');
    const again = await orders.order(caller, { ...ORDER }, 'ci-run-42');

    expect(again).toEqual({ created: false, deployment: first.deployment });
    expect(records.rows.size).toBe(1);
    expect(records.events).toHaveLength(1);
    expect(audits).toHaveLength(1);
    expect(queue.jobIds).toEqual([`${first.deployment.id}.0.network`]);
  });

  it('refuses the same key with another body (422), and a tier that is not the blueprint’s (400)', async () => {
    const { orders, records, queue } = setUp();
    await orders.order(caller, ORDER, 'ci-run-42');

    const mismatch = await orders
      .order(caller, { ...ORDER, name: 'other' }, 'ci-run-42')
      .catch((e: unknown) => e);
    expect(mismatch).toBeInstanceOf(AppException);
    expect((mismatch as AppException).code).toBe(ErrorCode.IdempotencyMismatch);

    const badTier = { ...ORDER, placement: { default: 'aws-us-east-1', tiers: { cache: 'vsphere-dc1' } } };
    const invalid = await orders.order(caller, badTier).catch((e: unknown) => e);
    expect((invalid as AppException).details).toEqual([
      { path: 'placement.tiers.cache', message: 'is not a tier of this blueprint' },
    ]);

    expect(records.rows.size).toBe(1);
    expect(queue.added).toHaveLength(1);
  });
});

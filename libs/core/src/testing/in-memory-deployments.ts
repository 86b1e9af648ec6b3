import type { EntityManager } from 'typeorm';
import type { JobName } from '../queue/jobs.js';
import { inScope, type TenantScope } from '../database/tenant-scope.js';
import type { DeploymentEntity } from '../deployments/deployment.entities.js';
import type {
  DeploymentSettlement,
  DeploymentStepJob,
  DeploymentStepQueue,
} from '../deployments/deployment-lifecycle.js';
import type {
  DeploymentChange,
  DeploymentRecords,
  DeploymentRepository,
  NewDeployment,
  NewDeploymentEvent,
} from '../deployments/deployment.repository.js';
import { strictFake } from './strict-fake.js';

/**
 * For unit tests: the lifecycle's storage in memory, strict about what it is given. Every write
 * must come with the test's transaction (`tx`), a row outside the scope is not there, and `advance`
 * changes a row only at the seq it names (as the SQL does).
 */
export class InMemoryDeploymentRecords implements DeploymentRecords, DeploymentSettlement {
  readonly rows = new Map<string, DeploymentEntity>();
  readonly events: (NewDeploymentEvent & { deploymentId: string })[] = [];
  /** Deployments whose quota reservation was settled, in order, with their state then. */
  readonly settled: { deploymentId: string; state: string }[] = [];
  /** The transaction every write must come in: a strict fake, so the lifecycle cannot use it itself. */
  readonly tx: EntityManager = strictFake<EntityManager>('the transaction', {});
  private clock = Date.parse('2030-01-01T00:00:00Z');

  /** A stored row, as an order would have left it, with `fields` on top. */
  seed(fields: Partial<DeploymentEntity> & Pick<DeploymentEntity, 'id' | 'tenantId'>): DeploymentEntity {
    const row = {
      ...orderedRow(),
      createdAt: this.tick(),
      updatedAt: this.tick(),
      ...fields,
    } as DeploymentEntity;
    this.rows.set(row.id, row);
    return row;
  }

  /** A copy of the row, as a read would answer it; null when missing or outside the scope. */
  read(scope: TenantScope, id: string): DeploymentEntity | null {
    const row = this.rows.get(id);
    return row && inScope(scope, row.tenantId) ? { ...row } : null;
  }

  async lock(em: EntityManager, scope: TenantScope, id: string): Promise<DeploymentEntity | null> {
    this.inTransaction(em, 'lock');
    return this.read(scope, id);
  }

  async insert(em: EntityManager, scope: TenantScope, row: NewDeployment): Promise<DeploymentEntity> {
    this.inTransaction(em, 'insert');
    if (this.rows.has(row.id)) throw new Error(`deployment ${row.id} inserted twice`);
    const at = this.tick();
    const stored = { ...row, tenantId: scope.tenantId, createdAt: at, updatedAt: at } as DeploymentEntity;
    this.rows.set(row.id, stored);
    return { ...stored };
  }

  async advance(
    em: EntityManager,
    scope: TenantScope,
    id: string,
    seq: number,
    change: DeploymentChange,
  ): Promise<void> {
    this.inTransaction(em, 'advance');
    const row = this.rows.get(id);
    if (!row || (!scope.anyTenant && row.tenantId !== scope.tenantId) || row.seq !== seq) return;
    this.rows.set(id, { ...row, ...change, updatedAt: this.tick() } as DeploymentEntity);
  }

  async addEvent(em: EntityManager, deploymentId: string, event: NewDeploymentEvent): Promise<void> {
    this.inTransaction(em, 'addEvent');
    this.events.push({ deploymentId, ...event });
  }

  async settle(em: EntityManager, deploymentId: string): Promise<void> {
    this.inTransaction(em, 'settle');
    this.settled.push({ deploymentId, state: this.rows.get(deploymentId)?.state ?? 'missing' });
  }

  private inTransaction(em: EntityManager, what: string): void {
    if (em !== this.tx) throw new Error(`${what} outside the test's transaction`);
  }

  private tick(): Date {
    this.clock += 1000;
    return new Date(this.clock);
  }
}

/**
 * For unit tests: a DeploymentRepository on the records in memory, with its transactions and
 * reads; anything else it is asked (unless given in `more`) fails the test.
 */
export function fakeDeploymentRepository(
  memory: InMemoryDeploymentRecords,
  more: Partial<DeploymentRepository> = {},
): DeploymentRepository {
  return strictFake<DeploymentRepository>('DeploymentRepository', {
    transaction: (work) => work(memory.tx),
    find: async (scope, id) => memory.read(scope, id),
    findByIdempotencyKey: async (scope, key) =>
      memory.read(
        scope,
        [...memory.rows.values()].find((r) => r.tenantId === scope.tenantId && r.idempotencyKey === key)
          ?.id ?? '',
      ),
    lock: (em, scope, id) => memory.lock(em, scope, id),
    insert: (em, scope, row) => memory.insert(em, scope, row),
    advance: (em, scope, id, seq, change) => memory.advance(em, scope, id, seq, change),
    addEvent: (em, id, event) => memory.addEvent(em, id, event),
    ...more,
  });
}

/** For unit tests: a job queue that keeps what was added, and refuses the same job id twice. */
export class RecordingStepQueue implements DeploymentStepQueue {
  readonly added: {
    name: JobName.DeploymentStep;
    payload: DeploymentStepJob;
    jobId: string;
    attempts: number;
  }[] = [];

  async add(
    name: JobName.DeploymentStep,
    payload: DeploymentStepJob,
    options: { jobId: string; attempts: number },
  ): Promise<string> {
    if (this.added.some((j) => j.jobId === options.jobId))
      throw new Error(`job ${options.jobId} queued twice`);
    this.added.push({ name, payload, ...options });
    return options.jobId;
  }

  get jobIds(): string[] {
    return this.added.map((j) => j.jobId);
  }
}

function orderedRow(): Omit<DeploymentEntity, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'> {
  return {
    name: 'shop',
    state: 'pending',
    seq: 0,
    step: 'network',
    blueprintName: 'shop',
    blueprintVersion: '1.0.0',
    blueprint: { tiers: { web: {}, app: { scale: { min: 1, max: 5 } } } },
    parameters: {},
    secretKeyId: null,
    secretData: null,
    placement: { default: 'aws-us-east-1', tiers: {} },
    plan: { tiers: [], stages: [] },
    networks: {},
    outputs: {},
    failure: null,
    rollbackOnFailure: true,
    leaseHours: null,
    labels: {},
    requestedBy: null,
    idempotencyKey: null,
    requestHash: null,
    runningAt: null,
    endedAt: null,
  };
}

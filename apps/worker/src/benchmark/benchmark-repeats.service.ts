import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  BenchmarkFlow,
  BenchmarkRepository,
  BenchmarkEntity,
  BenchmarkScheduleRepository,
  type BenchmarkCandidateEntity,
  type BenchmarkScheduleEntity,
} from '@switchyard/core/benchmarks';
import { SecretBox } from '@switchyard/core/crypto';
import { AuditLogEntity, tenantOnly } from '@switchyard/core/database';
import type { EntityManager } from 'typeorm';

// repeats started per round; the rest wait for the next one
const PER_ROUND = 20;
const HOUR_MS = 3_600_000;

/**
 * Starts the repeats of benchmark schedules that are due (a reconcile round's part): each repeat is
 * a copy of the schedule's first benchmark (same blueprint version, candidates, plans and load; new
 * ids, the secrets sealed again to the new deployment ids), started like any benchmark. The due
 * schedule is locked (skipping one another worker holds) and moved to its next time in the same
 * commit as the new benchmark, so a repeat starts once even with two workers.
 */
@Injectable()
export class BenchmarkRepeats {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(BenchmarkScheduleRepository) private readonly schedules: BenchmarkScheduleRepository,
    @Inject(BenchmarkRepository) private readonly benchmarks: BenchmarkRepository,
    @Inject(BenchmarkFlow) private readonly flow: BenchmarkFlow,
    @Inject(SecretBox) private readonly box: SecretBox,
  ) {}

  async run(): Promise<number> {
    return this.schedules.transaction(async (em) => {
      const due = await this.schedules.claimDue(em, PER_ROUND);
      let started = 0;
      for (const s of due) {
        try {
          if (await this.repeat(em, s)) started++;
        } catch (err) {
          this.logger.warn({ schedule: s.id, err: (err as Error).message }, 'benchmark repeat not started');
        }
        await this.schedules.advance(em, s.id, nextRun(s));
      }
      return started;
    });
  }

  private async repeat(em: EntityManager, s: BenchmarkScheduleEntity): Promise<boolean> {
    const scope = tenantOnly(s.tenantId);
    const t = await em.findOneBy(BenchmarkEntity, { id: s.templateBenchmarkId, tenantId: s.tenantId });
    if (!t) return false;
    const candidates = await this.benchmarks.candidates(scope, t.id, em);
    const id = randomUUID();
    const copies = candidates.map((c) => this.copyCandidate(c, id));
    await this.flow.start(
      em,
      {
        ...withoutTimes(t),
        id,
        state: 'running',
        ranking: null,
        leftBehind: [],
        failure: null,
        endedAt: null,
        scheduleId: s.id,
      },
      copies,
    );
    await em.insert(AuditLogEntity, {
      tenantId: s.tenantId,
      actorUserId: null,
      actorTokenId: null,
      actorName: 'system',
      requestId: null,
      action: 'benchmark.create',
      resourceType: 'benchmark',
      resourceId: id,
      before: null,
      after: { schedule: s.id, repeatOf: t.id, candidates: copies.map((c) => c.label) },
    } as never);
    return true;
  }

  private copyCandidate(c: BenchmarkCandidateEntity, benchmarkId: string): BenchmarkCandidateEntity {
    const deploymentId = randomUUID();
    const order = c.deploymentOrder;
    let secretKeyId = order.secretKeyId;
    let secretData = order.secretData;
    if (secretKeyId && secretData) {
      const plain = this.box.open({ keyId: secretKeyId, data: secretData }, c.deploymentId);
      ({ keyId: secretKeyId, data: secretData } = this.box.seal(plain, deploymentId));
    }
    return {
      ...c,
      id: randomUUID(),
      benchmarkId,
      state: 'waiting',
      step: null,
      seq: 0,
      nextRun: 0,
      deploymentId,
      deploymentOrder: {
        ...order,
        name: `bench-${benchmarkId.slice(0, 8)}-${c.position + 1}`,
        labels: { ...order.labels, benchmark: benchmarkId },
        secretKeyId,
        secretData,
      },
      result: null,
      reason: null,
      stepStartedAt: null,
    };
  }
}

/** The schedule's next time after now: a schedule that fell behind skips the missed repeats. */
function nextRun(s: BenchmarkScheduleEntity): Date {
  const every = s.everyHours * HOUR_MS;
  const now = Date.now();
  const missed = Math.max(1, Math.ceil((now - s.nextRunAt.getTime()) / every));
  const next = s.nextRunAt.getTime() + missed * every;
  return new Date(next > now ? next : now + every);
}

function withoutTimes(b: BenchmarkEntity): Omit<BenchmarkEntity, 'createdAt' | 'updatedAt'> {
  const { createdAt: _c, updatedAt: _u, ...rest } = b;
  return rest;
}

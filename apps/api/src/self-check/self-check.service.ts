import { Inject, Injectable } from '@nestjs/common';
import { UnitOfWork, type SelfCheckEntity } from '@switchyard/core/database';
import { JobName, JobQueue } from '@switchyard/core/queue';
import { AuditService } from '../audit/audit.service.js';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { AppException } from '../common/app.exception.js';
import type { SelfCheckDto } from './self-check.dto.js';
import { SelfChecksRepository } from './self-checks.repository.js';

function toDto(c: SelfCheckEntity): SelfCheckDto {
  return {
    id: c.id,
    status: c.status,
    // written only by the worker's self-check handler, in this shape
    result: c.result as SelfCheckDto['result'],
    workerId: c.workerId,
    createdAt: c.createdAt.toISOString(),
    completedAt: c.completedAt ? c.completedAt.toISOString() : null,
  };
}

/** An admin asks the worker to check Postgres, Redis and the queues from its side. */
@Injectable()
export class SelfCheckService {
  constructor(
    @Inject(SelfChecksRepository) private readonly repo: SelfChecksRepository,
    @Inject(UnitOfWork) private readonly uow: UnitOfWork,
    @Inject(JobQueue) private readonly jobs: JobQueue,
    @Inject(AuditService) private readonly audit: AuditService,
  ) {}

  async request(caller: Principal): Promise<SelfCheckDto> {
    return this.uow.run(async (em) => {
      const check = await this.repo.insert(em, {
        tenantId: caller.tenantId,
        requestedBy: caller.userId,
        status: 'queued',
      });
      await this.audit.record(em, caller, {
        tenantId: caller.tenantId,
        action: 'self-check.request',
        resourceType: 'self-check',
        resourceId: check.id,
        after: { status: check.status },
      });
      // Queued before the commit: if Redis refuses, nothing is written. The worker retries a job
      // whose row it cannot see yet.
      await this.jobs.add(
        JobName.SelfCheck,
        { selfCheckId: check.id, tenantId: caller.tenantId },
        { jobId: check.id },
      );
      return toDto(check);
    });
  }

  async get(caller: Principal, id: string): Promise<SelfCheckDto> {
    const check = await this.repo.find(tenantScope(caller), id);
    if (!check) throw AppException.notFound(`self-check ${id}`);
    return toDto(check);
  }
}

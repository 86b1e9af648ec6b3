import { Inject, Injectable } from '@nestjs/common';
import { SelfCheckEntity, type TenantScope } from '@switchyard/core/database';
import { DataSource, type EntityManager } from 'typeorm';

/** Self-check requests in Postgres (the worker fills in the result). */
@Injectable()
export class SelfChecksRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  insert(
    em: EntityManager,
    fields: Pick<SelfCheckEntity, 'tenantId' | 'requestedBy' | 'status'>,
  ): Promise<SelfCheckEntity> {
    return em.save(em.create(SelfCheckEntity, fields));
  }

  find(scope: TenantScope, id: string): Promise<SelfCheckEntity | null> {
    return this.db
      .getRepository(SelfCheckEntity)
      .findOneBy(scope.anyTenant ? { id } : { id, tenantId: scope.tenantId });
  }
}

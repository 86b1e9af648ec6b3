import { Inject, Injectable } from '@nestjs/common';
import { CloudAccountEntity, EnvironmentEntity, type CloudInventory } from '@switchyard/core/database';
import { DataSource, type EntityManager } from 'typeorm';

/** An environment with the account it deploys to. */
export interface EnvironmentWithAccount {
  environment: EnvironmentEntity;
  account: CloudAccountEntity;
}

/** The worker's reads and writes of cloud accounts and environments. */
@Injectable()
export class CloudAccountsRepository {
  constructor(@Inject(DataSource) private readonly db: DataSource) {}

  find(tenantId: string, id: string): Promise<CloudAccountEntity | null> {
    return this.db.manager.findOneBy(CloudAccountEntity, { id, tenantId });
  }

  /** A complete picture of the account's cloud, in `em`'s transaction. */
  async setInventory(
    em: EntityManager,
    account: Pick<CloudAccountEntity, 'id' | 'tenantId'>,
    inventory: CloudInventory,
  ): Promise<void> {
    await em.update(
      CloudAccountEntity,
      { id: account.id, tenantId: account.tenantId },
      { inventory, syncedAt: new Date() },
    );
  }

  /** The environment of this name as the tenant may use it: its own before a shared one. */
  async environment(tenantId: string, name: string): Promise<EnvironmentWithAccount | undefined> {
    const environment = await this.db
      .getRepository(EnvironmentEntity)
      .createQueryBuilder('e')
      .where('e.name = :name AND (e.tenant_id = :tenantId OR e.shared)', { name, tenantId })
      .orderBy('e.tenant_id = :tenantId', 'DESC')
      .getOne();
    if (!environment) return undefined;
    return { environment, account: await this.accountOf(environment) };
  }

  /** Every environment of every tenant, by name (the reconciler's sweep). */
  allEnvironments(): Promise<EnvironmentEntity[]> {
    return this.db.getRepository(EnvironmentEntity).find({ order: { name: 'ASC' } });
  }

  /** The account an environment deploys to (the foreign key keeps it while the environment exists). */
  accountOf(environment: Pick<EnvironmentEntity, 'accountId'>): Promise<CloudAccountEntity> {
    return this.db.getRepository(CloudAccountEntity).findOneByOrFail({ id: environment.accountId });
  }
}

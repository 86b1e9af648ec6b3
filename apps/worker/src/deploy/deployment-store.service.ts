import { Inject, Injectable } from '@nestjs/common';
import { SecretBox } from '@switchyard/core/crypto';
import {
  DeploymentEntity,
  DeploymentInstanceEntity,
  DeploymentRepository,
  type InstanceRowState,
} from '@switchyard/core/deployments';
import { DataSource, Not } from 'typeorm';

/** Reads and records a deployment's progress; every write here commits at once. */
@Injectable()
export class DeploymentStore {
  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(SecretBox) private readonly box: SecretBox,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
  ) {}

  /** Parameter values with the secrets opened (for cloud-init only; never logged or stored). */
  parameters(d: DeploymentEntity): Record<string, unknown> {
    if (!d.secretData || !d.secretKeyId) return d.parameters;
    const secrets = JSON.parse(this.box.open({ keyId: d.secretKeyId, data: d.secretData }, d.id)) as object;
    return { ...d.parameters, ...secrets };
  }

  async update(id: string, fields: Partial<DeploymentEntity>): Promise<void> {
    await this.db.getRepository(DeploymentEntity).update({ id }, fields as never);
  }

  /** A progress event of the deployment, written by its repository like every event. */
  event(id: string, type: string, message: string, data: Record<string, unknown> = {}): Promise<void> {
    return this.deployments.recordEvent(id, { type, message, data });
  }

  /**
   * The tries of one step (by its seq) that failed on an unreachable cloud and were put off
   * (`step.retrying` events), and the time since the first, by the database's clock.
   */
  async retries(deploymentId: string, seq: number): Promise<{ tries: number; elapsedMs: number }> {
    const [row] = (await this.db.query(
      `SELECT count(*)::int AS tries,
              coalesce(extract(epoch FROM now() - min(created_at)) * 1000, 0)::float8 AS elapsed
         FROM deployment_events
        WHERE deployment_id = $1 AND type = 'step.retrying' AND data->>'seq' = $2`,
      [deploymentId, String(seq)],
    )) as { tries: number; elapsed: number }[];
    return { tries: row?.tries ?? 0, elapsedMs: Math.max(0, row?.elapsed ?? 0) };
  }

  instances(deploymentId: string): Promise<DeploymentInstanceEntity[]> {
    return this.db.getRepository(DeploymentInstanceEntity).find({
      where: { deploymentId },
      order: { tier: 'ASC', index: 'ASC' },
    });
  }

  /**
   * The live row of one instance, created on first sight (so the key and address survive a crash).
   * An index a scale down freed gets a new row, with a key of its own: the removed instance's key
   * would make the cloud answer with the terminated instance, and its address is released.
   */
  async instance(
    d: DeploymentEntity,
    tier: string,
    index: number,
    environment: string,
    provider: string,
    initial: 'planned' | 'creating' = 'creating',
  ): Promise<DeploymentInstanceEntity> {
    const repo = this.db.getRepository(DeploymentInstanceEntity);
    const live = { deploymentId: d.id, tier, index, state: Not('terminated' as const) };
    const found = await repo.findOneBy(live);
    if (found) return found;
    const removed = await repo.countBy({ deploymentId: d.id, tier, index });
    await repo
      .createQueryBuilder()
      .insert()
      .values({
        deploymentId: d.id,
        tier,
        index,
        environment,
        provider,
        idempotencyKey: instanceKey(d.id, tier, index, removed),
        state: initial,
      })
      .orIgnore()
      .execute();
    return repo.findOneByOrFail(live);
  }

  async setInstance(
    id: string,
    fields: {
      cloudId?: string | null;
      address?: string | null;
      state?: InstanceRowState;
      rulesetEtag?: string | null;
    },
  ): Promise<void> {
    await this.db.getRepository(DeploymentInstanceEntity).update({ id }, fields);
  }

  /** A planned row is about to be created on its cloud: it exists (and bills) from now on. */
  async startCreating(id: string): Promise<void> {
    await this.db.query(
      `UPDATE deployment_instances SET state = 'creating', created_at = now(), updated_at = now()
        WHERE id = $1 AND state = 'planned'`,
      [id],
    );
  }

  async removeInstance(id: string): Promise<void> {
    await this.db.getRepository(DeploymentInstanceEntity).delete({ id });
  }
}

/**
 * The idempotency key of an instance: stable across retries, crashes and workers. `generation`
 * counts the instances removed before at this index (the first has none, and no suffix).
 */
export function instanceKey(deploymentId: string, tier: string, index: number, generation: number): string {
  const at = generation === 0 ? `${index}` : `${index}r${generation}`;
  return `sy-${compact(deploymentId)}-${tier}-${at}`.slice(0, 100);
}

/** Short fabric-safe prefix of a deployment's objects. */
export function fabricPrefix(deploymentId: string): string {
  return `d-${compact(deploymentId)}`;
}

// 48 bits of the deployment's uuid: short enough for names, wide enough not to collide
function compact(id: string): string {
  return id.replace(/-/g, '').slice(0, 12);
}

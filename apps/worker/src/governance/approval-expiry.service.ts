import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditLogEntity, tenantOnly } from '@switchyard/core/database';
import { DeploymentLifecycle, DeploymentRepository } from '@switchyard/core/deployments';
import { DataSource } from 'typeorm';

// approvals expired per round; the rest wait for the next one
const PER_ROUND = 100;

interface Due {
  id: string;
  tenantId: string;
  deploymentId: string;
  deploymentName: string;
  orderedBy: string;
  expiresAt: Date;
}

/**
 * Ends the approvals nobody decided in time (a reconcile round's part): the deployment leaves
 * `awaiting-approval` for `expired` (its `approval.expired` event goes out to the tenant's webhooks),
 * the approval and the audit log say so, in one commit each. A person's decision that came first wins.
 */
@Injectable()
export class ApprovalExpiry {
  private readonly logger = new Logger('Reconcile');

  constructor(
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(DeploymentRepository) private readonly deployments: DeploymentRepository,
    @Inject(DeploymentLifecycle) private readonly lifecycle: DeploymentLifecycle,
  ) {}

  async run(): Promise<number> {
    const due: Due[] = await this.db.query(
      `SELECT a.id, a.tenant_id AS "tenantId", a.deployment_id AS "deploymentId", d.name AS "deploymentName",
              a.requested_by_name AS "orderedBy", a.expires_at AS "expiresAt"
         FROM approvals a JOIN deployments d ON d.id = a.deployment_id
        WHERE a.state = 'pending' AND a.expires_at <= now() ORDER BY a.expires_at LIMIT $1`,
      [PER_ROUND],
    );
    let expired = 0;
    for (const a of due) {
      const ended = await this.deployments.transaction(async (em) => {
        const [row]: { state: string }[] = await em.query(
          `SELECT state FROM approvals WHERE id = $1 FOR UPDATE`,
          [a.id],
        );
        if (row?.state !== 'pending') return false;
        const at = a.expiresAt.toISOString();
        await this.lifecycle.endUnapproved(em, tenantOnly(a.tenantId), a.deploymentId, {
          state: 'expired',
          message: `approval expired at ${at}: nobody approved or rejected it in time`,
          data: { approvalId: a.id, orderedBy: a.orderedBy, expiresAt: at },
        });
        await em.query(
          `UPDATE approvals SET state = 'expired', decided_at = date_trunc('milliseconds', now()),
                  decided_by_name = 'system', updated_at = date_trunc('milliseconds', now()) WHERE id = $1`,
          [a.id],
        );
        await em.insert(AuditLogEntity, {
          tenantId: a.tenantId,
          actorUserId: null,
          actorTokenId: null,
          actorName: 'system',
          requestId: null,
          action: 'approval.expire',
          resourceType: 'approval',
          resourceId: a.id,
          before: { name: a.deploymentName, state: 'pending' },
          after: { name: a.deploymentName, state: 'expired', expiresAt: at },
        } as never);
        return true;
      });
      if (ended) {
        expired++;
        this.logger.log({ approval: a.id, deployment: a.deploymentId }, 'approval expired');
      }
    }
    return expired;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import type { Principal } from '../auth/principal.js';
import { tenantScope } from '../auth/tenant-scope.util.js';
import { DeploymentUsageRepository } from './deployment-usage.repository.js';
import { summarizeSpend } from './spend-summary.util.js';
import type { SpendDto, SpendQuery } from './spend.dto.js';

/** What the deployments the caller can list cost: now, this month, and since they were made. */
@Injectable()
export class SpendService {
  constructor(@Inject(DeploymentUsageRepository) private readonly usage: DeploymentUsageRepository) {}

  async spend(caller: Principal, query: SpendQuery): Promise<SpendDto> {
    const now = new Date();
    const deployments = await this.usage.billed(tenantScope(caller), query.mine ? caller.userId : undefined);
    return summarizeSpend(deployments, now);
  }
}

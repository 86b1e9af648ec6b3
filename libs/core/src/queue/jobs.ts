import type { CandidateStep } from '../benchmarks/benchmark.types.js';
import type { DeploymentStep } from '../deployments/deployment-states.js';

/**
 * The catalogue of background jobs: one name, one payload type, one queue each.
 * The worker refuses to boot unless every name has exactly one handler.
 */
export enum JobName {
  SelfCheck = 'self-check',
  CloudAccountSync = 'cloud-account-sync',
  DeploymentStep = 'deployment-step',
  Reconcile = 'reconcile',
  WebhookDelivery = 'webhook-delivery',
  BenchmarkStep = 'benchmark-step',
}

export enum QueueName {
  Admin = 'admin',
  Clouds = 'clouds',
  Deployments = 'deployments',
  Webhooks = 'webhooks',
  Benchmarks = 'benchmarks',
}

export interface JobPayloads {
  [JobName.SelfCheck]: { selfCheckId: string; tenantId: string };
  /** Refreshes the account's inventory (regions, instance types, images) from the cloud. */
  [JobName.CloudAccountSync]: { accountId: string; tenantId: string };
  /** One step of a deployment; `seq` is the deployment's seq when the step was queued. */
  [JobName.DeploymentStep]: {
    deploymentId: string;
    tenantId: string;
    step: DeploymentStep;
    seq: number;
    scale?: { tier: string; count: number };
  };
  /** Compares every settled deployment with what its clouds report (repeatable). */
  [JobName.Reconcile]: Record<string, never>;
  /** Sends one webhook delivery (a row of webhook_deliveries), retrying with backoff. */
  [JobName.WebhookDelivery]: { deliveryId: string; subscriptionId: string; tenantId: string };
  /**
   * One step of a benchmark's candidate (`seq` is the candidate's when queued), or `finish`: the
   * ranking, once every candidate is settled (candidateId empty).
   */
  [JobName.BenchmarkStep]: {
    benchmarkId: string;
    tenantId: string;
    candidateId: string;
    step: CandidateStep | 'finish';
    seq: number;
  };
}

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  [JobName.SelfCheck]: QueueName.Admin,
  // Cloud calls are slow and may hang until their timeout: they must not delay admin jobs.
  [JobName.CloudAccountSync]: QueueName.Clouds,
  // Deployment steps wait on clouds for minutes: their own queue and concurrency.
  [JobName.DeploymentStep]: QueueName.Deployments,
  [JobName.Reconcile]: QueueName.Deployments,
  // receivers may be slow or away: their waits must not hold deployment steps
  [JobName.WebhookDelivery]: QueueName.Webhooks,
  // a run holds its job for the whole load: not in the way of deployment steps
  [JobName.BenchmarkStep]: QueueName.Benchmarks,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
export const ALL_JOBS: readonly JobName[] = Object.values(JobName);

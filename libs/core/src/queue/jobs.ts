/**
 * The catalogue of background jobs: one name, one payload type, one queue each.
 * The worker refuses to boot unless every name has exactly one handler.
 */
export enum JobName {
  SelfCheck = 'self-check',
}

export enum QueueName {
  Admin = 'admin',
}

export interface JobPayloads {
  [JobName.SelfCheck]: { selfCheckId: string; tenantId: string };
}

export const JOB_QUEUE: { readonly [N in JobName]: QueueName } = {
  [JobName.SelfCheck]: QueueName.Admin,
};

export const ALL_QUEUES: readonly QueueName[] = Object.values(QueueName);
export const ALL_JOBS: readonly JobName[] = Object.values(JobName);

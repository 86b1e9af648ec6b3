import type { CallLimits } from '../deploy/cloud-access.service.js';

/** The reconciler only looks: a cloud that does not answer quickly is tried again next round. */
export const RECONCILE_LIMITS: CallLimits = { requestTimeoutMs: 5_000, maxAttempts: 1 };

import { CloudErrorCode, isCloudError, type CloudError } from '@switchyard/cloud-adapters';
import type { DeploymentFailure, DeploymentStep } from '@switchyard/core/deployments';

/** A step that cannot go on: names the step, tier, environment, cloud and the cloud's own error. */
export class StepFailure extends Error {
  constructor(
    readonly step: DeploymentStep,
    message: string,
    readonly where: { tier?: string; environment?: string; provider?: string; cloudCode?: string } = {},
    /** The cloud did not answer or asked us to wait, after the adapter's own retries: later may work. */
    readonly transient = false,
  ) {
    super(message);
    this.name = 'StepFailure';
  }

  static fromCloud(
    step: DeploymentStep,
    err: unknown,
    where: { tier?: string; environment?: string; provider?: string },
  ): StepFailure {
    if (err instanceof StepFailure) return err;
    if (isCloudError(err)) {
      return new StepFailure(
        step,
        `${err.cloudCode}: ${err.cloudMessage}`,
        { ...where, cloudCode: err.cloudCode },
        isTransient(err),
      );
    }
    return new StepFailure(step, err instanceof Error ? err.message : String(err), where);
  }

  toFailure(): DeploymentFailure {
    return { step: this.step, message: this.message, ...this.where };
  }
}

// unreachable, throttled, or a wait that ran out (an instance still shutting down)
function isTransient(err: CloudError): boolean {
  return err.retryable || err.code === CloudErrorCode.DeadlineExceeded;
}

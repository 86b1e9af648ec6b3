/**
 * Whether a benchmark can measure a tier on this environment, decided from the provider and the
 * account, never from what a run happens to return (a simulated cloud's instance answers nothing,
 * and no figure is made up for it).
 *
 * - a simulated account (moto, vcsim) and OpenStack (whose peer here is Nova's fake driver, and
 *   for which no load generator inside the cloud exists yet) run no workload we can reach;
 * - `linux-host` instances run real processes on a bridge of a host the worker shares, so the
 *   worker's load generator reaches them;
 * - AWS and vSphere accounts that are real run workloads, but on private networks the worker
 *   does not reach: an in-cloud load generator would be needed (not built yet).
 */
export type WorkloadReach = { measurable: true } | { measurable: false; reason: string };

export const NO_WORKLOAD = "not measurable here: this environment's instances run no workload";

export function workloadReach(account: { provider: string; simulated: boolean }): WorkloadReach {
  if (account.provider === 'linux-host') return { measurable: true };
  if (account.simulated || account.provider === 'openstack')
    return { measurable: false, reason: NO_WORKLOAD };
  return {
    measurable: false,
    reason: `not measurable here: the load generator runs in the worker and cannot reach ${account.provider} instances (an in-cloud load generator is not built yet)`,
  };
}

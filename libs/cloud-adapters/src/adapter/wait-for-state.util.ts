import type { CloudAdapter, CloudInstance, InstanceState } from './cloud-adapter.js';
import { InvalidRequest, isCloudError } from './cloud.exception.js';
import { pollUntil, systemClock, type PollOptions, type RetryClock } from './retry.util.js';

const defaultWait: PollOptions = { timeoutMs: 300_000, initialDelayMs: 250, maxDelayMs: 5_000 };

/**
 * Polls `describeInstance` until the instance is in `state`. A vanished instance counts as
 * terminated; an instance in `error` fails the wait at once instead of running out the clock.
 */
export function waitForInstanceState(
  adapter: Pick<CloudAdapter, 'provider' | 'describeInstance'>,
  id: string,
  state: InstanceState,
  options: PollOptions = defaultWait,
  clock: RetryClock = systemClock,
): Promise<CloudInstance> {
  return pollUntil(
    async () => {
      let instance: CloudInstance;
      try {
        instance = await adapter.describeInstance(id);
      } catch (error) {
        if (state === 'terminated' && isCloudError(error) && error.code === 'NotFound') {
          return { id, name: id, state: 'terminated', tags: {} };
        }
        throw error;
      }
      if (instance.state === state) return instance;
      if (instance.state === 'error' && state !== 'error') {
        throw new InvalidRequest({
          provider: adapter.provider,
          cloudCode: 'InstanceError',
          cloudMessage: `instance ${id} went into error while waiting for ${state}`,
        });
      }
      return undefined;
    },
    { provider: adapter.provider, description: `instance ${id} state ${state}` },
    options,
    clock,
  );
}

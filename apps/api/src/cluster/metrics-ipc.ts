import cluster from 'node:cluster';
import { randomUUID } from 'node:crypto';

// A clustered API's /metrics: the worker that is asked asks the primary, which gathers every
// worker's registry (prom-client's AggregatorRegistry) and answers over IPC.

export const METRICS_REQUEST = 'switchyard:metrics-request';
export const METRICS_REPLY = 'switchyard:metrics-reply';

export interface MetricsRequest {
  type: typeof METRICS_REQUEST;
  id: string;
}

export interface MetricsReply {
  type: typeof METRICS_REPLY;
  id: string;
  text?: string;
  error?: string;
}

const TIMEOUT_MS = 10_000;

/** Whether this process is one worker of a clustered API. */
export function isClusterWorker(): boolean {
  return cluster.isWorker && typeof process.send === 'function';
}

/** Every worker's metrics, merged by the primary. */
export function clusterMetrics(): Promise<string> {
  const id = randomUUID();
  return new Promise((resolve, reject) => {
    const onMessage = (msg: MetricsReply) => {
      if (msg?.type !== METRICS_REPLY || msg.id !== id) return;
      done();
      if (msg.text !== undefined) resolve(msg.text);
      else reject(new Error(`the primary could not gather metrics: ${msg.error ?? 'no answer'}`));
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error('the primary did not answer for metrics'));
    }, TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      process.off('message', onMessage);
    };
    process.on('message', onMessage);
    process.send!({ type: METRICS_REQUEST, id } satisfies MetricsRequest);
  });
}

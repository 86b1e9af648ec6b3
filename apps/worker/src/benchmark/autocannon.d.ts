// The part of autocannon 9 (which ships no types) that the load generator uses.
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events';

  export interface Options {
    /** Several URLs: the connections are spread over them. */
    url: string | string[];
    method?: string;
    connections?: number;
    amount?: number;
    duration?: number;
    timeout?: number;
    headers?: Record<string, string>;
  }

  export interface Result {
    errors: number;
    timeouts: number;
    non2xx: number;
    '2xx': number;
    '3xx'?: number;
    duration: number;
    requests: { total: number; sent: number };
    latency: { mean: number; max: number };
  }

  export interface Instance extends EventEmitter {
    stop(): void;
  }

  function autocannon(options: Options, done: (err: Error | null, result: Result) => void): Instance;
  export default autocannon;
}

import { Injectable } from '@nestjs/common';
import { percentile, type BenchmarkLoad, type RunFigures } from '@switchyard/core/benchmarks';
import autocannon, { type Result } from 'autocannon';

/** Where a run sends its load: the target tier's instances, as the worker reaches them. */
export interface LoadTarget {
  addresses: string[];
}

/**
 * Puts a benchmark's load on a target with autocannon (in this process: the worker reaches the
 * instances it measures). Latency percentiles come from every answer's own time, not from
 * autocannon's histogram buckets, so p95 is exact.
 */
@Injectable()
export class LoadGenerator {
  /**
   * Whether every target answers HTTP at all (any status), looking again each second for up to
   * `withinMs` (a server may still be starting). Answers the first failure's message, or null.
   * A target that never answers would otherwise cost a timeout per request of every run.
   */
  async probe(target: LoadTarget, load: BenchmarkLoad, withinMs = 60_000): Promise<string | null> {
    const deadline = Date.now() + withinMs;
    for (;;) {
      let problem: string | null = null;
      for (const a of target.addresses) {
        const url = `http://${a}:${load.port}${load.path}`;
        const answered = await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(5_000) })
          .then(() => null)
          .catch((err: Error) => `${url}: ${(err.cause as Error | undefined)?.message ?? err.message}`);
        problem ??= answered;
      }
      if (!problem || Date.now() > deadline) return problem;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }

  /** A warm-up: the same load for `seconds`, nothing kept. */
  async warmUp(target: LoadTarget, load: BenchmarkLoad): Promise<void> {
    if (load.warmupSeconds <= 0) return;
    await this.fire(target, load, { duration: load.warmupSeconds });
  }

  /** One measured run. */
  async run(target: LoadTarget, load: BenchmarkLoad, run: number): Promise<RunFigures> {
    const startedAt = new Date().toISOString();
    const amount = load.durationSeconds ? { duration: load.durationSeconds } : { amount: load.requests };
    const { result, times } = await this.fire(target, load, amount);
    const good = result['2xx'] + (result['3xx'] ?? 0);
    const attempted = result.requests.total + result.errors;
    const errors = Math.max(0, attempted - good);
    const durationSeconds = Math.max(result.duration, 0.001);
    const pick = (q: number) => (times.length ? round(percentile(times, q)) : 0);
    return {
      run,
      startedAt,
      durationSeconds: round(durationSeconds),
      requests: attempted,
      throughput: round(good / durationSeconds),
      errors,
      errorRate: attempted ? errors / attempted : 0,
      latencyMs: {
        p50: pick(50),
        p95: pick(95),
        p99: pick(99),
        mean: times.length ? round(times.reduce((a, b) => a + b, 0) / times.length) : 0,
        max: round(times.reduce((a, b) => Math.max(a, b), 0)),
      },
    };
  }

  private fire(
    target: LoadTarget,
    load: BenchmarkLoad,
    amount: { duration: number } | { amount: number },
  ): Promise<{ result: Result; times: number[] }> {
    const urls = target.addresses.map((a) => `http://${a}:${load.port}${load.path}`);
    const times: number[] = [];
    return new Promise((resolve, reject) => {
      const instance = autocannon(
        {
          url: urls.length === 1 ? urls[0]! : urls,
          method: load.method,
          connections: load.concurrency,
          timeout: load.timeoutSeconds,
          ...amount,
        },
        (err, result) => (err ? reject(err) : resolve({ result, times })),
      );
      instance.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => {
        times.push(ms);
      });
    });
  }
}

function round(n: number): number {
  return Math.round(n * 1000) / 1000;
}

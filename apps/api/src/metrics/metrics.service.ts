import { Inject, Injectable, Logger } from '@nestjs/common';
import { ALL_QUEUES, JobQueue } from '@switchyard/core/queue';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { clusterMetrics, isClusterWorker } from '../cluster/metrics-ipc.js';

const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed', 'prioritized'] as const;

/**
 * Prometheus metrics of the API (every process of a clustered one, summed), and of the queues as
 * Redis knows them (read once, not once per process).
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly logger = new Logger(MetricsService.name);
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;

  private readonly clustered = isClusterWorker();

  constructor(@Inject(JobQueue) jobs: JobQueue) {
    if (this.clustered) {
      // the primary's AggregatorRegistry asks each worker for these registries; constructing one
      // here is what makes prom-client answer those requests in this worker
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
    collectDefaultMetrics({ register: this.registry, prefix: 'switchyard_api_' });
    this.httpDuration = new Histogram({
      name: 'switchyard_http_request_duration_seconds',
      help: 'HTTP request latency by route pattern and status',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [this.registry],
    });
    const logger = this.logger;
    new Gauge({
      name: 'switchyard_queue_jobs',
      help: 'Jobs in each queue by state (queue depth: waiting + delayed + prioritized)',
      labelNames: ['queue', 'state'],
      aggregator: 'first',
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          ALL_QUEUES.map(async (name) => {
            try {
              const counts = await jobs.queue(name).getJobCounts(...JOB_STATES);
              for (const state of JOB_STATES) this.set({ queue: name, state }, counts[state] ?? 0);
            } catch (err) {
              logger.warn({ err, queue: name }, 'could not read queue counts');
            }
          }),
        );
      },
    });
    // BullMQ's workers keep running totals of outcomes in Redis (worker option `metrics`).
    new Counter({
      name: 'switchyard_queue_jobs_finished_total',
      help: 'Jobs finished by each queue, by outcome (completed, failed), since the queue was created',
      labelNames: ['queue', 'outcome'],
      aggregator: 'first',
      registers: [this.registry],
      async collect() {
        this.reset();
        await Promise.all(
          ALL_QUEUES.flatMap((name) =>
            (['completed', 'failed'] as const).map(async (outcome) => {
              try {
                const metrics = await jobs.queue(name).getMetrics(outcome, 0, 0);
                this.inc({ queue: name, outcome }, Number(metrics.meta.count) || 0);
              } catch (err) {
                logger.warn({ err, queue: name }, 'could not read queue metrics');
              }
            }),
          ),
        );
      },
    });
  }

  /** The text a scrape gets: this process's registry, or the whole cluster's. */
  scrape(): Promise<string> {
    return this.clustered ? clusterMetrics() : this.registry.metrics();
  }
}

// Benchmarks: what a benchmark stores, the statistics over its runs and the ranking.
export * from './benchmark.types.js';
export * from './statistics/student-t.util.js';
export * from './statistics/summary.util.js';
export * from './statistics/candidate-result.util.js';
export * from './statistics/ranking.util.js';
export * from './benchmark.entities.js';
export * from './benchmark.repository.js';
export * from './benchmark-schedule.repository.js';
export * from './benchmark-flow.js';
export * from './benchmark-flow.module.js';

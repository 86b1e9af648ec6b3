// Redis and BullMQ: the job catalogue, queues and their Nest module.
export * from './jobs.js';
export * from './redis.js';
export * from './job-queue.js';
export * from './queue.module.js';

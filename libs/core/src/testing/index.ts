// For unit tests only: strict fakes of the ports above.
export * from './strict-fake.js';
export * from './in-memory-deployments.js';

// Postgres: entities, the data source, transactions, tenant scope and named error codes.
export * from './entities.js';
export * from './cloud.entities.js';
export * from './data-source-options.js';
export * from './postgres-errors.js';
export * from './database.module.js';
export * from './unit-of-work.js';
export * from './change-notices.js';
export * from './tenant-scope.js';

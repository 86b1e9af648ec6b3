// Governance kept in the order path: quota reservations that hold under concurrency.
export * from './quota-amounts.js';
export * from './quota-ledger.js';
export * from './lease-defaults.js';

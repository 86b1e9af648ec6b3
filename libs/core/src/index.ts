export * from './config/config.js';
export * from './config/config.module.js';
export * from './crypto/secret-box.js';
export * from './crypto/token.js';
export * from './database/entities.js';
export * from './database/data-source-options.js';
export * from './queue/jobs.js';
export * from './queue/redis.js';

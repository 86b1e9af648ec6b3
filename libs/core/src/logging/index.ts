// Structured logs (pino) and their terminal format.
export * from './logging.module.js';
export { processLogger } from './process-logger.js';

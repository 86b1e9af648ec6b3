// Configuration: the environment read and checked once, and its Nest module.
export * from './config.js';
export * from './config.module.js';

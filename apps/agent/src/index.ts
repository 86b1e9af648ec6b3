export * from './host-network/index.js';

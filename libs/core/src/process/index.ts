// The process itself: clean shutdown on signals.
export * from './shutdown.js';

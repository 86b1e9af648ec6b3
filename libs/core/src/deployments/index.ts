// The deployment lifecycle: states, steps, the one owner of a deployment's transitions and its storage.
export * from './deployment.entities.js';
export * from './deployment-states.js';
export * from './deployment.repository.js';
export * from './deployment-lifecycle.js';
export * from './deployment-lifecycle.module.js';
export * from './scale-request.js';
export * from './step-outcomes.js';
export * from './guest-tokens.js';

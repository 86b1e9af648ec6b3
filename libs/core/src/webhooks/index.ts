// Webhooks: the outbox every event goes out through, the signature, and which targets may be called.
export * from './webhook-outbox.js';
export * from './webhook-signature.js';
export * from './webhook-target.js';
export * from './webhooks.module.js';

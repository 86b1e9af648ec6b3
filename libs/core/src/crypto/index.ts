// Secrets at rest, cloud credentials, API tokens and password hashes.
export * from './secret-box.js';
export * from './secrets.module.js';
export * from './account-credentials.js';
export * from './token.js';
export * from './password.js';

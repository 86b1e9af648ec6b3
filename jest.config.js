// Jest runs in ESM mode (NestJS 12 is ESM-only): see package.json scripts.
const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2023',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
    },
    module: { type: 'es6' },
  },
];

const shared = {
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@switchyard/migrations$': '<rootDir>/migrations/index.ts',
    // the host agent is an app whose host-network module others reuse
    '^@switchyard/agent$': '<rootDir>/apps/agent/src/index.ts',
    '^@switchyard/agent/host-network$': '<rootDir>/apps/agent/src/host-network/index.ts',
    '^@switchyard/([a-z-]+)$': '<rootDir>/libs/$1/src/index.ts',
    // core's parts are entry points of their own (folders of libs/core/src)
    '^@switchyard/core/deployment-states$': '<rootDir>/libs/core/src/deployments/deployment-states.ts',
    '^@switchyard/core/([a-z-]+)$': '<rootDir>/libs/core/src/$1/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testEnvironment: 'node',
  rootDir: '.',
};

export default {
  // hooks start and stop real processes (API, worker, peers, chromium): 5 s is too short for them
  testTimeout: 60_000,
  // ends the run with what was skipped and why (test/support/skips.ts records the reasons)
  reporters: ['default', '<rootDir>/test/support/skip-summary-reporter.mjs'],
  projects: [
    { ...shared, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs}/*/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
    {
      // the web app in Debian's chromium, driven by playwright-core (test/browser/support)
      ...shared,
      displayName: 'browser',
      testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
    },
  ],
};

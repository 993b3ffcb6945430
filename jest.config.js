// One jest run covers every package: the embedded PostgreSQL (when DATABASE_URL is unset)
// starts once in globalSetup and each test file then creates its own database.
const swc = [
  '@swc/jest',
  {
    jsc: { parser: { syntax: 'typescript' }, target: 'es2023' },
    module: { type: 'es6' },
  },
];

export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  moduleNameMapper: {
    '^@tender/reference-cart$': '<rootDir>/examples/reference-cart/src/index.ts',
    '^@tender/([a-z-]+)$': '<rootDir>/packages/$1/src/index.ts',
    '^@tender/([a-z-]+)/([a-z-]+)$': '<rootDir>/packages/$1/src/$2/index.ts',
    '^(\\.{1,2}/.*)\\.js$': '$1',
  },
  testMatch: [
    '<rootDir>/packages/*/test/**/*.test.ts',
    '<rootDir>/examples/*/test/**/*.test.ts',
    '<rootDir>/integration-tests/test/**/*.test.ts',
  ],
  globalSetup: '<rootDir>/packages/payment-module/test-support/global-setup.ts',
  globalTeardown: '<rootDir>/packages/payment-module/test-support/global-teardown.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};

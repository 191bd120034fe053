// e2e: the real app on the embedded default (SQLite in a temp dir, in-process drivers).
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  // Every answer of a Kiln server is checked against src/openapi/openapi.json.
  setupFilesAfterEnv: ['<rootDir>/test/support/contract/contract.setup.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};

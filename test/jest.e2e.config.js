// e2e: the real app on the embedded default (SQLite in a temp dir, in-process drivers).
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'e2e',
  testMatch: ['<rootDir>/test/e2e/**/*.e2e-spec.ts'],
  testTimeout: 30000,
  maxWorkers: 2,
};

// integration: real PostgreSQL and Redis, real child processes. Each suite makes its
// own database and Redis key prefix (test/support), so suites may run side by side.
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};

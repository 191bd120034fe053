// integration: real PostgreSQL and Redis, real child processes. Each suite makes its
// own database and Redis key prefix (test/support), so suites may run side by side.
module.exports = {
  ...require('./jest.base.config'),
  displayName: 'integration',
  testMatch: ['<rootDir>/test/integration/**/*.int-spec.ts'],
  testTimeout: 120000,
  // One suite at a time: the fault suites (terminated backends, a database outage, a
  // worker killed mid-drain) judge timing, and beside another suite of real processes on
  // a 2-core machine they missed their windows.
  maxWorkers: 1,
};

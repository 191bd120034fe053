module.exports = {
  ...require('./jest.base.config'),
  displayName: 'unit',
  testMatch: [
    '<rootDir>/src/**/*.spec.ts',
    '<rootDir>/test/unit/**/*.spec.ts',
    '<rootDir>/test/service/**/*.spec.ts',
  ],
};

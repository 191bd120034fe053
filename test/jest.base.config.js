// Shared Jest settings: SWC transpiles TypeScript (with decorator metadata) so suites
// start fast; type checking is the build's and the linter's job.
module.exports = {
  rootDir: '..',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  // Tests use the client package from its source, as the type-check does.
  moduleNameMapper: { '^@kiln/client$': '<rootDir>/clients/typescript/src/index.ts' },
  // A few dependencies ship ES modules in .js files (Node 20 loads them with
  // require(esm); Jest cannot), so SWC compiles those to CommonJS too.
  transformIgnorePatterns: [
    '/node_modules/(?!(content-disposition|@kubernetes/client-node|openid-client|oauth4webapi|jose|@nestjs|nestjs-pino)/)',
  ],
  transform: {
    '^.+\\.(ts|js)$': [
      '@swc/jest',
      {
        jsc: {
          target: 'es2022',
          parser: { syntax: 'typescript', decorators: true },
          transform: { legacyDecorator: true, decoratorMetadata: true },
          keepClassNames: true,
        },
        module: { type: 'commonjs' },
      },
    ],
  },
};

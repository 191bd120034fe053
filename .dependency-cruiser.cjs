// Which folder of src/ may import which (docs/architecture.md, "Modules and their
// allowed dependencies"). `npm run lint:boundaries` checks it; `npm run lint` runs that.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'infra-not-to-modules',
      comment: 'infra adapts the outside world for every module and knows none of them.',
      severity: 'error',
      from: { path: '^src/infra/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'common-not-to-modules',
      comment: 'common holds framework helpers with no domain words.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/modules/' },
    },
    {
      name: 'config-not-to-modules-or-infra',
      comment: 'config is the typed settings, read by everything and reading nothing of ours.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/(modules|infra)/' },
    },
    {
      name: 'not-to-app-root',
      comment:
        'src/*.ts (bootstrap, app module, schema, entry points) composes the app; nothing it composes imports it.',
      severity: 'error',
      from: { path: '^src/(modules|infra|common|config)/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'module-public-surface',
      comment:
        "A module uses another only through that module's index.ts: its Nest module, services, decorators, DTOs and types. Entities, repositories and the other files stay private.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/' },
      to: {
        path: '^src/modules/[^/]+/',
        pathNot: ['^src/modules/$1/', '^src/modules/[^/]+/index\\.ts$'],
      },
    },
    {
      name: 'not-through-own-barrel',
      comment: "A module's own files import each other directly; its index.ts is for others.",
      severity: 'error',
      from: { path: '^src/modules/([^/]+)/', pathNot: '^src/modules/[^/]+/index\\.ts$' },
      to: { path: '^src/modules/$1/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'Import cycles load half-initialized modules. Cycles through `import type` alone vanish at compile time and are not flagged.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Unit specs sit beside the code and may set up another module's internals.
    exclude: { path: '\\.spec\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};

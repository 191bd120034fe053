// `npm start` runs this first: it builds only what changed since the last build it made,
// so a restart takes seconds instead of a full build. The server (with the client
// package) and the web console are separate targets: a change to a page rebuilds only the
// console, a change to the server only the server.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');

const SHARED = ['package.json', 'package-lock.json'];
const TARGETS = [
  {
    stamp: join('dist', '.build-stamp'),
    inputs: [...SHARED, 'src', 'clients/typescript/src', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'],
    command: ['run', 'build:server'],
  },
  {
    stamp: join('web', 'dist', '.build-stamp'),
    // The console compiles the client package's sources in, so they are its inputs too.
    inputs: [...SHARED, 'web/src', 'web/public', 'web/index.html', 'web/vite.config.ts', 'web/package.json', 'clients/typescript/src'],
    command: ['run', 'build:web'],
  },
];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function builtAt(stamp) {
  return existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
}

for (const target of TARGETS) {
  if (Math.max(...target.inputs.map(newestChange)) < builtAt(target.stamp)) continue;
  // The stamp carries the time the build started, so a file saved during the build counts
  // as changed next time.
  const startedAt = new Date();
  const build = spawnSync('npm', target.command, { stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
  mkdirSync(dirname(target.stamp), { recursive: true });
  writeFileSync(target.stamp, '');
  utimesSync(target.stamp, startedAt, startedAt);
}

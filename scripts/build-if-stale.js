// `npm start` runs this first: it builds only when a source or build setting changed since
// the last build it made, so a restart takes seconds instead of a full `nest build`.
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

const STAMP = join('dist', '.build-stamp');
const INPUTS = ['src', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'nest-cli.json'];

function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestChange(join(path, name))));
}

function builtAt() {
  return existsSync(STAMP) ? statSync(STAMP).mtimeMs : 0;
}

if (Math.max(...INPUTS.map(newestChange)) < builtAt()) process.exit(0);

// The stamp carries the time the build started, so a file saved during the build counts as
// changed next time.
const startedAt = new Date();
const build = spawnSync('npm', ['run', 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
writeFileSync(STAMP, '');
utimesSync(STAMP, startedAt, startedAt);

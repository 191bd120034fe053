// Bakes what build this is into dist/build-info.json, which the admin system view shows:
// the git commit (KILN_BUILD_COMMIT when set, as the Docker build sets it from a build
// argument since its context has no .git; else the checkout's HEAD), an optional build id
// from CI (KILN_BUILD_ID), and when the build ran. Run by `npm run build:server`.
const { spawnSync } = require('node:child_process');
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

function gitHead() {
  const git = spawnSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : null;
}

const info = {
  commit: process.env.KILN_BUILD_COMMIT || gitHead(),
  id: process.env.KILN_BUILD_ID || null,
  builtAt: new Date().toISOString(),
};
mkdirSync('dist', { recursive: true });
writeFileSync(join('dist', 'build-info.json'), `${JSON.stringify(info, null, 2)}\n`);

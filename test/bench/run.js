// `npm run bench [name]`: runs every test/bench/*.bench.js (or the named one) in turn.
const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const { join } = require('node:path');

const only = process.argv[2];
const benches = readdirSync(__dirname)
  .filter((file) => file.endsWith('.bench.js'))
  .filter((file) => !only || file.startsWith(only));
if (benches.length === 0) throw new Error(`no benchmark matches ${only}`);
for (const file of benches) {
  console.log(`\n# ${file}`);
  execFileSync(process.execPath, [join(__dirname, file)], { stdio: 'inherit' });
}

// The console's size budget, run in CI after the build: the JavaScript a browser must
// load before the first page (the task list) shows, gzipped, stays within 350 KB. Pages
// are split into their own chunks, so the total weighs the entry, everything it imports
// statically, and the task list's chunk with its static imports.
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const DIST = join(__dirname, '..', 'web', 'dist');
const MANIFEST = join(DIST, '.vite', 'manifest.json');
const FIRST_PAGE = 'src/pages/TaskListPage.tsx';
const BUDGET_BYTES = 350 * 1024;

function closure(manifest, keys, seen = new Set()) {
  for (const key of keys) {
    if (seen.has(key) || !manifest[key]) continue;
    seen.add(key);
    closure(manifest, manifest[key].imports ?? [], seen);
  }
  return seen;
}

function gzippedSize(file) {
  const gz = join(DIST, `${file}.gz`);
  return existsSync(gz) ? statSync(gz).size : require('node:zlib').gzipSync(readFileSync(join(DIST, file))).length;
}

if (!existsSync(MANIFEST)) {
  console.error(`No ${MANIFEST}: run \`npm run build\` first.`);
  process.exit(2);
}
const manifest = JSON.parse(readFileSync(MANIFEST, 'utf8'));
const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const chunks = [...closure(manifest, [entry, FIRST_PAGE])];
const files = chunks.map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
const total = files.reduce((sum, file) => sum + gzippedSize(file), 0);
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
for (const file of files) console.log(`${kb(gzippedSize(file)).padStart(10)}  ${file}`);
console.log(`initial route JavaScript: ${kb(total)} gzipped (budget ${kb(BUDGET_BYTES)})`);
if (total > BUDGET_BYTES) {
  console.error('Over budget: split the code that the first page does not need into lazy chunks.');
  process.exit(1);
}

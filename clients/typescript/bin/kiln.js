#!/usr/bin/env node
// The `kiln` command. It is committed as plain JavaScript so that `npm ci` links it into
// node_modules/.bin before anything is built; the CLI itself is compiled TypeScript.
'use strict';
let main;
try {
  main = require.resolve('../dist/cli/main.js');
} catch {
  process.stderr.write('kiln is not built yet: run `npm run build` first.\n');
  process.exit(2);
}
require(main);

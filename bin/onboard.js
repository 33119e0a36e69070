#!/usr/bin/env node
// The `onboard` command. It runs the compiled CLI; `npm ci` builds it (the prepare script).
const path = require('node:path');
const fs = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'src', 'cli', 'main.js');
if (!fs.existsSync(entry)) {
  process.stderr.write('onboard: not built yet; run `npm run build` (or `npm ci`) in ' + path.join(__dirname, '..') + '\n');
  process.exit(1);
}
require(entry).main(process.argv);

#!/usr/bin/env node
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('rulebridge is not built yet: run `npm run build` (or `npm start`) first.\n');
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv);

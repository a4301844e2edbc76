#!/usr/bin/env node
// The floor the benchmarks compare with: read every rule file once and parse it with the yaml
// package, nothing more. `node test/bench/floor.js <dirs...>`
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

let documents = 0;
function walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (/\.ya?ml$/.test(entry.name)) {
      for (const doc of parseAllDocuments(readFileSync(path, 'utf8'))) {
        doc.toJS();
        documents++;
      }
    }
  }
}
for (const dir of process.argv.slice(2)) walk(dir);
console.log(`${documents} documents`);

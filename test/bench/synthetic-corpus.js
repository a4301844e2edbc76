#!/usr/bin/env node
// A synthetic corpus N times the real one, for checking that a whole-corpus job grows linearly:
// `node test/bench/synthetic-corpus.js <out> <copies> [<name>=]<dir>...`. Each copy holds every
// given folder (under <name>, or its own name) with rule ids made unique to the copy (Sigma `id:` and Panther `RuleID:`), so
// that the copies are distinct rules that test the same things.
import { cpSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const [out, copiesText, ...dirs] = process.argv.slice(2);
const copies = Number(copiesText);
if (!out || !Number.isInteger(copies) || copies < 1 || dirs.length === 0) {
  console.error('usage: synthetic-corpus.js <out> <copies> <dir>...');
  process.exit(2);
}

rmSync(out, { recursive: true, force: true });
for (let copy = 0; copy < copies; copy++) {
  for (const arg of dirs) {
    const [name, dir] = arg.includes('=') ? arg.split(/=(.*)/s) : [basename(arg), arg];
    const target = join(out, `copy${copy}`, name);
    cpSync(dir, target, { recursive: true });
    if (copy > 0) renameIds(target, copy);
  }
}

function renameIds(dir, copy) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      renameIds(path, copy);
      continue;
    }
    if (!/\.ya?ml$/.test(name)) continue;
    const text = readFileSync(path, 'utf8');
    const renamed = text
      // a UUID keeps its shape: the copy number replaces its last hex digits
      .replace(/^id: ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{8})[0-9a-f]{4}\s*$/gm, (_m, head) => `id: ${head}${copy.toString(16).padStart(4, '0')}`)
      .replace(/^RuleID: *(["']?)([^"'\n]+)\1\s*$/gm, (_m, _q, id) => `RuleID: "${id}.copy${copy}"`);
    if (renamed !== text) writeFileSync(path, renamed);
  }
}
console.log(`${copies} copies of ${dirs.join(', ')} in ${out}`);

#!/usr/bin/env node
// Writes src/mapping/data/kusto-columns.json: the column types of every KQL table the shipped
// mappings name (facts from the table schemas in ../shared/kusto-schema, or files given).
//   node scripts/kusto-columns.js [schema.json ...]
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'yaml';

const data = new URL('../src/mapping/data/', import.meta.url);
const inputs = process.argv.slice(2);
if (inputs.length === 0) {
  const shared = new URL('../../shared/kusto-schema/', import.meta.url);
  inputs.push(...['defender-xdr-and-sentinel-tables.json', 'sentinel-all-tables.json'].map((f) => new URL(f, shared)));
}
const schema = {};
for (const input of inputs) {
  for (const [table, columns] of Object.entries(JSON.parse(readFileSync(input, 'utf8')))) schema[table] ??= columns;
}
const tables = new Set();
for (const file of readdirSync(data).filter((f) => f.endsWith('.yml'))) {
  const mapping = parse(readFileSync(new URL(file, data), 'utf8'), { maxAliasCount: -1 });
  if (mapping.target !== 'kql') continue;
  for (const entry of Object.values(mapping.logsources ?? {})) if (entry.table) tables.add(entry.table);
}
const out = {};
const missing = [];
for (const table of [...tables].sort()) {
  if (!schema[table]) missing.push(table);
  else out[table] = Object.fromEntries(Object.entries(schema[table]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
writeFileSync(new URL('kusto-columns.json', data), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${Object.keys(out).length} tables written${missing.length ? `; no schema for ${missing.join(', ')}` : ''}`);

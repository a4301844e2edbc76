#!/usr/bin/env node
// Rewrites the table of docs/diagnostics.md from the code table (src/diagnostics/codes.ts),
// keeping the prose around it. Run after `npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';

const { DIAGNOSTIC_CODES } = await import(new URL('../dist/diagnostics/codes.js', import.meta.url));
const path = new URL('../docs/diagnostics.md', import.meta.url);
const lines = readFileSync(path, 'utf8').split('\n');
const start = lines.findIndex((l) => l.startsWith('| code |'));
let end = start;
while (end < lines.length && lines[end].startsWith('|')) end++;
const table = ['| code | severity | meaning |', '|---|---|---|', ...Object.entries(DIAGNOSTIC_CODES).map(([code, info]) => `| \`${code}\` | ${info.severity} | ${info.summary} |`)];
writeFileSync(path, [...lines.slice(0, start), ...table, ...lines.slice(end)].join('\n'));
console.log(`${table.length - 2} codes written to docs/diagnostics.md`);

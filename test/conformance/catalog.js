#!/usr/bin/env node
// Checks a built catalog site against its inputs, without the catalog's own code:
//
//   node test/conformance/catalog.js <site> <rule paths...>
//
// - one rule page per rule document `rulebridge inspect --json` reads (and a page per document
//   it could not read), and no other;
// - every relative link and script/style reference of every page resolves to a file of the site;
// - every corpus count in catalog.json equals a recount from the inspect records, normalized as
//   docs/catalog.md says (fields lower-cased; text values of text operators lower-cased; regular
//   expressions by text and flags).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const [site, ...paths] = process.argv.slice(2);
if (!site || paths.length === 0) {
  console.error('usage: node test/conformance/catalog.js <site> <rule paths...>');
  process.exit(2);
}
const catalog = JSON.parse(readFileSync(join(site, 'catalog.json'), 'utf8'));
const problems = [];

// ---- inspect records
const inspected = spawnSync(process.execPath, [join(root, 'bin', 'rulebridge.js'), 'inspect', '--json', ...paths], { maxBuffer: 1 << 30, encoding: 'utf8' });
const records = inspected.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
const documents = records.filter((r) => r.kind !== null || !r.ok);
const notRules = records.length - documents.length;

// ---- pages
const rulePages = readdirSync(join(site, 'rules')).filter((f) => f.endsWith('.html'));
const expectedPages = catalog.rules.length + catalog.failed.length;
console.log(`inputs: ${records.length} documents from inspect (${documents.length} rules or unreadable, ${notRules} not rules); catalog: ${catalog.rules.length} rules, ${catalog.failed.length} not read, ${catalog.skipped.length} not rules`);
console.log(`rule pages: ${rulePages.length} (expected ${expectedPages}, one per rule and per unreadable document)`);
if (rulePages.length !== expectedPages) problems.push(`rule pages ${rulePages.length} != ${expectedPages}`);
if (catalog.rules.length + catalog.failed.length !== documents.length) problems.push(`catalog documents ${catalog.rules.length + catalog.failed.length} != inspect documents ${documents.length}`);
for (const r of catalog.rules) if (!existsSync(join(site, 'rules', `${r.slug}.html`))) problems.push(`no page for ${r.path}`);

// ---- links
let pages = 0;
let links = 0;
const broken = new Map();
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path);
    else if (entry.name.endsWith('.html')) checkLinks(path);
  }
};
const exists = new Map();
const fileExists = (path) => {
  if (!exists.has(path)) exists.set(path, existsSync(path));
  return exists.get(path);
};
function checkLinks(file) {
  pages++;
  const html = readFileSync(file, 'utf8');
  for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
    const target = m[1].replace(/&amp;/g, '&');
    if (/^(?:[a-z][a-z0-9+.-]*:|#|\/\/)/i.test(target)) continue;
    links++;
    const path = resolve(dirname(file), decodeURIComponent(target.replace(/[?#].*$/, '')));
    if (!fileExists(path)) broken.set(`${relative(site, file)} -> ${target}`, true);
  }
}
walk(site);
console.log(`links: ${links} relative links in ${pages} pages, ${broken.size} broken`);
for (const b of [...broken.keys()].slice(0, 10)) problems.push(`broken link ${b}`);

// ---- corpus counts, recounted
const TEXT_OPS = new Set(['eq', 'contains', 'startswith', 'endswith', 'wildcard', 'keyword.contains', 'keyword.wildcard']);
const valueText = (v) => (v === null ? null : typeof v === 'object' ? `%${v.placeholder}%` : String(v));
const keyOf = (field, op, value, flags, placeholder) =>
  JSON.stringify([field === null ? null : field.toLowerCase(), op, value !== null && !placeholder && TEXT_OPS.has(op) ? value.toLowerCase() : value, flags ?? '', placeholder ? 1 : 0]);
const lookingFor = new Map();
const docKey = (path, document) => `${resolve(path)}#${document}`;
for (const r of documents) {
  if (!r.ok && r.kind === null) continue;
  for (const i of r.indicators) {
    if (i.negated) continue;
    const values = i.values.length > 0 ? i.values : [null];
    for (const v of values) {
      const key = keyOf(i.field, i.op, valueText(v), i.flags, v !== null && typeof v === 'object');
      if (!lookingFor.has(key)) lookingFor.set(key, new Set());
      lookingFor.get(key).add(docKey(r.path, r.document));
    }
  }
}
let compared = 0;
let mismatched = 0;
for (const r of catalog.rules) {
  const self = docKey(r.path, r.document);
  for (const i of r.indicators) {
    if (i.exclusion) continue;
    compared++;
    const set = lookingFor.get(keyOf(i.field, i.op, i.value, i.flags, i.placeholder)) ?? new Set();
    const expected = set.size - (set.has(self) ? 1 : 0);
    if (expected !== i.corpusCount) {
      mismatched++;
      if (mismatched <= 10) problems.push(`${r.path}: ${i.field} ${i.op} ${i.value}: corpus ${i.corpusCount}, recount ${expected}`);
    }
  }
}
console.log(`corpus counts: ${compared} compared with the recount from inspect --json, ${mismatched} differ`);

for (const p of problems) console.log(`problem: ${p}`);
process.exit(problems.length > 0 ? 1 : 0);

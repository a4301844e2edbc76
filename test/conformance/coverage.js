#!/usr/bin/env node
// Mapped coverage: converts the SigmaHQ corpus with the shipped mappings and counts, per target
// and format, the rules that convert with no unmapped-field or unmapped-logsource diagnostic.
// Prints the rate, the log sources without a mapping and the most frequent unmapped fields.
//   node test/conformance/coverage.js [--target splunk|kql-xdr|kql-sentinel|chronicle] [--top N] [--panther]
// With --panther: the Python rules of panther-analysis (../panther-analysis or PANTHER_ANALYSIS),
// by Panther log type.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const panther = process.argv.includes('--panther');
const corpus = panther ? (process.env.PANTHER_ANALYSIS ?? join(root, '..', 'panther-analysis')) : join(root, '..', 'shared', 'corpus', 'sigmahq');
const args = process.argv.slice(2);
const only = args.includes('--target') ? args[args.indexOf('--target') + 1] : undefined;
const top = args.includes('--top') ? Number(args[args.indexOf('--top') + 1]) : 15;

if (!existsSync(corpus)) {
  console.log(`skipped: the corpus is not at ${corpus}`);
  process.exit(0);
}
const { loadRules } = await import(join(root, 'dist', 'load', 'load.js'));
const { convertRuleSet } = await import(join(root, 'dist', 'convert', 'convert.js'));

const TARGETS = [
  { name: 'splunk', target: 'splunk', format: 'default' },
  { name: 'kql-xdr', target: 'kql', format: 'xdr' },
  { name: 'kql-sentinel', target: 'kql', format: 'sentinel' },
  { name: 'chronicle', target: 'chronicle', format: 'yaral' },
].filter((t) => !only || t.name === only);

const loaded = await loadRules(panther ? [join(corpus, 'rules')] : ['rules', 'rules-threat-hunting', 'rules-compliance'].map((d) => join(corpus, d)));
const add = (map, key, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
const logsourceOf = (rule) => (rule.logsource.logTypes ? rule.logsource.logTypes.join(',') : ['product', 'category', 'service'].map((k) => rule.logsource[k] ?? '').join('/'));

for (const t of TARGETS) {
  const conversions = convertRuleSet(loaded.results.filter((r) => !r.skipped), { target: t.target, format: t.format });
  let clean = 0;
  const logsources = new Map();
  const fields = new Map();
  const failures = new Map();
  for (const c of conversions) {
    const unmapped = c.diagnostics.filter((d) => d.code === 'unmapped-field' || d.code === 'unmapped-logsource');
    if (c.ok && unmapped.length === 0) clean++;
    const source = c.result.rule ? logsourceOf(c.result.rule) : '?';
    if (unmapped.some((d) => d.code === 'unmapped-logsource')) add(logsources, source);
    for (const d of unmapped.filter((d) => d.code === 'unmapped-field')) add(fields, `${source} ${/'([^']*)'/.exec(d.message)?.[1]}`);
    if (!c.ok) add(failures, (c.diagnostics.find((d) => d.severity === 'error')?.message ?? 'no query').replace(/'[^']*'/g, "'…'"));
  }
  const rate = (100 * clean) / conversions.length;
  console.log(`\n== ${t.name}: ${clean} of ${conversions.length} rules convert with every field and log source mapped (${rate.toFixed(1)}%)`);
  const list = (title, map) => {
    const total = [...map.values()].reduce((a, b) => a + b, 0);
    console.log(`  ${title}: ${total}`);
    for (const [k, n] of [...map].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, top)) console.log(`    ${String(n).padStart(5)}  ${k}`);
  };
  list('rules whose log source is unmapped', logsources);
  list('unmapped fields (rules, by log source)', fields);
  list('rules not converted, by reason', failures);
}

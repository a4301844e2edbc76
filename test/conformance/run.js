#!/usr/bin/env node
// Conformance with pySigma: converts the SigmaHQ corpus without mappings and compares each query
// with pySigma's (../shared/oracle/*.jsonl) after whitespace normalisation. Prints the rate of
// identical queries per target, the rules only one side converts (with reasons), and the most
// common kinds of difference with an example each.
//   node test/conformance/run.js [--target splunk|kql|chronicle-udm|chronicle-yaral] [--show N] [--json]
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const shared = join(root, '..', 'shared');
const corpus = join(shared, 'corpus', 'sigmahq');
const args = process.argv.slice(2);
const only = args.includes('--target') ? args[args.indexOf('--target') + 1] : undefined;
const show = args.includes('--show') ? Number(args[args.indexOf('--show') + 1]) : 0;

if (!existsSync(corpus) || !existsSync(join(shared, 'oracle'))) {
  console.log(`skipped: the SigmaHQ corpus or pySigma's outputs are not under ${shared}`);
  process.exit(0);
}
const { loadRules } = await import(join(root, 'dist', 'load', 'load.js'));
const { convertRuleSet } = await import(join(root, 'dist', 'convert', 'convert.js'));
const { conformanceFeatures } = await import(join(root, 'test', 'conformance', 'features.js'));

const TARGETS = [
  { name: 'splunk', oracle: 'splunk-nopipeline.jsonl', target: 'splunk', format: 'default' },
  { name: 'kql', oracle: 'kusto-nopipeline.jsonl', target: 'kql', format: 'xdr' },
  { name: 'chronicle-udm', oracle: 'secops-nopipeline.jsonl', target: 'chronicle', format: 'udm' },
  { name: 'chronicle-yaral', oracle: 'secops-nopipeline-yara_l.jsonl', target: 'chronicle', format: 'yaral' },
].filter((t) => !only || t.name === only);

const loaded = await loadRules(['rules', 'rules-threat-hunting', 'rules-compliance'].map((d) => join(corpus, d)));
const normalize = (q) => q.replace(/\s+/g, ' ').trim();
const summary = {};

for (const t of TARGETS) {
  let conversions;
  try {
    conversions = convertRuleSet(loaded.results, { target: t.target, format: t.format, mapping: null });
  } catch (error) {
    console.log(`${t.name}: not available (${error.message})`);
    continue;
  }
  const ours = new Map(conversions.map((c) => [relative(corpus, c.result.path), c]));
  const oracle = readFileSync(join(shared, 'oracle', t.oracle), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  let theirsOk = 0;
  let same = 0;
  const onlyTheirs = new Map();
  const onlyOurs = new Map();
  const differences = new Map();
  for (const o of oracle) {
    const mine = ours.get(o.path);
    const mineOk = mine?.ok ?? false;
    if (o.ok && !mineOk) {
      const reason = mine?.diagnostics.find((d) => d.severity === 'error')?.message ?? 'not converted';
      add(onlyTheirs, reason.replace(/'[^']*'/g, "'…'").replace(/%[^%]+%/g, '%…%'), o.path);
    }
    if (!o.ok && mineOk) add(onlyOurs, o.error.replace(/ \(while .*$| in rules.*$/s, ''), o.path);
    if (!o.ok || !mineOk) continue;
    theirsOk++;
    const a = normalize(o.queries.join('\n'));
    const b = normalize(mine.queries.join('\n'));
    if (a === b) {
      same++;
      continue;
    }
    for (const feature of conformanceFeatures(mine.result.rule, a, b, t.name)) add(differences, feature, { path: o.path, theirs: a, ours: b });
  }
  const rate = theirsOk ? same / theirsOk : 0;
  summary[t.name] = { identical: same, of: theirsOk, rate };
  console.log(`\n== ${t.name}: ${same} of ${theirsOk} rules pySigma converts give an identical query (${(100 * rate).toFixed(1)}%)`);
  report('pySigma converts, rulebridge refuses', onlyTheirs);
  report('rulebridge converts, pySigma refuses', onlyOurs);
  console.log('  differences by kind (a rule can show several kinds):');
  for (const [kind, items] of [...differences].sort((x, y) => y[1].length - x[1].length)) {
    console.log(`    ${String(items.length).padStart(5)}  ${kind}`);
    for (const item of items.slice(0, show)) {
      console.log(`           ${item.path}\n             pySigma:    ${item.theirs.slice(0, 400)}\n             rulebridge: ${item.ours.slice(0, 400)}`);
    }
  }
}
if (args.includes('--json')) console.log(JSON.stringify(summary));

function add(map, key, value) {
  const list = map.get(key) ?? [];
  list.push(value);
  map.set(key, list);
}

function report(title, map) {
  const total = [...map.values()].reduce((n, l) => n + l.length, 0);
  console.log(`  ${title}: ${total}`);
  for (const [reason, paths] of [...map].sort((a, b) => b[1].length - a[1].length)) {
    console.log(`    ${String(paths.length).padStart(5)}  ${reason.slice(0, 160)}  (e.g. ${paths[0]})`);
  }
}

#!/usr/bin/env node
// Extraction fidelity on panther-analysis (a checkout at ../panther-analysis, or the folder in
// PANTHER_ANALYSIS): how many Python rules extract completely, whether every test case of those
// reproduces its ExpectedResult, whether partial filters are sound (no expected-true case
// rejected), output field coverage, and the most common reasons for unknown parts.
//   node test/conformance/panther.js [--show N] [--rule <RuleID>]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = process.env.PANTHER_ANALYSIS ?? join(root, '..', 'panther-analysis');
const args = process.argv.slice(2);
const show = args.includes('--show') ? Number(args[args.indexOf('--show') + 1]) : 0;
const only = args.includes('--rule') ? args[args.indexOf('--rule') + 1] : undefined;

if (!existsSync(join(corpus, 'rules'))) {
  console.log(`skipped: no panther-analysis checkout at ${corpus} (set PANTHER_ANALYSIS)`);
  process.exit(0);
}
const { loadRules } = await import(join(root, 'dist', 'load', 'load.js'));
const { evaluate } = await import(join(root, 'dist', 'eval', 'evaluate.js'));
const { printCondition } = await import(join(root, 'dist', 'ast', 'print.js'));
const { containsUnknown, visit } = await import(join(root, 'dist', 'ast', 'walk.js'));

const started = performance.now();
const loaded = await loadRules([join(corpus, 'rules')]);
const seconds = ((performance.now() - started) / 1000).toFixed(2);

const add = (map, key, item) => map.set(key, [...(map.get(key) ?? []), item]);
const results = loaded.results.filter((r) => !r.skipped);
const rules = results.filter((r) => r.rule && r.rule.source.format === 'panther' && (!only || r.rule.id === only));
const python = rules.filter((r) => r.rule.stages.some((s) => s.name.endsWith('.py')));
let complete = 0;
let completeAllPass = 0;
let partialSound = 0;
let failedRules = 0;
let testCases = 0;
const wrong = [];
const unsound = [];
const reasons = new Map();
/** Reasons that are a rule's only one: what would complete it. */
const sole = new Map();
const errors = new Map();
let withContext = 0;
let skippedCases = 0;
let contextResolved = 0;

for (const r of python) {
  const rule = r.rule;
  if (!rule.condition || !r.ok) {
    failedRules++;
    add(errors, r.diagnostics.find((d) => d.severity === 'error')?.code ?? 'no condition', rule.id);
    continue;
  }
  testCases += rule.tests.length;
  // a case with Mocks runs on the condition its mocks give; one that mocks what the rule lacks is skipped
  const tests = rule.tests.filter((t) => !t.skip);
  skippedCases += rule.tests.length - tests.length;
  const conditionOf = (t) => t.condition ?? rule.condition;
  if (rule.extraction === 'complete') {
    complete++;
    const failures = tests.filter((t) => {
      const own = conditionOf(t);
      const actual = evaluate(own, t.event, { semantics: 'python', unknown: 'necessary' });
      return containsUnknown(own) ? t.expected && !actual : actual !== t.expected;
    });
    if (failures.length === 0) completeAllPass++;
    else wrong.push({ rule, failures });
  } else {
    const rejected = tests.filter((t) => t.expected && !evaluate(conditionOf(t), t.event, { semantics: 'python', unknown: 'necessary' }));
    if (rejected.length === 0) partialSound++;
    else unsound.push({ rule, failures: rejected });
    const seen = new Set();
    visit(rule.condition, (n) => {
      if (n.kind === 'unknown') seen.add(n.reason.replace(/'[^']*'|"[^"]*"/g, '…').replace(/\d+/g, 'N'));
    });
    for (const reason of seen) add(reasons, reason, rule.id);
    if (seen.size === 1) add(sole, [...seen][0], rule.id);
  }
  if (rule.stages.some((s) => /def alert_context\(/.test(s.text))) {
    withContext++;
    if (rule.fields.length > 0 && rule.fields.some((f) => f.source)) contextResolved++;
  }
}

const pct = (a, b) => (b ? ((100 * a) / b).toFixed(1) : '0.0');
console.log(`panther-analysis: ${loaded.files} files read in ${seconds} s; ${rules.length} Panther rules, ${python.length} with Python, ${testCases} test cases (${skippedCases} skipped: they mock names the rule lacks)`);
console.log(`complete extraction: ${complete} of ${python.length} (${pct(complete, python.length)}%); all test cases reproduced for ${completeAllPass} of them`);
console.log(`complete or sound partial: ${completeAllPass + partialSound} of ${python.length} (${pct(completeAllPass + partialSound, python.length)}%); unsound partial: ${unsound.length}; not extracted: ${failedRules}`);
console.log(`output fields: ${contextResolved} of ${withContext} rules with alert_context (${pct(contextResolved, withContext)}%)`);
const list = (title, map) => {
  console.log(`${title}:`);
  for (const [k, v] of [...map].sort((a, b) => b[1].length - a[1].length).slice(0, 25)) console.log(`  ${String(v.length).padStart(4)}  ${k}${show ? `  (${v.slice(0, 3).join(', ')})` : ''}`);
};
list('unknown parts, by reason (rules)', reasons);
list('the only reason a rule is partial (rules)', sole);
list('not extracted, by error', errors);
const detail = (title, items) => {
  console.log(`${title}: ${items.length}`);
  for (const { rule, failures } of items.slice(0, show)) {
    console.log(`  ${rule.id}  ${rule.source.path}\n    ${printCondition(rule.condition, { cased: true }).slice(0, 600)}`);
    for (const f of failures.slice(0, 2)) console.log(`    test "${f.name}" expects ${f.expected}`);
  }
};
detail('complete rules with a test case that does not reproduce', wrong);
detail('partial rules rejecting an expected-true case', unsound);

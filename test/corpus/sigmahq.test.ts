// Acceptance on the real SigmaHQ corpus (../shared/corpus/sigmahq): every file yields results,
// at least 99.9% read without an error, conditions round-trip through their text, and every
// regression event matches its rule.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { parseConditionText } from '../../src/ast/parse.js';
import { printCondition } from '../../src/ast/print.js';
import type { RuleResult } from '../../src/ast/rule.js';
import { runTests } from '../../src/eval/run-tests.js';
import { readEventSources } from '../../src/events/read.js';
import { loadRules } from '../../src/load/load.js';
import { hasSigmaHQ, SIGMAHQ, SIGMAHQ_RULE_DIRS } from '../helpers/corpus.js';

/** Rules of the corpus that are wrong as written, with the reason (none at this snapshot). */
const KNOWN_DEFECTS: Record<string, string> = {};

function countYaml(dir: string): number {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.isDirectory()) n += countYaml(join(dir, e.name));
    else if (/\.ya?ml$/.test(e.name)) n++;
  }
  return n;
}

describe.skipIf(!hasSigmaHQ)('SigmaHQ corpus', () => {
  let results: RuleResult[];
  let files: number;
  beforeAll(async () => {
    const loaded = await loadRules(SIGMAHQ_RULE_DIRS, { workers: 0 });
    results = loaded.results;
    files = loaded.files;
  });

  test('every rule file yields results, and at least 99.9% read without an error', () => {
    expect(files).toBe(SIGMAHQ_RULE_DIRS.reduce((n, d) => n + countYaml(d), 0));
    expect(new Set(results.map((r) => r.path)).size).toBe(files);
    const failed = results.filter((r) => !r.ok);
    expect(1 - failed.length / results.length).toBeGreaterThanOrEqual(0.999);
    const unexplained = failed.filter((r) => !Object.keys(KNOWN_DEFECTS).some((k) => r.path.endsWith(k)));
    expect(unexplained.map((r) => `${r.path}: ${r.diagnostics.map((d) => d.message).join('; ')}`)).toEqual([]);
  });

  test('condition text round-trips for every rule', () => {
    let checked = 0;
    for (const r of results) {
      if (!r.rule?.condition) continue;
      const text = printCondition(r.rule.condition);
      const parsed = parseConditionText(text);
      expect(parsed.ok, `${r.path}: ${text}`).toBe(true);
      if (parsed.ok) expect(printCondition(parsed.condition), r.path).toBe(text);
      checked++;
    }
    expect(checked).toBe(results.filter((r) => r.rule?.condition).length);
  });

  test('every regression event matches its rule', () => {
    const events = readEventSources([join(SIGMAHQ, 'regression_data')]);
    expect(events.diagnostics).toEqual([]);
    const run = runTests(results, events.sets);
    expect(run.diagnostics).toEqual([]);
    const sets = run.outcomes.flatMap((o) => o.sets.map((s) => ({ path: s.path, passed: s.passed })));
    expect(sets).toHaveLength(events.sets.length);
    expect(sets.filter((s) => !s.passed)).toEqual([]);
    expect(events.sets.length).toBeGreaterThanOrEqual(194);
  });
});

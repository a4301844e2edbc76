// The Panther front end on the public panther-analysis repository (../panther-analysis or
// PANTHER_ANALYSIS; skipped with a message when it is not there): every completely extracted
// rule reproduces all of its own test cases, no partial rule rejects an expected-true case, and
// the two seed rules read exactly as the catalog shows them. test/conformance/panther.js prints
// the full figures.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Rule } from '../../src/ast/rule.js';
import { printCondition } from '../../src/ast/print.js';
import { containsUnknown } from '../../src/ast/walk.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadRules } from '../../src/load/load.js';

const PANTHER = process.env.PANTHER_ANALYSIS ?? join(import.meta.dirname, '..', '..', '..', 'panther-analysis');
const present = existsSync(join(PANTHER, 'rules'));
if (!present) console.warn(`skipping the panther-analysis checks: no checkout at ${PANTHER}`);

describe.skipIf(!present)('panther-analysis', () => {
  let rules: Rule[] = [];
  beforeAll(async () => {
    const loaded = await loadRules([join(PANTHER, 'rules')], { workers: 0 });
    rules = loaded.results.flatMap((r) => (r.rule && r.rule.source.format === 'panther' && r.rule.condition ? [r.rule] : []));
  }, 120_000);

  const python = (condition: Rule['condition'], event: unknown) => evaluate(condition!, event, { semantics: 'python' });

  test('complete rules reproduce every test case; partial rules accept every expected-true one', () => {
    const wrong: string[] = [];
    for (const rule of rules) {
      for (const t of rule.tests) {
        if (t.skip) continue;
        const own = t.condition ?? rule.condition;
        const actual = python(own, t.event);
        const ok = containsUnknown(own!) ? !t.expected || actual : actual === t.expected;
        if (!ok) wrong.push(`${rule.id}: ${t.name}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  test('the seed rules', () => {
    const byId = (id: string) => rules.find((r) => r.id === id)!;
    const key = byId('Anthropic.Activity.Service.Key.Created');
    expect(key.extraction).toBe('complete');
    expect(printCondition(key.condition!, { cased: true })).toBe('type eq "service_key_created"');
    expect(key.fields.slice(0, 3)).toEqual([
      { name: 'event_type', source: 'type' },
      { name: 'actor_type', source: 'actor.type' },
      { name: 'actor_email', source: 'actor.email_address' },
    ]);
    const openai = byId('OpenAI.API.Key.Anomalous.Activity');
    expect(printCondition(openai.condition!, { cased: true })).toMatch(/^type in \["api_key\.created", "api_key\.updated"\] and \(.*scopes/);
  });
});

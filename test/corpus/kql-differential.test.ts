// Differential test of the KQL printer on the SigmaHQ corpus: for every rule that converts
// without a mapping (format xdr, so the query is the bare where-expression), Microsoft's parser
// reads the query, the test-only KQL model (test/helpers/kql-eval.ts) evaluates it on events,
// and its verdict must equal rulebridge's evaluator (src/eval/evaluate.ts, the reference) on the
// same event.
//
// Events: (a) the regression events of the corpus, each with the rule it belongs to (as
// src/events/read.ts pairs them), and (b) synthetic events built from each rule's own values
// (test/helpers/sigma-events.ts), seeded by the rule id. Both evaluators get the same event; the
// KQL model sees it as a row through rowOf (dotted keys become paths, as the printer reads them).
//
// A pair the model cannot decide (KqlUnsupported) is counted and reported, never guessed.
//
// KQL_DIFF_DUMP=<file> writes every disagreement as JSON, for studying them beyond the first few.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Condition } from '../../src/ast/condition.js';
import type { Rule } from '../../src/ast/rule.js';
import { convertRuleSet } from '../../src/convert/convert.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { readEventSources } from '../../src/events/read.js';
import { loadRules } from '../../src/load/load.js';
import { hasSigmaHQ, SIGMAHQ } from '../helpers/corpus.js';
import { blame } from '../helpers/kql-blame.js';
import { compileKqlQuery, KqlUnsupported, rowOf, type KqlQuery } from '../helpers/kql-eval.js';
import { seedOf, syntheticEvents } from '../helpers/sigma-events.js';

const RULE_DIRS = ['rules', 'rules-threat-hunting', 'rules-compliance'].map((d) => join(SIGMAHQ, d));
const SHOWN = 12;
/** Per rule: at most 120 events, 3 values of each test, 10 random mixtures. */
const SYNTHETIC = { maxEvents: 120, valuesPerTest: 3, mixtures: 10 };

interface Subject {
  path: string;
  rule: Rule;
  condition: Condition;
  query: KqlQuery;
}

interface Disagreement {
  path: string;
  condition: Condition;
  event: unknown;
  kql: string;
  sigma: boolean;
  kqlVerdict: boolean;
}

class Tally {
  pairs = 0;
  agreements = 0;
  disagreements: Disagreement[] = [];
  unsupported = new Map<string, number>();
  errors: string[] = [];

  unsupportedCount(): number {
    return [...this.unsupported.values()].reduce((a, b) => a + b, 0);
  }

  refuse(reason: string): void {
    // Reasons carry values; the class of the reason is what is worth counting.
    const key = reason.replace(/"[^"]*"|\/.*\/|\d+(\.\d+)?/g, '…').slice(0, 90);
    this.unsupported.set(key, (this.unsupported.get(key) ?? 0) + 1);
  }

  summary(label: string): string {
    const reasons = [...this.unsupported.entries()].sort((a, b) => b[1] - a[1]).slice(0, 6);
    return (
      `[kql-differential] ${label}: ${this.pairs} rule/event pairs, ${this.agreements} agree, ` +
      `${this.disagreements.length} disagree, ${this.unsupportedCount()} unsupported` +
      (reasons.length ? ` (${reasons.map(([r, n]) => `${n}× ${r}`).join('; ')})` : '')
    );
  }
}

/** Both verdicts for one event; the model's refusal is counted, not guessed. */
function check(subject: Subject, event: unknown, tally: Tally): void {
  tally.pairs++;
  const sigma = evaluate(subject.condition, event);
  let kql: boolean;
  try {
    kql = subject.query.keeps(rowOf(event));
  } catch (error) {
    if (error instanceof KqlUnsupported) return tally.refuse(error.message);
    tally.errors.push(`${subject.path}: ${(error as Error).message}`);
    return;
  }
  if (kql === sigma) tally.agreements++;
  else tally.disagreements.push({ path: subject.path, condition: subject.condition, event, kql: subject.query.text, sigma, kqlVerdict: kql });
}

function dump(label: string, tally: Tally): void {
  const file = process.env.KQL_DIFF_DUMP;
  if (!file) return;
  const rows = tally.disagreements.map(({ condition, ...d }) => ({ ...d, blame: blame(condition, d.event) }));
  writeFileSync(file.replace(/(\.json)?$/, `-${label}.json`), JSON.stringify(rows, null, 1));
}

function describeDisagreement(d: Disagreement): string {
  const kql = d.kql.length > 600 ? `${d.kql.slice(0, 600)}…` : d.kql;
  return `${d.path}\n  event: ${JSON.stringify(d.event)}\n  kql: ${kql}\n  rulebridge evaluator: ${d.sigma}, KQL model: ${d.kqlVerdict}`;
}

/**
 * Disagreements grouped by the tests blamed for them (see kql-blame.ts), largest group first,
 * each with its smallest example: the findings, rather than hundreds of pairs.
 */
function classes(disagreements: Disagreement[]): string {
  const groups = new Map<string, { count: number; rules: Set<string>; example: Disagreement; leaf: string }>();
  for (const d of disagreements) {
    // A test the model could not decide is blamed only when no decided test is.
    const all = blame(d.condition, d.event);
    const decided = all.filter((b) => b.kqlVerdict !== 'unsupported');
    const blamed = decided.length > 0 ? decided : all;
    const key = blamed.length ? [...new Set(blamed.map((b) => b.kind))].sort().join(' + ') : 'no single test to blame (the combination differs)';
    const group = groups.get(key) ?? { count: 0, rules: new Set<string>(), example: d, leaf: blamed[0]?.kql ?? '' };
    group.count++;
    group.rules.add(d.path);
    if (JSON.stringify(d.event).length < JSON.stringify(group.example.event).length) {
      group.example = d;
      group.leaf = blamed[0]?.kql ?? '';
    }
    groups.set(key, group);
  }
  return [...groups.entries()]
    .sort((a, b) => b[1].count - a[1].count)
    .map(([key, g]) => `${g.count} pairs, ${g.rules.size} rules: ${key}\n  e.g. ${g.example.path.replace(/^.*\/sigmahq\//, '')}\n  test: ${g.leaf.slice(0, 300)}\n  event: ${JSON.stringify(g.example.event).slice(0, 400)}`)
    .join('\n');
}

function report(label: string, tally: Tally): string {
  if (tally.disagreements.length === 0) return '';
  return `${label}: disagreement classes\n${classes(tally.disagreements)}\n\nfirst disagreements:\n${tally.disagreements.slice(0, SHOWN).map(describeDisagreement).join('\n')}`;
}

describe.skipIf(!hasSigmaHQ)('KQL differential (no mapping, xdr)', () => {
  const subjects: Subject[] = [];
  const skipped = new Tally();
  let converted = 0;

  beforeAll(async () => {
    const { results } = await loadRules(RULE_DIRS, { workers: 0 });
    for (const conversion of convertRuleSet(results, { target: 'kql', format: 'xdr', mapping: null })) {
      const rule = conversion.result.rule;
      // Correlations aggregate over many events; they are not predicates on one.
      if (!conversion.ok || !rule?.condition || rule.correlation || conversion.queries.length !== 1) continue;
      converted++;
      try {
        subjects.push({ path: conversion.result.path, rule, condition: rule.condition, query: compileKqlQuery(conversion.queries[0]!) });
      } catch (error) {
        if (error instanceof KqlUnsupported) skipped.refuse(error.message);
        else skipped.errors.push(`${conversion.result.path}: ${(error as Error).message}`);
      }
    }
    console.log(`[kql-differential] ${converted} single-event rules converted; ${subjects.length} queries in the model; ${skipped.unsupportedCount()} refused as a whole${skipped.unsupported.size ? ` (${[...skipped.unsupported.entries()].map(([r, n]) => `${n}× ${r}`).join('; ')})` : ''}`);
  });

  test('every emitted query is read by the model or refused by name', () => {
    expect(skipped.errors).toEqual([]);
    expect(subjects.length + skipped.unsupportedCount()).toBe(converted);
  });

  test('regression events: the KQL model agrees with the evaluator', () => {
    const reading = readEventSources([join(SIGMAHQ, 'regression_data')]);
    const byId = new Map(subjects.map((s) => [s.rule.id, s]));
    const tally = new Tally();
    let sets = 0;
    for (const set of reading.sets) {
      const subject = set.ruleId ? byId.get(set.ruleId) : undefined;
      if (!subject) continue;
      sets++;
      for (const event of set.events) check(subject, event, tally);
    }
    console.log(tally.summary(`regression events (${sets} of ${reading.sets.length} event sets)`));
    dump('regression', tally);
    expect(tally.errors).toEqual([]);
    expect(tally.disagreements.length, report('regression events', tally)).toBe(0);
  });

  test('synthetic events from each rule’s values: the KQL model agrees with the evaluator', () => {
    const tally = new Tally();
    for (const subject of subjects) {
      const events = syntheticEvents(subject.condition, { seed: seedOf(subject.rule.id), ...SYNTHETIC });
      for (const event of events) check(subject, event, tally);
    }
    console.log(tally.summary(`synthetic events (${subjects.length} rules)`));
    dump('synthetic', tally);
    expect(tally.errors).toEqual([]);
    expect(tally.disagreements.length, report('synthetic events', tally)).toBe(0);
  });
});

// A rule's indicators for the catalog: each (field, operator, value) its condition tests, one
// row per value, normalized so that what a detection engineer reads as the same test in two
// rules, on either platform, has the same key.
//
// - Field names are lower-cased: Panther finds event keys ignoring case, and Sigma rules spell
//   one log field in several ways (`EventName`, `eventName`); the field written is kept.
// - Text values of text operators are lower-cased, whether the test ignores case (Sigma's
//   default) or not (Panther's `==`): `eventName: CreateAccessKey` in a Sigma rule and
//   `event.get("eventName") == "CreateAccessKey"` in a Panther rule look for the same thing.
//   Regular expressions keep their text (lower-casing `\S` changes its meaning) and carry
//   their flags in the key instead.
// - Numbers and booleans become their text: YAML and Python write the same constant quoted or
//   not, and the matchers compare them as text.

import { isPlaceholder, type Value } from '../ast/condition.js';
import { indicatorsOf } from '../ast/indicators.js';
import type { Rule } from '../ast/rule.js';
import { compareText } from './slug.js';

/** What makes two indicators the same. */
export interface IndicatorIdentity {
  /** null for keyword (fieldless) searches. */
  field: string | null;
  /** The AST's operator name, prefixed as `inspect` prints it (`keyword.contains`, `hour.eq`, `truthy`). */
  op: string;
  /** null for presence tests (`exists`, `truthy`) and for tests of a null value. */
  value: string | null;
  /** A regular expression's flags. */
  flags?: string;
  /** The value is a Sigma `expand` placeholder's name (`%name%`), not a literal. */
  placeholder?: true;
}

export interface RuleIndicatorRow {
  key: string;
  identity: IndicatorIdentity;
  /** The field and value as this rule writes them. */
  written: { field: string | null; value: string | null };
  /** Tested under an odd number of negations: what the rule excludes, not what it looks for. */
  exclusion: boolean;
}

/** Text operators, whose values fold to lower case. */
const FOLDING_OPS = new Set(['eq', 'contains', 'startswith', 'endswith', 'wildcard', 'keyword.contains', 'keyword.wildcard']);

export function indicatorKey(identity: IndicatorIdentity): string {
  return JSON.stringify([identity.field, identity.op, identity.value, identity.flags ?? '', identity.placeholder ? 1 : 0]);
}

/**
 * The rule's indicators, each (key, exclusion) once: what it looks for first, then what it
 * excludes, each in (field, op, value) order.
 */
export function ruleIndicators(rule: Rule): RuleIndicatorRow[] {
  if (!rule.condition) return [];
  const normalField = (field: string | null) => (field === null ? field : field.toLowerCase());
  const rows = new Map<string, RuleIndicatorRow>();
  for (const test of indicatorsOf(rule.condition, '', { caseDetail: true })) {
    const field = normalField(test.field);
    const fold = FOLDING_OPS.has(test.op);
    const values: Array<Value | undefined> = test.values.length > 0 ? test.values : [undefined];
    for (const value of values) {
      const written = valueText(value);
      const identity: IndicatorIdentity = { field, op: test.op, value: written };
      if (value !== undefined && isPlaceholder(value)) identity.placeholder = true;
      else if (written !== null && fold) identity.value = written.toLowerCase();
      else if (written !== null && test.op.startsWith('fieldref.')) identity.value = normalField(written);
      if (test.flags) identity.flags = test.flags;
      const key = indicatorKey(identity);
      const rowKey = `${test.negated ? '-' : '+'}${key}`;
      if (!rows.has(rowKey)) rows.set(rowKey, { key, identity, written: { field: test.field, value: written }, exclusion: test.negated });
    }
  }
  return [...rows.values()].sort(compareRows);
}

function valueText(value: Value | undefined): string | null {
  if (value === undefined || value === null) return null;
  if (isPlaceholder(value)) return `%${value.placeholder}%`;
  return String(value);
}

function compareRows(a: RuleIndicatorRow, b: RuleIndicatorRow): number {
  if (a.exclusion !== b.exclusion) return a.exclusion ? 1 : -1;
  return (
    compareText(a.identity.field ?? '', b.identity.field ?? '') ||
    compareText(a.identity.op, b.identity.op) ||
    compareText(a.identity.value ?? '', b.identity.value ?? '') ||
    compareText(a.key, b.key)
  );
}

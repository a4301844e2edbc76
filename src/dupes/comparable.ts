// A rule in the form the duplicate check compares: its condition with fields in the
// taxonomy's spelling, in canonical form, as text (what equivalence compares), as branches
// (what implication compares) and as indicators (what overlap scores).

import { canonical } from '../ast/canonical.js';
import { isPlaceholder, type Condition, type Value } from '../ast/condition.js';
import { indicatorsOf } from '../ast/indicators.js';
import { printCondition, printValue } from '../ast/print.js';
import type { Rule } from '../ast/rule.js';
import { containsUnknown, visit } from '../ast/walk.js';
import { dnf, type Branch, type Literal } from './dnf.js';
import type { RuleTaxonomy, Taxonomy } from './taxonomy.js';

export interface IndicatorView {
  /** What makes two rules' indicators the same. */
  key: string;
  /** How reports show it: `eventname eq "createaccesskey"`, `not image endswith "\\x.exe"`. */
  text: string;
  exclusion: boolean;
}

export interface Comparable {
  rule: Rule;
  logSources: string[];
  condition: Condition;
  /** The canonical condition's text: rules with the same text are equivalent. */
  text: string;
  /** The condition has Python's meaning (a Panther rule). */
  python: boolean;
  /** Parts of the rule's logic were not extracted: its condition is only a necessary one. */
  partial: boolean;
  /** The condition's branches, for choosing candidates; null where there are too many. */
  branches: Branch[] | null;
  /** Why implication with this rule is not decided, where it is not. */
  undecided?: string;
  indicators: Map<string, IndicatorView>;
  /**
   * The words (four or more ASCII letters, digits or underscores) of the text values the rule
   * looks for, by field: what finds pairs whose tests differ in value only (`eq "mimikatz.exe"`
   * and `contains "mimikatz"`).
   */
  words: Set<string>;
}

const TEXT_OPS = new Set(['eq', 'contains', 'startswith', 'endswith', 'wildcard']);

/** Rules that have a condition of their own; correlations and filter documents have none to compare. */
export function comparable(rule: Rule, taxonomy: Taxonomy): Comparable | undefined {
  if (rule.kind !== 'rule' || !rule.condition) return undefined;
  const names = taxonomy.of(rule);
  const python = rule.source.format === 'panther';
  const condition = canonical(inTaxonomy(rule.condition, names), { python });
  const out: Comparable = {
    rule,
    logSources: names.logSources,
    condition,
    text: printCondition(condition, { cased: false }),
    python,
    partial: containsUnknown(condition),
    branches: null,
    indicators: indicatorViews(condition),
    words: wordsOf(condition),
  };
  if (out.partial) out.undecided = 'part of its logic was not extracted';
  else out.branches = dnf(condition);
  return out;
}

function inTaxonomy(node: Condition, names: RuleTaxonomy, inElement = false): Condition {
  const field = (f: string) => (inElement ? f.toLowerCase() : names.field(f));
  switch (node.kind) {
    case 'and':
    case 'or':
      return { ...node, children: node.children.map((c) => inTaxonomy(c, names, inElement)) };
    case 'not':
      return { ...node, child: inTaxonomy(node.child, names, inElement) };
    case 'match': {
      const renamed = field(node.field);
      const cased = node.cased && !(TEXT_OPS.has(node.op) && !inElement && names.oneSpelling(renamed));
      return { ...node, field: renamed, cased };
    }
    case 'exists':
      return { ...node, field: field(node.field) };
    case 'fieldref':
      return { ...node, field: field(node.field), ref: field(node.ref) };
    case 'elements':
      return { ...node, field: field(node.field), condition: inTaxonomy(node.condition, names, true) };
    default:
      return node;
  }
}

/** The indicators of a condition (or of one literal of it), one per value, by key. */
export function indicatorViews(condition: Condition): Map<string, IndicatorView> {
  const out = new Map<string, IndicatorView>();
  for (const test of indicatorsOf(condition, '', { caseDetail: true })) {
    const values: Array<Value | undefined> = test.values.length > 0 ? test.values : [undefined];
    for (const value of values) {
      const shown = value === undefined ? '' : isPlaceholder(value) ? `%${value.placeholder}%` : printValue(value);
      // Joined with a separator no field, operator or printed value holds (values print quoted).
      const key = `${test.negated ? '-' : '+'}${test.field ?? ''}\u0000${test.op}\u0000${test.cased ? 1 : 0}${test.flags ?? ''}\u0000${shown}`;
      if (out.has(key)) continue;
      const op = `${test.op}${test.cased && test.op !== 'regex' ? ' cased' : ''}${test.flags ? ` /${test.flags}` : ''}`;
      const text = `${test.negated ? 'not ' : ''}${test.field ?? 'keyword'} ${op}${shown ? ` ${shown}` : ''}`;
      out.set(key, { key, text, exclusion: test.negated });
    }
  }
  return out;
}

const keysByLiteral = new Map<string, string[]>();

const WORD = /[a-z0-9_]{4,}/g;
const WORD_OPS = new Set(['eq', 'contains', 'startswith', 'endswith']);

function wordsOf(condition: Condition): Set<string> {
  const words = new Set<string>();
  visit(condition, (node, negated) => {
    if (node.kind === 'elements') return false;
    if (node.kind !== 'match' || negated || !WORD_OPS.has(node.op)) return;
    for (const value of node.values) {
      if (typeof value !== 'string') continue;
      for (const word of value.toLowerCase().match(WORD) ?? []) words.add(`~${node.field}\u0000${word}`);
    }
  });
  return words;
}

/** The indicator keys of one literal: what the candidate index finds it by. */
export function literalKeys(literal: Literal): string[] {
  let keys = keysByLiteral.get(literal.text);
  if (!keys) {
    keys = [...indicatorViews(literal.negated ? { kind: 'not', child: literal.test } : literal.test).keys()];
    // Literals repeat across rules and branches; the memo is bounded so a huge corpus cannot grow it without end.
    if (keysByLiteral.size > 100_000) keysByLiteral.clear();
    keysByLiteral.set(literal.text, keys);
  }
  return keys;
}

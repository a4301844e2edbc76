// The canonical form of a condition: one spelling for conditions that mean the same thing in
// the ways that are cheap to see, so that two rules can be compared by their text.
//
// - negations pushed down to the tests (De Morgan), double negations removed;
// - and / or flattened, constants folded, operands de-duplicated and sorted;
// - wildcard patterns whose only wildcards are a leading or trailing `*` become the plain
//   operator they amount to (`*x*` is contains x, `x*` startswith x, `*x` endswith x), except
//   under Python's meaning, where `contains` is also membership in a list;
// - a test of an empty value list is the constant it amounts to (any of none: false; all: true);
// - value lists de-duplicated and sorted, case folded where the test ignores case,
//   single-value lists quantified `any`;
// - in an `or`, `any` tests of one field with the same operator merge into one value list,
//   and in an `and` the `all` tests do; negated tests merge the other way round
//   (`not a and not b` is `not (a or b)`);
// - source positions and the marks that only guide printing (`list`, `expansion`) dropped.
//
// Every step keeps the meaning the evaluator gives the condition (test/unit/canonical.test.ts
// checks it on random conditions and events).

import { and, constant, isPlaceholder, not, or, type Condition, type MatchNode, type Value } from './condition.js';
import { printCondition, printValue } from './print.js';
import { parsePattern, toPlainMatch } from './wildcard.js';

const CASE_FOLDED_OPS = new Set(['eq', 'contains', 'startswith', 'endswith', 'wildcard']);

export interface CanonicalOptions {
  /** The condition has Python's meaning (Panther rules): see docs/semantics.md. */
  python?: boolean;
}

export function canonical(node: Condition, options: CanonicalOptions = {}): Condition {
  return normal(node, false, options.python ?? false);
}

/** The canonical form of `node`, or of its negation when `negated`. */
function normal(node: Condition, negated: boolean, python: boolean): Condition {
  switch (node.kind) {
    case 'and':
    case 'or': {
      // De Morgan: under a negation an `and` becomes an `or` of negated operands.
      const kind = negated === (node.kind === 'and') ? 'or' : 'and';
      return junction(kind, node.children.map((c) => normal(c, negated, python)));
    }
    case 'not':
      return normal(node.child, !negated, python);
    case 'const':
      return constant(node.value !== negated);
    default: {
      const leaf = canonicalLeaf(node, python);
      if (!negated) return leaf;
      if (leaf.kind === 'const') return constant(!leaf.value);
      // A leaf that became a junction (a wildcard list split by operator) is negated through it.
      if (leaf.kind === 'and' || leaf.kind === 'or') return normal(leaf, true, python);
      return not(leaf);
    }
  }
}

function canonicalLeaf(node: Exclude<Condition, { kind: 'and' | 'or' | 'not' | 'const' }>, python: boolean): Condition {
  if ((node.kind === 'match' || node.kind === 'keyword') && node.values.length === 0) return constant(node.quantifier === 'all');
  switch (node.kind) {
    case 'match':
      return node.op === 'wildcard' && !python ? plainWildcards(node) : canonicalMatch(node);
    case 'keyword': {
      const values = canonicalValues(node.values, !node.cased && node.op !== 'regex');
      const out: Condition = { kind: 'keyword', op: node.op, values, quantifier: values.length > 1 ? node.quantifier : 'any', cased: node.cased };
      if (node.flags) out.flags = node.flags;
      return out;
    }
    case 'exists':
      return node.truthy ? { kind: 'exists', field: node.field, truthy: true } : { kind: 'exists', field: node.field };
    case 'fieldref':
      return { kind: 'fieldref', field: node.field, op: node.op, ref: node.ref, cased: node.cased };
    case 'elements':
      return { kind: 'elements', field: node.field, quantifier: node.quantifier, condition: canonical(node.condition, { python }) };
    case 'unknown':
      return { kind: 'unknown', reason: node.reason };
  }
}

function canonicalMatch(node: MatchNode): MatchNode {
  const folded = !node.cased && CASE_FOLDED_OPS.has(node.op);
  const values = canonicalValues(node.values, folded);
  const out: MatchNode = {
    kind: 'match',
    field: node.field,
    op: node.op,
    values,
    quantifier: values.length > 1 ? node.quantifier : 'any',
    cased: node.op === 'regex' ? false : node.cased,
  };
  if (node.flags) out.flags = node.flags;
  if (node.part) out.part = node.part;
  return out;
}

/**
 * A wildcard test with its patterns sorted by the plain operator each amounts to: one test per
 * operator, joined as the quantifier joins the values.
 */
function plainWildcards(node: MatchNode): Condition {
  const byOp = new Map<MatchNode['op'], Value[]>();
  for (const value of node.values) {
    const plain = typeof value === 'string' ? toPlainMatch(parsePattern(value)) : undefined;
    const op = plain?.op ?? 'wildcard';
    const list = byOp.get(op) ?? [];
    list.push(plain ? plain.value : value);
    byOp.set(op, list);
  }
  const tests = [...byOp].map(([op, values]) => canonicalMatch({ ...node, op, values }));
  return junction(node.quantifier === 'all' ? 'and' : 'or', tests);
}

function junction(kind: 'and' | 'or', children: Condition[]): Condition {
  const absorbing = kind === 'or';
  const flat: Condition[] = [];
  for (const child of children) {
    if (child.kind === kind) flat.push(...child.children);
    else if (child.kind === 'const') {
      if (child.value === absorbing) return constant(absorbing);
    } else flat.push(child);
  }
  const merged = mergeValueLists(flat, kind === 'or' ? 'any' : 'all');
  const byText = new Map<string, Condition>();
  for (const child of merged) byText.set(printCondition(child), child);
  const sorted = [...byText.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, c]) => c);
  return kind === 'and' ? and(sorted) : or(sorted);
}

/**
 * Joins tests of one field that differ only in their values, where the junction allows it:
 * plain tests quantified as the junction combines, and negated tests quantified the other way
 * (`not f in [a]` and `not f in [b]` is `not f in [a, b]`).
 */
function mergeValueLists(children: Condition[], quantifier: 'any' | 'all'): Condition[] {
  const dual = quantifier === 'any' ? 'all' : 'any';
  const out: Condition[] = [];
  const groups = new Map<string, MatchNode>();
  for (const child of children) {
    const negated = child.kind === 'not';
    const test = negated ? child.child : child;
    const want = negated ? dual : quantifier;
    if (test.kind !== 'match' || test.values.length === 0 || (test.quantifier !== want && test.values.length > 1)) {
      out.push(child);
      continue;
    }
    const key = JSON.stringify([negated, test.field, test.op, test.cased, test.flags ?? '', test.part ?? '']);
    const existing = groups.get(key);
    if (existing) {
      existing.values = canonicalValues([...existing.values, ...test.values], false);
      existing.quantifier = existing.values.length > 1 ? want : 'any';
    } else {
      const copy = { ...test, values: [...test.values] };
      groups.set(key, copy);
      out.push(negated ? not(copy) : copy);
    }
  }
  return out;
}

function canonicalValues(values: Value[], fold: boolean): Value[] {
  const byText = new Map<string, Value>();
  for (const v of values) {
    const value = fold && typeof v === 'string' ? v.toLowerCase() : v;
    byText.set(isPlaceholder(value) ? `%${value.placeholder}` : printValue(value), value);
  }
  return [...byText.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
}

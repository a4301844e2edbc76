// The canonical form of a condition: one spelling for conditions that mean the same thing in
// the ways that are cheap to see, so that two rules can be compared by their text.
//
// - and / or flattened, constants folded, operands de-duplicated and sorted;
// - double negations removed;
// - value lists de-duplicated and sorted, case folded where the test ignores case,
//   single-value lists quantified `any`;
// - in an `or`, `any` tests of one field with the same operator merge into one value list,
//   and in an `and` the `all` tests do;
// - source positions dropped.

import { and, constant, isPlaceholder, not, or, type Condition, type MatchNode, type Value } from './condition.js';
import { printCondition, printValue } from './print.js';

const CASE_FOLDED_OPS = new Set(['eq', 'contains', 'startswith', 'endswith', 'wildcard']);

export function canonical(node: Condition): Condition {
  switch (node.kind) {
    case 'and':
    case 'or':
      return junction(node.kind, node.children.map(canonical));
    case 'not': {
      const child = canonical(node.child);
      if (child.kind === 'not') return child.child;
      if (child.kind === 'const') return constant(!child.value);
      return not(child);
    }
    case 'match': {
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
      return { kind: 'elements', field: node.field, quantifier: node.quantifier, condition: canonical(node.condition) };
    case 'const':
      return constant(node.value);
    case 'unknown':
      return { kind: 'unknown', reason: node.reason };
  }
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

/** Joins tests of one field that differ only in their values, where the junction allows it. */
function mergeValueLists(children: Condition[], quantifier: 'any' | 'all'): Condition[] {
  const out: Condition[] = [];
  const groups = new Map<string, MatchNode>();
  for (const child of children) {
    if (child.kind !== 'match' || (child.quantifier !== quantifier && child.values.length > 1)) {
      out.push(child);
      continue;
    }
    const key = JSON.stringify([child.field, child.op, child.cased, child.flags ?? '', child.part ?? '']);
    const existing = groups.get(key);
    if (existing) {
      existing.values = canonicalValues([...existing.values, ...child.values], false);
      existing.quantifier = existing.values.length > 1 ? quantifier : 'any';
    } else {
      const copy = { ...child, values: [...child.values] };
      groups.set(key, copy);
      out.push(copy);
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

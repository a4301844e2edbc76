// From symbolic values to conditions: Python's truth value of a value, and what a comparison
// between values says about the event. Each function gives the condition exactly, including
// what Python sees for a missing field (the `get` default), or an `unknown` part where it
// cannot; built conditions are kept small (flattened, constants folded).

import { exists, FALSE, match, not, TRUE, unknown, type Condition, type MatchOp, type Span, type Value } from '../../../ast/condition.js';
import { escapeRegExp } from '../../../ast/wildcard.js';
import { pythonEquals } from '../../../eval/python.js';
import { constTruth, type FieldValue, type PyConst, type SymValue } from './values.js';

// ---- building conditions ----

export function all(parts: Condition[]): Condition {
  const out: Condition[] = [];
  const seen = new Set<number>();
  for (const p of parts) {
    if (p.kind === 'const') {
      if (!p.value) return FALSE;
      continue;
    }
    for (const q of p.kind === 'and' ? p.children : [p]) addOnce(out, seen, q);
  }
  if (out.length === 0) return TRUE;
  return out.length === 1 ? out[0]! : { kind: 'and', children: out };
}

export function any(parts: Condition[]): Condition {
  const out: Condition[] = [];
  const seen = new Set<number>();
  for (const p of parts) {
    if (p.kind === 'const') {
      if (p.value) return TRUE;
      continue;
    }
    for (const q of p.kind === 'or' ? p.children : [p]) addOnce(out, seen, q);
  }
  if (out.length === 0) return FALSE;
  return out.length === 1 ? out[0]! : { kind: 'or', children: out };
}

export function neg(c: Condition): Condition {
  if (c.kind === 'const') return c.value ? FALSE : TRUE;
  if (c.kind === 'not') return c.child;
  return not(c);
}

export function constCondition(value: boolean): Condition {
  return value ? TRUE : FALSE;
}

/**
 * Structural identity by hash-consing: equal conditions get the same number. A node's key is
 * built from its children's numbers, so it stays short however deep the condition, and each
 * node is keyed once. The table is emptied per rule (see forgetConditions).
 */
let generation = 0;
const table = new Map<string, number>();
/** A node's number, kept on the node (not enumerable: invisible to JSON and comparisons); a WeakMap lookup costs more. */
const ID = Symbol('condition id');
type Numbered = Condition & { [ID]?: { generation: number; id: number } };
/** Numbers of frozen nodes (the shared true and false), which cannot carry one. */
const frozen = new WeakMap<Condition, { generation: number; id: number }>();

export function forgetConditions(): void {
  generation++;
  table.clear();
}

/** Structural equality, positions aside. */
export function same(a: Condition, b: Condition): boolean {
  return a === b || idOf(a) === idOf(b);
}

/** A number for the condition's structure: equal for structurally equal conditions. */
export function conditionId(c: Condition): number {
  return idOf(c);
}

function addOnce(out: Condition[], seen: Set<number>, c: Condition): void {
  const id = idOf(c);
  if (seen.has(id)) return;
  seen.add(id);
  out.push(c);
}

function idOf(c: Condition): number {
  const known = (c as Numbered)[ID] ?? frozen.get(c);
  if (known && known.generation === generation) return known.id;
  const key = keyOf(c);
  let id = table.get(key);
  if (id === undefined) table.set(key, (id = table.size));
  if (known) {
    known.generation = generation;
    known.id = id;
  } else if (Object.isExtensible(c)) Object.defineProperty(c, ID, { value: { generation, id }, enumerable: false });
  else frozen.set(c, { generation, id });
  return id;
}

function keyOf(c: Condition): string {
  switch (c.kind) {
    case 'and':
    case 'or':
      return `${c.kind}${c.list ? '!' : ''}(${c.children.map(idOf).join(',')})`;
    case 'not':
      return `not(${idOf(c.child)})`;
    case 'elements':
      return `elements(${JSON.stringify([c.field, c.quantifier])},${idOf(c.condition)})`;
    case 'match':
      return JSON.stringify(['m', c.field, c.op, c.values, c.quantifier, c.cased, c.flags ?? '', c.part ?? '', c.expansion ?? false]);
    case 'exists':
      return JSON.stringify(['e', c.field, c.truthy ?? false]);
    case 'unknown':
      return JSON.stringify(['u', c.reason]);
    default:
      return JSON.stringify(c, (name, v: unknown) => (name === 'span' ? undefined : v));
  }
}

// ---- truth ----

/** Python's truth value of a value, as a condition on the event. */
export function truth(v: SymValue): Condition {
  switch (v.kind) {
    case 'const':
      return constCondition(constTruth(v.value));
    case 'field': {
      const present = exists(v.path, undefined, true);
      return constTruth(applyCase(v.missing, v.case)) ? any([present, missingCondition(v)]) : present;
    }
    case 'bool':
      return v.condition;
    case 'choice':
      // `a or b` and `a and b` used as conditions are just that: the choice's condition is a's
      // truth, and a is the branch taken when it decides.
      if (same(v.when, truth(v.then))) return any([v.when, truth(v.otherwise)]);
      if (same(v.when, truth(v.otherwise))) return all([v.when, truth(v.then)]);
      return any([all([v.when, truth(v.then)]), all([neg(v.when), truth(v.otherwise)])]);
    case 'cases':
      return any(v.cases.map((c) => all([c.when, truth(c.value)])));
    case 'length':
      return truth(v.of);
    case 'generator':
      return v.nonEmpty;
    case 'list':
      return constCondition(v.items.length > 0);
    case 'dict':
      return constCondition(v.entries.length > 0);
    case 'opaque':
      return unknown(v.reason, v.span);
    default:
      return TRUE;
  }
}

/** When Python gets the field's `missing` value: the key is absent (or None, for deep_get). */
export function missingCondition(f: FieldValue): Condition {
  return f.nullIsMissing ? match(f.path, 'eq', [null], { cased: true }) : neg(exists(f.path));
}

export function applyCase(value: PyConst, transform: FieldValue['case']): PyConst {
  if (typeof value !== 'string' || !transform) return value;
  return transform === 'lower' ? value.toLowerCase() : value.toUpperCase();
}

// ---- comparisons ----

export type CompareOp = '==' | '!=' | 'in' | 'not in' | 'is' | 'is not' | '<' | '<=' | '>' | '>=';

const ORDER: Record<string, MatchOp> = { '<': 'lt', '<=': 'lte', '>': 'gt', '>=': 'gte' };
const FLIPPED: Record<string, string> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

/** `left op right` as a condition, through choices; unknown where a side cannot be followed. */
export function compare(left: SymValue, op: CompareOp, right: SymValue, span?: Span): Condition {
  if (op === '!=' || op === 'not in' || op === 'is not') {
    const positive = ({ '!=': '==', 'not in': 'in', 'is not': 'is' } as const)[op];
    return neg(compare(left, positive, right, span));
  }
  if (left.kind === 'choice') return any([all([left.when, compare(left.then, op, right, span)]), all([neg(left.when), compare(left.otherwise, op, right, span)])]);
  if (right.kind === 'choice') return any([all([right.when, compare(left, op, right.then, span)]), all([neg(right.when), compare(left, op, right.otherwise, span)])]);
  if (left.kind === 'cases') return any(left.cases.map((c) => all([c.when, compare(c.value, op, right, span)])));
  if (right.kind === 'cases') return any(right.cases.map((c) => all([c.when, compare(left, op, c.value, span)])));
  if (left.kind === 'length' && right.kind === 'const' && typeof right.value === 'number') return lengthCompare(left.of, op, right.value, span);
  if (right.kind === 'length' && left.kind === 'const' && typeof left.value === 'number' && FLIPPED[op]) return lengthCompare(right.of, FLIPPED[op] as CompareOp, left.value, span);
  // A match object (or a condition) against None: `re.search(...) is None`.
  if (left.kind === 'bool' && right.kind === 'const' && right.value === null && (op === 'is' || op === '==')) return neg(left.condition);
  if (op === 'in' && left.kind === 'ip' && right.kind === 'network') return ipInNetwork(left.of, right.cidr, span);
  if (left.kind === 'opaque') return unknown(left.reason, left.span ?? span);
  if (right.kind === 'opaque') return unknown(right.reason, right.span ?? span);

  if (left.kind === 'const' && right.kind === 'const') return constCondition(constCompare(left.value, op, right.value));
  if (op === 'is') return identity(left, right, span);
  if (op === 'in') return membership(left, right, span);
  if (left.kind === 'field' && right.kind === 'const') return fieldAgainst(left, op, right.value, span);
  if (left.kind === 'const' && right.kind === 'field') {
    const flipped = op === '==' ? '==' : (FLIPPED[op] as CompareOp | undefined);
    if (flipped) return fieldAgainst(right, flipped, left.value, span);
  }
  if (left.kind === 'field' && right.kind === 'field' && op === '==' && !left.case === !right.case) {
    return all([neg(missingCondition(left)), neg(missingCondition(right)), { kind: 'fieldref', field: left.path, op: 'eq', ref: right.path, cased: !left.case }]);
  }
  if (left.kind === 'bool' && right.kind === 'const' && typeof right.value === 'boolean' && op === '==') return right.value ? left.condition : neg(left.condition);
  return unknown(`comparison ${op} between ${left.kind} and ${right.kind}`, span);
}

/** `len(x) > 0` and its relatives say whether x is empty; other lengths are not followed. */
function lengthCompare(of: SymValue, op: CompareOp, n: number, span?: Span): Condition {
  if (of.kind === 'split') return splitLengthCompare(of, op, n, span);
  const nonEmpty = (op === '>' && n === 0) || (op === '>=' && n === 1) || (op === '!=' && n === 0);
  const empty = (op === '==' && n === 0) || (op === '<' && n === 1) || (op === '<=' && n === 0);
  if (nonEmpty) return truth(of);
  if (empty) return neg(truth(of));
  return unknown(`len() ${op} ${n}`, span);
}

function ipInNetwork(of: SymValue, cidr: string, span?: Span): Condition {
  if (of.kind !== 'field') return unknown('ip_address() of a value not read from the event', span);
  return fieldTest(of, 'cidr', [cidr], span ? { span } : {});
}

function constCompare(a: PyConst, op: CompareOp, b: PyConst): boolean {
  switch (op) {
    case '==':
    case 'is':
      return pythonEquals(a, b);
    case 'in':
      if (typeof b === 'string') return typeof a === 'string' && b.includes(a);
      if (Array.isArray(b)) return b.some((x) => pythonEquals(x, a));
      if (b && typeof b === 'object') return typeof a === 'string' && Object.hasOwn(b, a);
      return false;
    default: {
      if (typeof a !== typeof b || (typeof a !== 'number' && typeof a !== 'string')) return false;
      const [x, y] = [a as number | string, b as number | string];
      return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
    }
  }
}

/** `field == c`, `field < c`...: the test where the field is present, Python's answer where it is not. */
function fieldAgainst(f: FieldValue, op: CompareOp, c: PyConst, span?: Span): Condition {
  const whenMissing = constCompare(applyCase(f.missing, f.case), op, c);
  // `x is None` where a missing x reads as None: exactly what `eq null` means
  if (op === '==' && c === null && whenMissing && !f.text && !f.segment) return match(f.path, 'eq', [null], { cased: true, ...(span ? { span } : {}) });
  const missing = whenMissing ? missingCondition(f) : FALSE;
  let present: Condition;
  if ((f.text || f.segment) && op !== '==') return unknown(`${op} comparison of a text made from ${f.path}`, span);
  if (op === '==') present = equalsTest(f, [c], span);
  else if (ORDER[op] && typeof c === 'number') present = match(f.path, ORDER[op], [c], { cased: true, ...(span ? { span } : {}) });
  else return unknown(`${op} comparison of ${f.path} with ${JSON.stringify(c)}`, span);
  return any([present, missing]);
}

/** The field equals one of the values (case folded as the field was). */
function equalsTest(f: FieldValue, values: PyConst[], span?: Span): Condition {
  const wanted: Value[] = [];
  for (const v of values) {
    if (Array.isArray(v) || (v !== null && typeof v === 'object')) return unknown(`comparison of ${f.path} with a collection`, span);
    if (v === null) continue;
    // After .lower(), a value with capitals can never be equal.
    if (typeof v === 'string' && f.case && applyCase(v, f.case) !== v) continue;
    if (f.text) {
      // str(x) == "5": x is "5", or the number or boolean that prints so.
      if (typeof v !== 'string') continue;
      if (/^-?(?:0|[1-9]\d*)$/.test(v)) wanted.push(Number(v));
      if (v === 'True' || v === 'False') wanted.push(v === 'True');
    }
    wanted.push(v);
  }
  const tests: Condition[] = [];
  if (f.segment) return segmentEquals(f, wanted, span);
  if (wanted.length > 0) tests.push(match(f.path, 'eq', wanted, { cased: !f.case, ...(span ? { span } : {}) }));
  // `== None`: present and null (a missing key is `missing`, handled by the caller).
  if (values.includes(null) && !f.nullIsMissing) tests.push(all([exists(f.path), match(f.path, 'eq', [null], { cased: true })]));
  return any(tests);
}

/**
 * `x.split(sep)[-1] == c` holds when x is c or ends with sep + c (c holding no sep); `[0]`
 * when x is c or starts with c + sep; other parts by a regular expression that counts the
 * separators before (or after) the part.
 */
function segmentEquals(f: FieldValue, values: Value[], span?: Span): Condition {
  const { sep, index } = f.segment!;
  const parts = values.filter((v): v is string => typeof v === 'string' && !v.includes(sep));
  if (parts.length === 0) return FALSE;
  const options = { cased: !f.case, ...(span ? { span } : {}) };
  if (index === 0 || index === -1) {
    const edge = parts.map((v) => (index === -1 ? sep + v : v + sep));
    return any([match(f.path, 'eq', parts, options), match(f.path, index === -1 ? 'endswith' : 'startswith', edge, options)]);
  }
  const s = escapeRegExp(sep);
  const other = `[^${s}]*`;
  // After .lower() no part holds capitals.
  const possible = f.case ? parts.filter((v) => applyCase(v, f.case) === v) : parts;
  if (possible.length === 0) return FALSE;
  const patterns = possible.map((v) => {
    const part = escapeRegExp(v);
    return index > 0 ? `^(?:${other}${s}){${index}}${part}(?:${s}|$)` : `(?:^|${s})${part}(?:${s}${other}){${-index - 1}}$`;
  });
  return match(f.path, 'regex', patterns, { cased: true, ...(f.case ? { flags: 'i' } : {}), ...(span ? { span } : {}) });
}

/** `len(x.split(sep))` against n: how many separators x holds, counted by a regular expression. */
function splitLengthCompare(split: Extract<SymValue, { kind: 'split' }>, op: CompareOp, n: number, span?: Span): Condition {
  const f = split.of;
  if (split.max !== -1 || [...split.sep].length !== 1 || f.text || f.segment || typeof f.missing !== 'string') return unknown(`len() ${op} ${n}`, span);
  const s = escapeRegExp(split.sep);
  /** At least k separators: at least k + 1 parts. */
  const atLeast = (k: number): Condition => (k <= 0 ? TRUE : match(f.path, 'regex', [`^(?:[^${s}]*${s}){${k}}`], { cased: true, ...(span ? { span } : {}) }));
  const between = (lo: number, hi: number): Condition => all([atLeast(lo), neg(atLeast(hi + 1))]);
  const parts = (k: number) => k - 1;
  let present: Condition;
  switch (op) {
    case '>=':
      present = atLeast(parts(n));
      break;
    case '>':
      present = atLeast(parts(n + 1));
      break;
    case '<':
      present = neg(atLeast(parts(n)));
      break;
    case '<=':
      present = neg(atLeast(parts(n + 1)));
      break;
    case '==':
      present = n < 1 ? FALSE : between(parts(n), parts(n));
      break;
    case '!=':
      present = n < 1 ? TRUE : neg(between(parts(n), parts(n)));
      break;
    default:
      return unknown(`len() ${op} ${n}`, span);
  }
  const missingParts = f.missing.split(split.sep).length;
  return any([all([neg(missingCondition(f)), present]), constCompare(missingParts, op, n) ? missingCondition(f) : FALSE]);
}

function identity(left: SymValue, right: SymValue, span?: Span): Condition {
  const [f, c] = left.kind === 'field' ? [left, right] : [right, left];
  if (f.kind !== 'field' || c.kind !== 'const' || (c.value !== null && typeof c.value !== 'boolean')) return unknown(`'is' between ${left.kind} and ${right.kind}`, span);
  return fieldAgainst(f, '==', c.value, span);
}

/** `needle in haystack`. */
function membership(needle: SymValue, haystack: SymValue, span?: Span): Condition {
  if (needle.kind === 'field' && haystack.kind === 'const') {
    const h = haystack.value;
    if (Array.isArray(h)) {
      const whenMissing = constCompare(applyCase(needle.missing, needle.case), 'in', h);
      return any([equalsTest(needle, h, span), whenMissing ? missingCondition(needle) : FALSE]);
    }
    if (h !== null && typeof h === 'object') return any([equalsTest(needle, Object.keys(h), span), constCompare(needle.missing, 'in', h) ? missingCondition(needle) : FALSE]);
    if (typeof h === 'string') return unknown(`substring test of ${needle.path} in a constant text`, span);
    return FALSE;
  }
  if (needle.kind === 'const' && haystack.kind === 'field') {
    const n = needle.value;
    if (haystack.text || haystack.segment) return unknown(`substring test of a text made from ${haystack.path}`, span);
    if (typeof n !== 'string' && typeof n !== 'number') return unknown(`'in' test of a ${typeof n} in ${haystack.path}`, span);
    // After .lower() a haystack holds no capitals.
    const impossible = typeof n === 'string' && haystack.case && applyCase(n, haystack.case) !== n;
    const present = impossible ? FALSE : match(haystack.path, 'contains', [n], { cased: !haystack.case, ...(span ? { span } : {}) });
    const whenMissing = constCompare(n, 'in', applyCase(haystack.missing, haystack.case));
    return any([present, whenMissing ? missingCondition(haystack) : FALSE]);
  }
  if (needle.kind === 'field' && haystack.kind === 'field' && !needle.case === !haystack.case) {
    return all([neg(missingCondition(needle)), neg(missingCondition(haystack)), { kind: 'fieldref', field: haystack.path, op: 'contains', ref: needle.path, cased: !needle.case }]);
  }
  if (haystack.kind === 'list') return any(haystack.items.map((item) => compare(needle, '==', item, span)));
  return unknown(`'in' test of ${needle.kind} in ${haystack.kind}`, span);
}

/** A string test other than equality (`startswith`, `endswith`, `regex`, `cidr`) on a field. */
export function fieldTest(f: FieldValue, op: MatchOp, values: string[], options: { flags?: string; span?: Span } = {}, holdsWhenMissing = false): Condition {
  // On str() of a number these would test its digits, which the tests do not read as text.
  if (f.text) return unknown(`${op} test of str(${f.path})`, options.span);
  if (f.segment) return unknown(`${op} test of a part of ${f.path}`, options.span);
  const cased = op === 'regex' || op === 'cidr' ? true : !f.case;
  const usable = op === 'regex' || op === 'cidr' || !f.case ? values : values.filter((v) => applyCase(v, f.case) === v);
  const present = usable.length > 0 ? match(f.path, op, usable, { cased, ...(options.flags ? { flags: options.flags } : {}), ...(options.span ? { span: options.span } : {}) }) : FALSE;
  return any([present, holdsWhenMissing ? missingCondition(f) : FALSE]);
}

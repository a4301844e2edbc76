// The symbolic values the extractor computes with. A Python value in `rule(event)` is known
// (a constant), read from the event (a field, with the transformations applied to it), a
// condition on the event (a boolean the rule computed), a choice between two values under a
// condition (`a or b`, `x if c else y`, a variable assigned in a branch), or something the
// extractor cannot follow (opaque, with the reason).

import type { Condition, Span } from '../../../ast/condition.js';
import type { Environment } from './environment.js';
import type { PyNode } from './syntax.js';

/** A Python constant: what JSON and Python literals share, plus sets and tuples as lists. */
export type PyConst = string | number | boolean | null | PyConst[] | { [key: string]: PyConst };

export type SymValue =
  | { kind: 'const'; value: PyConst; set?: boolean }
  | FieldValue
  | { kind: 'bool'; condition: Condition }
  | { kind: 'choice'; when: Condition; then: SymValue; otherwise: SymValue }
  /** A function's result: one value per return, under conditions no two of which hold at once. */
  | { kind: 'cases'; cases: Array<{ when: Condition; value: SymValue }> }
  /** `len(x)`: only its comparisons with zero are followed. */
  | { kind: 'length'; of: SymValue }
  /** `ipaddress.ip_address(x)` and `ip_network(c)`. */
  | { kind: 'ip'; of: SymValue }
  /** `x.split(sep)`: only its first and last items are followed. */
  | { kind: 'split'; of: FieldValue; sep: string; from: 'left' | 'right'; max: number }
  | { kind: 'network'; cidr: string }
  | { kind: 'event' }
  | { kind: 'list'; items: SymValue[] }
  | { kind: 'dict'; entries: Array<[SymValue, SymValue]> }
  | { kind: 'function'; def: PyNode; env: Environment; bound?: SymValue }
  /** A comprehension; `nonEmpty` is its truth (a list's: some item passes; a generator object: always). */
  | { kind: 'generator'; node: PyNode; env: Environment; nonEmpty: Condition }
  | { kind: 'builtin'; name: string; bound?: SymValue }
  | { kind: 'module'; name: string; env?: Environment }
  | { kind: 'regex'; pattern: string; flags: string }
  /** A name a test case's `Mocks` replaced: a MagicMock returning the given value when called. */
  | { kind: 'mock'; returns: PyConst }
  | { kind: 'opaque'; reason: string; span?: Span };

/**
 * A value read from the event: the field path, and what the rule did to it. `missing` says
 * what Python gets when the path is absent (the `get` default; null is None). `case` records a
 * `.lower()` / `.upper()`: tests then compare ignoring case.
 */
export interface FieldValue {
  kind: 'field';
  /** Event path; inside a loop over an array, an element's paths start with elementRoot(k). */
  path: string;
  missing: PyConst;
  /** A None found at the path counts as missing too (deep_get), or stays None (dict.get). */
  nullIsMissing: boolean;
  case?: 'lower' | 'upper';
  /** `str(x)`: the value as text; equality also accepts the number or boolean printed so. */
  text?: boolean;
  /** `x.split(sep)[i]`: a part of the value (any index for a one-character sep, else the first or last). */
  segment?: { sep: string; index: number };
  /** The path is a deep_walk (src/ast/python-fields.ts): its value may be one found value or a list of them. */
  walk?: true;
}

export const NONE: SymValue = { kind: 'const', value: null };

/** The path standing for the element of the k-th enclosing loop over an array. */
export function elementRoot(depth: number): string {
  return `\u0001${depth}`;
}

export function constant(value: PyConst): SymValue {
  return { kind: 'const', value };
}

export function opaque(reason: string, span?: Span): SymValue {
  return span ? { kind: 'opaque', reason, span } : { kind: 'opaque', reason };
}

export function field(path: string, missing: PyConst = null, nullIsMissing = false): FieldValue {
  return { kind: 'field', path, missing, nullIsMissing };
}

export function isConst(v: SymValue): v is { kind: 'const'; value: PyConst } {
  return v.kind === 'const';
}

/** Python's truth value of a constant. */
export function constTruth(value: PyConst): boolean {
  if (value === null || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value === 'object') return Object.keys(value).length > 0;
  return true;
}

/** A short text for diagnostics and unknown nodes. */
export function describeValue(v: SymValue): string {
  switch (v.kind) {
    case 'const':
      return JSON.stringify(v.value);
    case 'field':
      return `event field ${v.path}`;
    case 'opaque':
      return v.reason;
    default:
      return v.kind;
  }
}

/** The items of a value we can iterate at extraction time. */
export function iterableItems(v: SymValue): SymValue[] | undefined {
  if (v.kind === 'list') return v.items;
  if (v.kind === 'const') {
    const c = v.value;
    if (Array.isArray(c)) return c.map(constant);
    if (c && typeof c === 'object') return Object.keys(c).map(constant);
    if (typeof c === 'string') return [...c].map(constant);
  }
  if (v.kind === 'dict') return v.entries.map(([k]) => k);
  return undefined;
}

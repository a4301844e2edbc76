// The evaluator with Python's semantics, for conditions extracted from Panther rules: the AST
// node means what the Python it was read from does. docs/semantics.md gathers these rules.
//
// Fields
// - A field is a path of keys into nested objects (`a.b.c`), looked up ignoring case as
//   Panther's event does; a key holding the whole dotted name is tried first. A list on the way
//   ends the path (Panther's deep_get gives its default there). Nothing expands over arrays:
//   `event.get("tags") == "x"` compares the list itself.
// - A `walk:` field (src/ast/python-fields.ts) is what deep_walk answers for its path, lists on the
//   way expanded; a deep_walk that raises (it gathered objects) makes the whole rule false.
// - A `json(f).p` field (src/ast/python-fields.ts) is p inside the JSON text that f holds;
//   `int(f)` and `float(f)` are f converted as Python does, missing where Python raises.
// - A missing field, or a value of another type than the test needs (startswith on a number),
//   satisfies no test; Python would often raise there, and a raising rule does not alert.
//
// Tests
// - eq: Python's ==: text equals text exactly (`nocase`: after lower-casing both), numbers
//   and booleans compare as numbers (True == 1), null matches a missing field or None.
// - contains: Python's `in`: a substring of a text, an element of a list, a key of an object.
// - startswith / endswith / regex (re.search) / wildcard: on text only.
// - lt / lte / gt / gte: numbers (and booleans) only; Python refuses to order text and numbers.
// - cidr: text that is an address in the network (same IP version).
// - is: the value has the JSON type named (isinstance: list, object, string, number, boolean).
// - exists: the key is present; `truthy`: present and true for Python (not None, False, 0,
//   "", [] or {}).
// - fieldref: the two values compared as above (eq, contains: the first holds the second).
// - elements: the items of a list (the keys of an object, the characters of a text) satisfy
//   the condition; inside it, `@` is the item and other fields are relative to it.

import { ELEMENT_SELF, isPlaceholder, type Condition, type JsonType, type MatchNode, type Value } from '../ast/condition.js';
import { networkContains, parseIp, parseNetwork } from '../ast/cidr.js';
import { parseJsonField, parseNumberField, parseWalkField, type WalkField } from '../ast/python-fields.js';
import { compileRegex } from '../ast/regex.js';
import { wildcardMatches } from '../ast/wildcard.js';

export interface PythonEvalOptions {
  unknown?: 'necessary' | 'true' | 'false';
}

interface Scope {
  event: unknown;
  self?: unknown;
  hasSelf: boolean;
  options: PythonEvalOptions;
}

const MISSING = Symbol('missing');
type Found = unknown | typeof MISSING;

/** Python raised while computing a value: a rule that raises does not alert. */
class Raised extends Error {}

export function evaluatePython(condition: Condition, event: unknown, options: PythonEvalOptions = {}): boolean {
  try {
    return evalNode(condition, { event, hasSelf: false, options }, false);
  } catch (error) {
    if (error instanceof Raised) return false;
    throw error;
  }
}

function evalNode(node: Condition, scope: Scope, negated: boolean): boolean {
  switch (node.kind) {
    case 'and':
      return node.children.every((c) => evalNode(c, scope, negated));
    case 'or':
      return node.children.some((c) => evalNode(c, scope, negated));
    case 'not':
      return !evalNode(node.child, scope, !negated);
    case 'const':
      return node.value;
    case 'unknown': {
      const mode = scope.options.unknown ?? 'necessary';
      return mode === 'necessary' ? !negated : mode === 'true';
    }
    case 'exists': {
      const value = lookup(scope, node.field);
      return value !== MISSING && (!node.truthy || truthy(value));
    }
    case 'match':
      return evalMatch(node, lookup(scope, node.field));
    case 'fieldref': {
      const a = lookup(scope, node.field);
      const b = lookup(scope, node.ref);
      if (a === MISSING || b === MISSING) return false;
      return test(node.op, b, a, node.cased);
    }
    case 'elements': {
      const items = itemsOf(node.field === ELEMENT_SELF ? (scope.hasSelf ? scope.self : MISSING) : lookup(scope, node.field));
      const holds = (item: unknown) => evalNode(node.condition, { event: item, self: item, hasSelf: true, options: scope.options }, negated);
      switch (node.quantifier) {
        case 'any':
          return items.some(holds);
        case 'all':
          return items.every(holds);
        case 'none':
          return !items.some(holds);
        case 'one':
          return items.filter(holds).length === 1;
      }
    }
    case 'keyword':
      // Python rules have no unbound search; a keyword matches nothing here.
      return false;
  }
}

function lookup(scope: Scope, field: string): Found {
  if (field === ELEMENT_SELF) return scope.hasSelf ? scope.self : MISSING;
  const walk = parseWalkField(field);
  if (walk) {
    const found = deepWalk(scope.event, walk.keys, walk);
    return found === null ? MISSING : found;
  }
  const number = parseNumberField(field);
  if (number) {
    const value = lookupPath(scope.event, number.field);
    return toPythonNumber(value === MISSING ? number.fallback : value, number.convert) ?? MISSING;
  }
  const json = parseJsonField(field);
  if (json) {
    const text = lookupPath(scope.event, json.text);
    if (typeof text !== 'string') return MISSING;
    let document: unknown;
    try {
      document = JSON.parse(text);
    } catch {
      return MISSING;
    }
    // json.loads gives plain dicts: their keys are matched exactly, unlike the event's.
    return json.path ? lookupPath(document, json.path, true) : document;
  }
  return lookupPath(scope.event, field);
}

/**
 * panther_base_helpers.deep_walk, step by step: a None on the way gives the default; a list
 * walks each element and keeps the distinct values found (a found list adds its items); a
 * value that is neither gives the default. Gathering a list or an object raises in Python
 * (they cannot be dict keys).
 */
function deepWalk(node: unknown, keys: string[], walk: WalkField): unknown {
  if (keys.length === 0) return onlyEmptyLists(node) ? walk.fallback : node;
  if (isObject(node)) {
    const key = keyOf(node, keys[0]!);
    const next = key === undefined ? null : node[key];
    return next === null || next === undefined ? walk.fallback : deepWalk(next, keys.slice(1), walk);
  }
  if (!Array.isArray(node)) return walk.fallback;
  const found = new Map<string, unknown>();
  const add = (value: unknown) => {
    if (value !== null && typeof value === 'object') throw new Raised('unhashable value in deep_walk');
    // Python's dict keys: True, 1 and 1.0 are one key, the first seen.
    const key = typeof value === 'boolean' ? `n${Number(value)}` : typeof value === 'number' ? `n${value}` : `s${String(value)}`;
    if (!found.has(key)) found.set(key, value);
  };
  for (const item of node) {
    const value = deepWalk(item, keys, walk);
    if (value === null) continue;
    if (Array.isArray(value)) value.forEach(add);
    else add(value);
  }
  const values = [...found.values()];
  if (values.length === 0) return walk.fallback;
  if (walk.pick === 'first') return values[0];
  if (walk.pick === 'last') return values[values.length - 1];
  return values.length === 1 ? values[0] : values;
}

const INT_TEXT = /^\s*[+-]?\d+(?:_\d+)*\s*$/;
const FLOAT_TEXT = /^\s*[+-]?(?:(?:\d+(?:_\d+)*)?\.?\d+(?:_\d+)*(?:[eE][+-]?\d+(?:_\d+)*)?|\d+(?:_\d+)*\.(?:[eE][+-]?\d+(?:_\d+)*)?|inf(?:inity)?|nan)\s*$/i;

/** Python's int() or float() of a JSON value; undefined where Python raises. */
function toPythonNumber(value: unknown, convert: 'int' | 'float'): number | undefined {
  if (typeof value === 'boolean') return Number(value);
  if (typeof value === 'number') return convert === 'int' ? Math.trunc(value) : value;
  if (typeof value !== 'string') return undefined;
  if (convert === 'int') return INT_TEXT.test(value) ? Number(value.trim().replace(/_/g, '')) : undefined;
  if (!FLOAT_TEXT.test(value)) return undefined;
  const text = value.trim().replace(/_/g, '').toLowerCase();
  if (/nan$/.test(text)) return NaN;
  if (/inf(inity)?$/.test(text)) return text.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

function onlyEmptyLists(value: unknown): boolean {
  return Array.isArray(value) && value.every(onlyEmptyLists);
}

/**
 * The value at a dotted path (keys ignoring case). At each level the longest key that the path
 * starts with wins, so keys that hold dots themselves (Dropbox's `.tag`) are found.
 */
export function lookupPath(root: unknown, path: string, exactKeys = false): Found {
  if (!isObject(root)) return MISSING;
  const find = exactKeys ? (o: Record<string, unknown>, k: string) => (Object.hasOwn(o, k) ? k : undefined) : keyOf;
  const whole = find(root, path);
  if (whole !== undefined) return root[whole];
  for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
    const key = find(root, path.slice(0, i));
    if (key !== undefined) {
      const found = lookupPath(root[key], path.slice(i + 1), exactKeys);
      if (found !== MISSING) return found;
    }
  }
  return MISSING;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function keyOf(object: Record<string, unknown>, name: string): string | undefined {
  if (Object.hasOwn(object, name)) return name;
  const lower = name.toLowerCase();
  return Object.keys(object).find((k) => k.toLowerCase() === lower);
}

function itemsOf(value: Found): unknown[] {
  if (Array.isArray(value)) return value;
  if (isObject(value)) return Object.keys(value);
  if (typeof value === 'string') return [...value];
  return [];
}

/** Python's truth value of a JSON value. */
export function truthy(value: unknown): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isObject(value)) return Object.keys(value).length > 0;
  return true;
}

function evalMatch(node: MatchNode, value: Found): boolean {
  const one = (expected: Value): boolean => {
    if (expected === null) return node.op === 'eq' && (value === MISSING || value === null);
    if (value === MISSING || isPlaceholder(expected)) return false;
    return test(node.op, value, expected, node.cased, node.flags);
  };
  return node.quantifier === 'all' ? node.values.every(one) : node.values.some(one);
}

/** `op` between a value of the event and what it is compared with. */
function test(op: MatchNode['op'], value: unknown, expected: unknown, cased: boolean, flags = ''): boolean {
  switch (op) {
    case 'eq':
      return pythonEquals(value, expected, cased);
    case 'contains':
      return pythonIn(expected, value, cased);
    case 'startswith':
    case 'endswith': {
      if (typeof value !== 'string' || typeof expected !== 'string') return false;
      const [a, b] = cased ? [value, expected] : [value.toLowerCase(), expected.toLowerCase()];
      return op === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    }
    case 'regex': {
      if (typeof value !== 'string') return false;
      const compiled = compileRegex(String(expected), flags);
      return compiled.ok && compiled.regexp.test(value);
    }
    case 'wildcard':
      return typeof value === 'string' && wildcardMatches(String(expected), value, cased);
    case 'cidr': {
      const ip = typeof value === 'string' ? parseIp(value) : undefined;
      const network = parseNetwork(String(expected));
      return !!ip && network.ok && networkContains(network.network, ip);
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const a = numeric(value);
      const b = numeric(expected);
      if (a === undefined || b === undefined) return false;
      return op === 'lt' ? a < b : op === 'lte' ? a <= b : op === 'gt' ? a > b : a >= b;
    }
    case 'is':
      return jsonTypeOf(value) === expected;
  }
}

/** The JSON type of a value, as `is` tests name it. */
export function jsonTypeOf(value: unknown): JsonType | undefined {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'list';
  switch (typeof value) {
    case 'string':
      return 'string';
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'object':
      return 'object';
    default:
      return undefined;
  }
}

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return undefined;
}

/** Python's ==, with `cased` false comparing lower-cased text. */
export function pythonEquals(a: unknown, b: unknown, cased = true): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return (a ?? null) === (b ?? null);
  if (typeof a === 'string' || typeof b === 'string') {
    if (typeof a !== 'string' || typeof b !== 'string') return false;
    return cased ? a === b : a.toLowerCase() === b.toLowerCase();
  }
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== undefined || nb !== undefined) return na !== undefined && na === nb;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => pythonEquals(x, b[i], cased));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && pythonEquals(a[k], b[k], cased));
  }
  return false;
}

/** Python's `needle in haystack`. */
function pythonIn(needle: unknown, haystack: unknown, cased: boolean): boolean {
  if (typeof haystack === 'string') {
    if (typeof needle !== 'string') return false;
    return cased ? haystack.includes(needle) : haystack.toLowerCase().includes(needle.toLowerCase());
  }
  if (Array.isArray(haystack)) return haystack.some((item) => pythonEquals(item, needle, cased));
  if (isObject(haystack)) return typeof needle === 'string' && keyOf(haystack, needle) !== undefined;
  return false;
}

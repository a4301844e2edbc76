// The evaluator: (condition, event) -> boolean. It is the reference meaning of the AST; backends
// and extractors are tested against it. docs/semantics.md gathers the rules stated here.
//
// Values and fields
// - A field has candidate values (see fields.ts: flat keys, dotted paths, arrays expand).
//   A match holds when one candidate satisfies it; a missing field satisfies nothing,
//   except `eq null`.
// - Text comparisons use a candidate's text: strings as they are, numbers in decimal,
//   booleans as `true` / `false`. Objects have no text and match no string test.
// - Case: string operators ignore case unless `cased` (Sigma's default, Unicode lower-casing).
//   Regular expressions are case-sensitive unless they carry the `i` flag.
//
// Operators
// - eq: a string equals the text; a number equals a numeric candidate or one whose text is that
//   number; a boolean equals a boolean or the text `true`/`false` (any case); null matches a
//   missing field or a null value; a placeholder (unresolved `%name%`) matches nothing.
// - contains / startswith / endswith: substring tests on the text.
// - wildcard: the whole text matches the pattern (`*` any run, `?` one character).
// - regex: the pattern is searched in the text (unanchored, like Python's re.search); flags
//   i / m / s as in PCRE. A pattern JavaScript cannot run matches nothing.
// - cidr: the text is an IPv4/IPv6 address inside the network of the same version (an
//   IPv4-mapped IPv6 address is IPv6, as KQL's and Chronicle's range functions read it).
// - lt / lte / gt / gte: numeric; a candidate is a number or text that reads as one.
// - is: the candidate's JSON type (arrays are already their elements here, so never `list`).
// - part (minute, hour, day, week, month, year): the UTC component of a timestamp candidate
//   (ISO 8601 text, text without a zone read as UTC, or epoch seconds / milliseconds); week is
//   the ISO week.
// - quantifier `any`: one of the values matches; `all`: every value matches (each against
//   any candidate). An empty value list matches nothing under `any`, everything under `all`.
//
// Other nodes
// - exists: the field is present, whatever its value (null included); `truthy`: present with a
//   value Python counts as true (not null, false, 0, "", [] or {}).
// - keyword: the value occurs in some scalar anywhere in the event: contains = substring,
//   wildcard = the pattern matches a substring, regex = search.
// - fieldref: compares candidates of two fields (eq / contains / startswith / endswith).
// - elements: over the elements of an array field (a single value is one element, a missing
//   field none): any / all / none / exactly one satisfies the sub-condition, in which field
//   names are relative to the element and `@` is the element itself.
// - unknown: by default true where it sits under an even number of negations and false under
//   an odd number, which evaluates the rule's necessary condition.

import {
  ELEMENT_SELF,
  isPlaceholder,
  type Condition,
  type FieldRefNode,
  type KeywordNode,
  type MatchNode,
  type TimePart,
  type Value,
} from '../ast/condition.js';
import { networkContains, parseIp, parseNetwork, type Network } from '../ast/cidr.js';
import { compileRegex } from '../ast/regex.js';
import { escapeRegExp, parsePattern, wildcardMatches } from '../ast/wildcard.js';
import { allValues, lookupElements, lookupField, type Lookup, type LookupOptions } from './fields.js';
import { evaluatePython, jsonTypeOf, truthy } from './python.js';

export interface EvalOptions extends LookupOptions {
  /** How `unknown` nodes evaluate; `necessary` (default) gives the rule's necessary condition. */
  unknown?: 'necessary' | 'true' | 'false';
  /** Whose meaning the nodes have: Sigma's (here) or Python's, for Panther rules (python.ts). */
  semantics?: 'sigma' | 'python';
}

interface Scope {
  event: unknown;
  /** The array element an `elements` node is looking at (`@`). */
  self?: unknown;
  options: EvalOptions;
}

export function evaluate(condition: Condition, event: unknown, options: EvalOptions = {}): boolean {
  if (options.semantics === 'python') return evaluatePython(condition, event, options.unknown ? { unknown: options.unknown } : {});
  return evalNode(condition, { event, options }, false);
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
      const found = lookup(scope, node.field);
      return found.found && (!node.truthy || found.values.some(truthy));
    }
    case 'match':
      return evalMatch(node, lookup(scope, node.field));
    case 'keyword':
      return evalKeyword(node, scope.event);
    case 'fieldref':
      return evalFieldRef(node, scope);
    case 'elements': {
      const elements = node.field === ELEMENT_SELF ? elementsOf(scope.self) : lookupElements(scope.event, node.field, scope.options).values;
      const test = (element: unknown) => evalNode(node.condition, { event: element, self: element, options: scope.options }, negated);
      switch (node.quantifier) {
        case 'any':
          return elements.some(test);
        case 'all':
          return elements.every(test);
        case 'none':
          return !elements.some(test);
        case 'one':
          return elements.filter(test).length === 1;
      }
    }
  }
}

function elementsOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function lookup(scope: Scope, field: string): Lookup {
  if (field === ELEMENT_SELF) {
    if (scope.self === undefined) return { found: false, values: [] };
    return { found: true, values: Array.isArray(scope.self) ? scope.self : [scope.self] };
  }
  return lookupField(scope.event, field, scope.options);
}

// ---- match ----

function evalMatch(node: MatchNode, field: Lookup): boolean {
  const candidates = node.part ? field.values.map((v) => timePart(v, node.part!)) : field.values;
  const test = (value: Value): boolean => {
    if (value === null && node.op === 'eq') return !field.found || candidates.some((c) => c === null || c === undefined);
    return candidates.some((c) => matchValue(node, value, c));
  };
  return node.quantifier === 'all' ? node.values.every(test) : node.values.some(test);
}

function matchValue(node: MatchNode, value: Value, candidate: unknown): boolean {
  if (value === null || isPlaceholder(value) || candidate === null || candidate === undefined) return false;
  switch (node.op) {
    case 'eq':
      return equals(value, candidate, node.cased);
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const a = toNumber(candidate);
      const b = typeof value === 'number' ? value : toNumber(value);
      if (a === undefined || b === undefined) return false;
      return node.op === 'lt' ? a < b : node.op === 'lte' ? a <= b : node.op === 'gt' ? a > b : a >= b;
    }
    case 'cidr': {
      const ip = typeof candidate === 'string' ? parseIp(candidate) : undefined;
      const network = cidr(String(value));
      return !!ip && !!network && networkContains(network, ip);
    }
    case 'is':
      return jsonTypeOf(candidate) === value;
    case 'regex': {
      const text = textOf(candidate);
      if (text === undefined) return false;
      const compiled = compileRegex(String(value), node.flags ?? '');
      return compiled.ok && compiled.regexp.test(text);
    }
    default: {
      const text = textOf(candidate);
      if (text === undefined) return false;
      return stringTest(node.op, String(value), text, node.cased);
    }
  }
}

function equals(value: Exclude<Value, null>, candidate: unknown, cased: boolean): boolean {
  if (isPlaceholder(value)) return false;
  if (typeof value === 'number') {
    if (typeof candidate === 'number') return candidate === value;
    return typeof candidate === 'string' && candidate === String(value);
  }
  if (typeof value === 'boolean') {
    if (typeof candidate === 'boolean') return candidate === value;
    return typeof candidate === 'string' && candidate.toLowerCase() === String(value);
  }
  const text = textOf(candidate);
  return text !== undefined && (cased ? text === value : text.toLowerCase() === value.toLowerCase());
}

function stringTest(op: MatchNode['op'], value: string, text: string, cased: boolean): boolean {
  const a = cased ? text : text.toLowerCase();
  const b = cased ? value : value.toLowerCase();
  switch (op) {
    case 'contains':
      return a.includes(b);
    case 'startswith':
      return a.startsWith(b);
    case 'endswith':
      return a.endsWith(b);
    case 'wildcard':
      return wildcardMatches(value, text, cased);
    default:
      return false;
  }
}

function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return undefined;
}

const NUMERIC = /^\s*[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/;

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && NUMERIC.test(value)) return Number(value);
  return undefined;
}

const networks = new Map<string, Network | null>();

function cidr(text: string): Network | undefined {
  let n = networks.get(text);
  if (n === undefined) {
    const parsed = parseNetwork(text);
    n = parsed.ok ? parsed.network : null;
    networks.set(text, n);
  }
  return n ?? undefined;
}

// ---- time parts ----

const ZONE = /(?:[zZ]|[+-]\d{2}:?\d{2})$/;

function timePart(value: unknown, part: TimePart): number | undefined {
  let ms: number;
  if (typeof value === 'number') ms = Math.abs(value) < 1e11 ? value * 1000 : value;
  else if (typeof value === 'string') {
    const text = value.trim().replace(' ', 'T');
    ms = Date.parse(/T/.test(text) && !ZONE.test(text) ? `${text}Z` : text);
  } else return undefined;
  if (!Number.isFinite(ms)) return undefined;
  const d = new Date(ms);
  switch (part) {
    case 'minute':
      return d.getUTCMinutes();
    case 'hour':
      return d.getUTCHours();
    case 'day':
      return d.getUTCDate();
    case 'month':
      return d.getUTCMonth() + 1;
    case 'year':
      return d.getUTCFullYear();
    case 'week': {
      const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
      const day = t.getUTCDay() || 7;
      t.setUTCDate(t.getUTCDate() + 4 - day);
      const yearStart = Date.UTC(t.getUTCFullYear(), 0, 1);
      return Math.ceil(((t.getTime() - yearStart) / 86400000 + 1) / 7);
    }
  }
}

// ---- keyword and fieldref ----

function evalKeyword(node: KeywordNode, event: unknown): boolean {
  const texts = allValues(event).flatMap((v) => textOf(v) ?? []);
  const test = (value: Value): boolean => {
    if (value === null || isPlaceholder(value)) return false;
    const needle = String(value);
    switch (node.op) {
      case 'contains': {
        const n = node.cased ? needle : needle.toLowerCase();
        return texts.some((t) => (node.cased ? t : t.toLowerCase()).includes(n));
      }
      case 'wildcard': {
        // Ignoring case as the other text tests do: both sides lower-cased (see wildcardMatches).
        const re = unanchoredPattern(node.cased ? needle : needle.toLowerCase());
        return texts.some((t) => re.test(node.cased ? t : t.toLowerCase()));
      }
      case 'regex': {
        const compiled = compileRegex(needle, node.flags ?? '');
        return compiled.ok && texts.some((t) => compiled.regexp.test(t));
      }
    }
  };
  return node.quantifier === 'all' ? node.values.every(test) : node.values.some(test);
}

const unanchored = new Map<string, RegExp>();

function unanchoredPattern(pattern: string): RegExp {
  let re = unanchored.get(pattern);
  if (!re) {
    let source = '';
    for (const t of parsePattern(pattern)) source += t === '*' ? '[\\s\\S]*' : t === '?' ? '[\\s\\S]' : escapeRegExp(t.lit);
    re = new RegExp(source, 'u');
    unanchored.set(pattern, re);
  }
  return re;
}

function evalFieldRef(node: FieldRefNode, scope: Scope): boolean {
  const left = lookup(scope, node.field).values.flatMap((v) => textOf(v) ?? []);
  const right = lookup(scope, node.ref).values.flatMap((v) => textOf(v) ?? []);
  return left.some((l) =>
    right.some((r) => {
      const a = node.cased ? l : l.toLowerCase();
      const b = node.cased ? r : r.toLowerCase();
      if (node.op === 'eq') return a === b;
      return stringTest(node.op, b, a, true);
    }),
  );
}

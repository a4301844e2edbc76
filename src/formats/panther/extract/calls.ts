// What calls mean to the extractor: Python builtins, string methods, the event's methods, the
// `re`, `fnmatch` and `ipaddress` modules, and the few Panther base helpers whose Python bodies
// are generic plumbing (deep_get's reduce) and are better known by what they do.

import { exists, FALSE, match, TRUE, unknown, type Condition, type JsonType, type Scalar } from '../../../ast/condition.js';
import { jsonField, numberField, walkField } from '../../../ast/python-fields.js';
import { compileRegex } from '../../../ast/regex.js';
import { serializePattern, type PatternToken } from '../../../ast/wildcard.js';
import { all, any, compare, fieldTest, missingCondition, neg, truth } from './conditions.js';
import { jsonTypeOf } from '../../../eval/python.js';
import { pyStr } from './constants.js';
import type { Interpreter } from './interpret.js';
import { spanOf, type PyNode } from './syntax.js';
import { constant, iterableItems, opaque, type FieldValue, type PyConst, type SymValue } from './values.js';

type Builtin = Extract<SymValue, { kind: 'builtin' }>;

/** Python's `re` flag values, by name. */
export const RE_FLAGS: Record<string, number> = { I: 2, IGNORECASE: 2, L: 4, LOCALE: 4, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, U: 32, UNICODE: 32, X: 64, VERBOSE: 64, A: 256, ASCII: 256 };

export const BUILTIN_NAMES = ['len', 'any', 'all', 'bool', 'str', 'int', 'float', 'set', 'frozenset', 'list', 'tuple', 'sorted', 'isinstance', 'min', 'max', 'sum', 'map', 'filter', 'enumerate', 'zip', 'dict', 'print', 'getattr', 'hasattr', 'next', 'iter', 'abs', 'round', 'reversed', 'type'];

/** Helpers of panther_base_helpers known by meaning. */
export const INTRINSIC_HELPERS = new Set(['deep_get', 'deep_walk', 'is_ip_in_network', 'pattern_match', 'pattern_match_list']);

export function callValue(interp: Interpreter, fn: Builtin, args: SymValue[], kwargs: Map<string, SymValue>, node: PyNode): SymValue {
  const span = spanOf(node);
  const bound = fn.bound;
  if (bound && (bound.kind === 'choice' || bound.kind === 'cases')) return distribute(interp, fn, bound, args, kwargs, node);
  if (bound) return method(interp, fn.name.slice(1), bound, args, kwargs, node);
  const name = fn.name.replace(/^panther_base_helpers\./, '');
  switch (name) {
    case 'len':
      return args[0] ? { kind: 'length', of: args[0] } : opaque('len()', span);
    case 'bool':
      return { kind: 'bool', condition: args[0] ? truth(args[0]) : TRUE };
    case 'any':
    case 'all':
      return { kind: 'bool', condition: quantified(interp, name, args[0], span) };
    case 'set':
    case 'frozenset':
    case 'list':
    case 'tuple':
    case 'sorted': {
      const arg = args[0];
      if (!arg) return constant([]);
      if (arg.kind === 'const' && typeof arg.value === 'string') return constant([...arg.value]);
      // A collection keeps what membership and truth need; the order of `sorted` does not matter to them.
      return arg.kind === 'const' && arg.value && typeof arg.value === 'object' && !Array.isArray(arg.value) ? constant(Object.keys(arg.value)) : arg;
    }
    case 'str': {
      const arg = args[0];
      if (arg?.kind === 'const') return constant(pyStr(arg.value));
      // str() of a field: the text of its value; equality tests then also accept the number or
      // boolean that prints as the compared text (str(5) == "5").
      if (arg?.kind === 'field' && !arg.case && !arg.walk) return { ...arg, text: true, missing: typeof arg.missing === 'string' ? arg.missing : pyStr(arg.missing) };
      return opaque('str() of an event value', span);
    }
    case 'int':
    case 'float': {
      const arg = args[0];
      if (arg?.kind === 'const' && (typeof arg.value === 'number' || typeof arg.value === 'boolean')) return constant(Number(arg.value));
      if (arg?.kind === 'field' && !arg.case && !arg.segment && !arg.text && !arg.walk && args.length === 1) return numberValue(arg, name, span);
      return opaque(`${name}() of an event value`, span);
    }
    case 'isinstance':
      return isInstance(args[0], args[1], span);
    case 'print':
      return constant(null);
    case 'deep_get':
      return deepGet(args[0], args.slice(1), kwargs.get('default'), span);
    case 'deep_walk':
      return args[0]?.kind === 'event' ? deepWalk(args.slice(1), kwargs, span) : opaque('deep_walk() of a value not read from the event', span);
    case 'is_ip_in_network':
      return ipInNetworks(args[0], args[1], span);
    case 'pattern_match':
      return globMatch(args[0], args[1] ? [args[1]] : [], span);
    case 'pattern_match_list':
      return globMatch(args[0], args[1] ? (iterableItems(args[1]) ?? []) : [], span);
    case 're.compile': {
      const pattern = args[0];
      const flags = reFlags(args[1] ?? kwargs.get('flags'));
      if (pattern?.kind !== 'const' || typeof pattern.value !== 'string' || flags === undefined) return opaque('re.compile() of a computed pattern', span);
      return { kind: 'regex', pattern: pattern.value, flags: flags };
    }
    case 're.search':
    case 're.match':
    case 're.fullmatch':
    case 're.findall': {
      const pattern = args[0];
      const flags = reFlags(args[2] ?? kwargs.get('flags'));
      if (pattern?.kind !== 'const' || typeof pattern.value !== 'string' || flags === undefined) return opaque(`${name}() with a computed pattern`, span);
      return regexTest(name.slice(3), pattern.value, flags, args[1], span);
    }
    case 'fnmatch.fnmatch':
    case 'fnmatch.fnmatchcase':
    case 'fnmatch':
    case 'fnmatchcase':
      return globMatch(args[0], args[1] ? [args[1]] : [], span);
    case 'ipaddress.ip_address':
    case 'ip_address': {
      const of = args[0];
      if (!of) return opaque('ip_address()', span);
      // ValueError for anything that is no address (None included).
      if (of.kind === 'field') interp.noteRaise(neg(fieldTest(of, 'cidr', ['0.0.0.0/0', '::/0'], { span })));
      return { kind: 'ip', of };
    }
    case 'json.loads':
    case 'loads':
      return jsonLoads(interp, args[0], span);
    case 'ipaddress.ip_network':
    case 'ip_network':
      return args[0]?.kind === 'const' && typeof args[0].value === 'string' ? { kind: 'network', cidr: args[0].value } : opaque('ip_network() of a computed value', span);
    default:
      return opaque(`call of ${name}()`, span);
  }
}

/**
 * `json.loads` of a constant text (a mock's return value, a literal): the constant it encodes.
 * Of an event field: the document it holds, inside a try that sees what it raises (a
 * JSONDecodeError for text that is not JSON, a TypeError for a value that is not text).
 */
function jsonLoads(interp: Interpreter, text: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if (text?.kind === 'field') {
    if (text.case || text.segment || text.text || text.walk || !interp.insideTry() || jsonText(text.missing)) return opaque('call of json.loads()', span);
    const isText = fieldIsInstance(text, ['str'], span);
    if (isText.kind !== 'bool') return isText;
    const path = jsonField(text.path);
    interp.noteRaise(neg(isText.condition), 'TypeError');
    interp.noteRaise(all([isText.condition, neg(exists(path))]), 'JSONDecodeError');
    return { kind: 'field', path, missing: null, nullIsMissing: false };
  }
  if (text?.kind !== 'const' || typeof text.value !== 'string') return opaque('call of json.loads()', span);
  try {
    return constant(JSON.parse(text.value) as PyConst);
  } catch {
    return opaque('json.loads() of a text that is not JSON', span);
  }
}

/**
 * int(x) / float(x) of an event field: a number field. Where the field is missing Python
 * converts its default, which must then be something it converts (None raises).
 */
function numberValue(f: FieldValue, convert: 'int' | 'float', span: { line: number; col: number }): SymValue {
  const fallback = f.missing;
  if (fallback !== null && typeof fallback !== 'number' && typeof fallback !== 'boolean') return opaque(`${convert}() of an event value with a text default`, span);
  if (f.nullIsMissing && fallback !== null) return opaque(`${convert}() of a deep_get with a default`, span);
  const converted = fallback === null ? null : convert === 'int' ? Math.trunc(Number(fallback)) : Number(fallback);
  return { kind: 'field', path: numberField({ convert, field: f.path, fallback: converted }), missing: null, nullIsMissing: false };
}

/** Whether a default is text json.loads would decode (the field's absence then raises nothing). */
function jsonText(value: PyConst): boolean {
  if (typeof value !== 'string') return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** A method of a choice is the choice of its results. */
function distribute(interp: Interpreter, fn: Builtin, bound: Extract<SymValue, { kind: 'choice' | 'cases' }>, args: SymValue[], kwargs: Map<string, SymValue>, node: PyNode): SymValue {
  const apply = (v: SymValue) => callValue(interp, { kind: 'builtin', name: fn.name, bound: v }, args, kwargs, node);
  if (bound.kind === 'choice') return { kind: 'choice', when: bound.when, then: apply(bound.then), otherwise: apply(bound.otherwise) };
  return { kind: 'cases', cases: bound.cases.map((c) => ({ when: c.when, value: apply(c.value) })) };
}

function method(interp: Interpreter, name: string, base: SymValue, args: SymValue[], kwargs: Map<string, SymValue>, node: PyNode): SymValue {
  const span = spanOf(node);
  if (base.kind === 'event') {
    switch (name) {
      case 'get':
        return getKey(base, args[0], args[1] ?? kwargs.get('default'), span);
      case 'deep_get':
        return deepGet(base, args, kwargs.get('default'), span);
      case 'deep_walk':
        return deepWalk(args, kwargs, span);
      case 'udm':
        return args[0]?.kind === 'const' && typeof args[0].value === 'string' ? interp.context.udm(args[0].value, interp) : opaque('udm() with a computed name', span);
      default:
        return opaque(`event.${name}()`, span);
    }
  }
  if (base.kind === 'field') {
    // deep_walk's answer may be a list: only what reads a list and a single value alike is followed.
    if (base.walk && !WALK_METHODS.has(name)) return opaque(`.${name}() of event.deep_walk()`, span);
    switch (name) {
      case 'get':
        return getKey(base, args[0], args[1] ?? kwargs.get('default'), span);
      case 'lower':
      case 'casefold':
      case 'upper':
        if (base.text) return opaque(`.${name}() of str() of an event value`, span);
        return { ...base, case: name === 'upper' ? 'upper' : 'lower', missing: typeof base.missing === 'string' ? (name === 'upper' ? base.missing.toUpperCase() : base.missing.toLowerCase()) : base.missing };
      case 'startswith':
      case 'endswith': {
        const prefixes = args[0] ? (args[0].kind === 'const' && Array.isArray(args[0].value) ? args[0].value : args[0].kind === 'const' ? [args[0].value] : undefined) : undefined;
        if (!prefixes || !prefixes.every((p): p is string => typeof p === 'string') || args.length > 1) return opaque(`${name}() with computed arguments`, span);
        const fallback = base.missing;
        const missingHolds = typeof fallback === 'string' && prefixes.some((p) => (name === 'startswith' ? fallback.startsWith(p) : fallback.endsWith(p)));
        return { kind: 'bool', condition: fieldTest(base, name, prefixes, { span }, missingHolds) };
      }
      case 'keys':
        return base;
      case 'split':
      case 'rsplit': {
        const sep = args[0] ?? kwargs.get('sep');
        const max = args[1] ?? kwargs.get('maxsplit');
        if (sep?.kind !== 'const' || typeof sep.value !== 'string' || sep.value === '' || base.segment || (max && (max.kind !== 'const' || typeof max.value !== 'number'))) {
          return opaque(`.${name}() of an event value`, span);
        }
        return { kind: 'split', of: base, sep: sep.value, from: name === 'split' ? 'left' : 'right', max: max ? (max as { value: number }).value : -1 };
      }
      default:
        return opaque(`.${name}() of an event value`, span);
    }
  }
  if (base.kind === 'regex') {
    if (name === 'search' || name === 'match' || name === 'fullmatch' || name === 'findall') return regexTest(name, base.pattern, base.flags, args[0], span);
    return opaque(`regex .${name}()`, span);
  }
  if (base.kind === 'const' && name === 'get' && args[0] && args[0].kind !== 'const') return tableLookup(base.value, args[0], args[1] ?? constant(null), span);
  if (base.kind === 'const') return constMethod(name, base.value, args, span);
  if (base.kind === 'dict' && name === 'get') {
    const key = args[0];
    if (key?.kind !== 'const') return opaque('get() of a dict with a computed key', span);
    const entry = base.entries.find(([k]) => k.kind === 'const' && JSON.stringify(k.value) === JSON.stringify(key.value));
    if (entry) return entry[1];
    // A key computed by the rule may equal this one: only constant keys rule it out.
    return base.entries.every(([k]) => k.kind === 'const') ? args[1] ?? constant(null) : opaque('get() of a dict with computed keys', span);
  }
  return opaque(`.${name}() of ${base.kind}`, span);
}

/** Methods that raise on a list as Python does on deep_walk's list answers (the evaluator's tests are false on lists). */
const WALK_METHODS = new Set(['lower', 'casefold', 'upper', 'startswith', 'endswith']);

/**
 * event.deep_walk(*keys, default=None, return_val="all"): a walk field. A key with a dot in it
 * would not survive the field's dotted path.
 */
function deepWalk(keys: SymValue[], kwargs: Map<string, SymValue>, span: { line: number; col: number }): SymValue {
  if (keys.length === 0 || keys.some((k) => k.kind !== 'const' || typeof k.value !== 'string' || k.value === '' || k.value.includes('.'))) return opaque('deep_walk() with computed keys', span);
  const fallback = kwargs.get('default') ?? constant(null);
  const pick = kwargs.get('return_val') ?? constant('all');
  if (fallback.kind !== 'const' || (fallback.value !== null && typeof fallback.value === 'object' && !(Array.isArray(fallback.value) && fallback.value.length === 0))) return opaque('deep_walk() with a computed default', span);
  if (pick.kind !== 'const' || (pick.value !== 'all' && pick.value !== 'first' && pick.value !== 'last')) return opaque('deep_walk() with a computed return_val', span);
  const path = walkField({ keys: keys.map((k) => (k as { value: string }).value), pick: pick.value, fallback: fallback.value as Scalar | [] });
  return { kind: 'field', path, missing: fallback.value, nullIsMissing: true, walk: true };
}

const MAX_TABLE = 256;

/**
 * `TABLE.get(value_from_event, default)`: one case per key of the table (the event value
 * equals that key), and the default when it equals none of them.
 */
export function tableLookup(table: PyConst, key: SymValue, fallback: SymValue, span: { line: number; col: number }): SymValue {
  if (!table || typeof table !== 'object' || Array.isArray(table)) return opaque('get() of a constant that is not a dict', span);
  const keys = Object.keys(table);
  if (keys.length > MAX_TABLE) return opaque(`get() of a table of ${keys.length} keys with a computed key`, span);
  const cases = keys.map((k) => ({ when: compare(key, '==', constant(k), span), value: constant(table[k]!) }));
  cases.push({ when: neg(compare(key, 'in', constant(keys), span)), value: fallback });
  return { kind: 'cases', cases };
}

/** Methods of constants, folded. */
function constMethod(name: string, value: PyConst, args: SymValue[], span: { line: number; col: number }): SymValue {
  const arg = (i: number) => (args[i]?.kind === 'const' ? (args[i] as { value: PyConst }).value : undefined);
  if (typeof value === 'string') {
    switch (name) {
      case 'lower':
      case 'casefold':
        return constant(value.toLowerCase());
      case 'upper':
        return constant(value.toUpperCase());
      case 'strip':
        return args.length === 0 ? constant(value.trim()) : opaque('strip(chars)', span);
      case 'startswith':
      case 'endswith': {
        const a = arg(0);
        const options = Array.isArray(a) ? a : [a];
        if (!options.every((o) => typeof o === 'string')) return opaque(`${name}() with computed arguments`, span);
        return constant(options.some((o) => (name === 'startswith' ? value.startsWith(o as string) : value.endsWith(o as string))));
      }
      case 'split': {
        const sep = arg(0);
        if (args.length === 0) return constant(value.split(/\s+/).filter(Boolean));
        return typeof sep === 'string' && args.length === 1 ? constant(value.split(sep)) : opaque('split() with a limit', span);
      }
      default:
        return opaque(`str.${name}()`, span);
    }
  }
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    if (name === 'get') {
      const key = arg(0);
      if (typeof key !== 'string') return opaque('get() of a constant with a computed key', span);
      return Object.hasOwn(value, key) ? constant(value[key]!) : args[1] ?? constant(null);
    }
    if (name === 'keys') return constant(Object.keys(value));
    if (name === 'values') return constant(Object.values(value));
  }
  return opaque(`.${name}() of a constant`, span);
}

/** `x.get(key, default)`: the field one key further down. */
function getKey(base: SymValue, key: SymValue | undefined, fallback: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if (key?.kind !== 'const' || typeof key.value !== 'string') return opaque('get() with a computed key', span);
  if (fallback && fallback.kind !== 'const') return opaque('get() with a computed default', span);
  const missing = fallback ? (fallback as { value: PyConst }).value : null;
  if (base.kind === 'event') return { kind: 'field', path: key.value, missing, nullIsMissing: false };
  const f = base as FieldValue;
  if (f.case) return opaque('get() on a lower-cased value', span);
  if (f.walk) return opaque('get() of event.deep_walk()', span);
  // Through a missing parent, Python gets the parent's default, whose own get() gives this default.
  const parentDefault = f.missing;
  if (parentDefault !== null && (typeof parentDefault !== 'object' || Array.isArray(parentDefault) || Object.keys(parentDefault).length > 0)) {
    return opaque(`get() through a default that is not an empty dict (${JSON.stringify(parentDefault)})`, span);
  }
  // (dict.get on a None parent raises; a raising rule does not alert, like a missing key.)
  return { kind: 'field', path: `${f.path}.${key.value}`, missing, nullIsMissing: false };
}

/** deep_get(event, *keys, default=None): a None along the way or at the end gives the default. */
function deepGet(base: SymValue | undefined, keys: SymValue[], fallback: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if (!base || (base.kind !== 'event' && base.kind !== 'field')) return opaque('deep_get() of a value not read from the event', span);
  // a key chosen by a condition (`"a" if x else "b"`): one deep_get per branch
  const chosen = keys.findIndex((k) => k.kind === 'choice');
  if (chosen !== -1) {
    const choice = keys[chosen] as Extract<SymValue, { kind: 'choice' }>;
    const withKey = (key: SymValue) => deepGet(base, keys.map((k, i) => (i === chosen ? key : k)), fallback, span);
    return { kind: 'choice', when: choice.when, then: withKey(choice.then), otherwise: withKey(choice.otherwise) };
  }
  if (keys.some((k) => k.kind !== 'const' || typeof k.value !== 'string')) return opaque('deep_get() with computed keys', span);
  if (fallback && fallback.kind !== 'const') return opaque('deep_get() with a computed default', span);
  const path = keys.map((k) => (k as { value: string }).value);
  const prefix = base.kind === 'field' ? (base.case || base.walk ? undefined : base.path) : '';
  if (prefix === undefined) return opaque(base.kind === 'field' && base.walk ? 'deep_get() of event.deep_walk()' : 'deep_get() on a lower-cased value', span);
  return { kind: 'field', path: [prefix, ...path].filter(Boolean).join('.'), missing: fallback ? (fallback as { value: PyConst }).value : null, nullIsMissing: true };
}

/** any(...) / all(...) of a generator or a known collection. */
function quantified(interp: Interpreter, name: 'any' | 'all', iterable: SymValue | undefined, span: { line: number; col: number }): Condition {
  if (!iterable) return unknown(`${name}() without an argument`, span);
  if (iterable.kind === 'generator') return interp.generatorTest(iterable, name, (item) => truth(item));
  const items = iterableItems(iterable);
  if (items) return name === 'any' ? any(items.map(truth)) : all(items.map(truth));
  if (iterable.kind === 'field') {
    return interp.withElement((root) => interp.elementsOf(iterable, name, truth({ kind: 'field', path: root, missing: null, nullIsMissing: false }), { type: 'Call', line: span.line, col: span.col }));
  }
  return unknown(`${name}() of ${iterable.kind === 'opaque' ? iterable.reason : iterable.kind}`, span);
}

/** Python re flags (an int, or flags or-ed together) as the AST's `ims` letters. */
function reFlags(v: SymValue | undefined): string | undefined {
  if (!v) return '';
  if (v.kind !== 'const' || typeof v.value !== 'number') return undefined;
  const n = v.value;
  // VERBOSE changes what the pattern means; LOCALE depends on the machine.
  if (n & (RE_FLAGS.VERBOSE! | RE_FLAGS.LOCALE!)) return undefined;
  return `${n & RE_FLAGS.I! ? 'i' : ''}${n & RE_FLAGS.M! ? 'm' : ''}${n & RE_FLAGS.S! ? 's' : ''}`;
}

/**
 * re.search / match / fullmatch / findall on a value: a regex test (match anchors at the start,
 * fullmatch at both ends). Python's `\Z` is the AST's `\z`.
 */
function regexTest(kind: string, pattern: string, flags: string, subject: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if (!subject) return opaque(`re.${kind}() without a subject`, span);
  // Leading inline flags (`(?i)...`) apply to the whole pattern: they join the flags, so that
  // anchoring does not leave them mid-pattern.
  const lead = /^\(\?([aiLmsux]+)\)/.exec(pattern);
  if (lead) {
    if (/[Lux]/.test(lead[1]!)) return opaque(`re.${kind}() with inline flags ${lead[1]}`, span);
    flags = [...new Set(flags + lead[1]!.replace('a', ''))].sort().join('');
    pattern = pattern.slice(lead[0].length);
  }
  const body = pythonRegex(pattern);
  const anchored = kind === 'match' ? `\\A(?:${body})` : kind === 'fullmatch' ? `\\A(?:${body})\\z` : body;
  if (subject.kind === 'const' && typeof subject.value === 'string') return opaque('regex on a constant', span);
  if (subject.kind === 'choice') {
    return { kind: 'bool', condition: any([all([subject.when, truth(regexTest(kind, pattern, flags, subject.then, span))]), all([neg(subject.when), truth(regexTest(kind, pattern, flags, subject.otherwise, span))])]) };
  }
  if (subject.kind !== 'field') return opaque(`re.${kind}() on ${subject.kind === 'opaque' ? subject.reason : subject.kind}`, span);
  if (subject.case) return opaque(`re.${kind}() on a lower-cased value`, span);
  // re functions raise on None; on a missing field with a text default they test the default.
  const compiled = typeof subject.missing === 'string' ? compileRegex(anchored, flags) : undefined;
  const missing = compiled?.ok === true && compiled.regexp.test(subject.missing as string);
  return { kind: 'bool', condition: fieldTest(subject, 'regex', [anchored], { flags, span }, missing) };
}

/** Python's regex syntax in the AST's dialect: `\Z` (absolute end) becomes `\z`. */
export function pythonRegex(pattern: string): string {
  return pattern.replace(/\\(.)/gs, (m, c: string) => (c === 'Z' ? '\\z' : m));
}

/** fnmatch patterns as anchored regular expressions (`*`, `?`, `[...]`, `[!...]`). */
export function fnmatchRegex(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        let set = pattern.slice(i + 1, end);
        if (set.startsWith('!')) set = `^${set.slice(1)}`;
        else if (set.startsWith('^')) set = `\\${set}`;
        out += `[${set.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return `\\A(?:${out})\\z`;
}

/** An fnmatch pattern without `[...]` in the wildcard syntax (where `\\` escapes). */
function fnmatchWildcard(pattern: string): string {
  const tokens: PatternToken[] = [];
  for (const c of pattern) {
    if (c === '*' || c === '?') tokens.push(c);
    else {
      const last = tokens[tokens.length - 1];
      if (last && typeof last === 'object') last.lit += c;
      else tokens.push({ lit: c });
    }
  }
  return serializePattern(tokens);
}

function globMatch(subject: SymValue | undefined, patterns: SymValue[], span: { line: number; col: number }): SymValue {
  if (!subject || subject.kind !== 'field' || subject.case) return opaque('fnmatch() of a value not read from the event', span);
  if (patterns.length === 0 || !patterns.every((p) => p.kind === 'const' && typeof p.value === 'string')) return opaque('fnmatch() with computed patterns', span);
  const texts = patterns.map((p) => (p as { value: string }).value);
  // without character sets, an fnmatch pattern is a wildcard pattern, which every target has
  if (!texts.some((t) => t.includes('['))) return { kind: 'bool', condition: fieldTest(subject, 'wildcard', texts.map(fnmatchWildcard), { span }) };
  return { kind: 'bool', condition: fieldTest(subject, 'regex', texts.map(fnmatchRegex), { flags: 's', span }) };
}

function ipInNetworks(ip: SymValue | undefined, networks: SymValue | undefined, span: { line: number; col: number }): SymValue {
  const items = networks ? iterableItems(networks) : undefined;
  if (!ip || ip.kind !== 'field' || !items || !items.every((n) => n.kind === 'const' && typeof n.value === 'string')) return opaque('is_ip_in_network() with computed arguments', span);
  return { kind: 'bool', condition: fieldTest(ip, 'cidr', items.map((n) => (n as { value: string }).value), { span }) };
}

/** JSON types of the Python classes an event value can be an instance of. */
const CLASS_TYPES: Record<string, JsonType[]> = {
  str: ['string'],
  bool: ['boolean'],
  list: ['list'],
  tuple: [],
  bytes: [],
  set: [],
  frozenset: [],
  Sequence: ['list', 'string'],
  dict: ['object'],
  Mapping: ['object'],
  NoneType: ['null'],
};

/**
 * isinstance of an event value: a type test. int and float stay unknown, since JSON text
 * parsed here no longer tells 1 from 1.0. Of a constant (a module constant against MagicMock,
 * in test hooks): folded.
 */
function isInstance(value: SymValue | undefined, types: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if (!value || !types) return opaque('call of isinstance()', span);
  const names = (types.kind === 'list' ? types.items : [types]).map((t) => (t.kind === 'builtin' ? t.name.replace(/^.*\./, '') : undefined));
  if (names.some((n) => n === undefined)) return opaque('isinstance() with a computed type', span);
  if (value.kind === 'field') return fieldIsInstance(value, names as string[], span);
  if (value.kind === 'choice' || value.kind === 'cases') {
    const branches = value.kind === 'choice' ? [{ when: value.when, value: value.then }, { when: neg(value.when), value: value.otherwise }] : value.cases;
    return { kind: 'bool', condition: any(branches.map((b) => all([b.when, truth(isInstance(b.value, types, span))]))) };
  }
  if (value.kind !== 'const' && value.kind !== 'mock') return opaque(`isinstance() of ${value.kind === 'opaque' ? value.reason : value.kind}`, span);
  // isinstance(X, MagicMock) asks whether a test case mocked X: deployed, nothing is mocked
  const mockType = names.some((n) => n === 'MagicMock' || n === 'Mock');
  if (value.kind === 'mock') return constant(mockType);
  if (mockType) return constant(false);
  const v = value.value;
  const is = (n: string): boolean => {
    switch (n) {
      case 'str':
        return typeof v === 'string';
      case 'bool':
        return typeof v === 'boolean';
      case 'int':
        return typeof v === 'boolean' || (typeof v === 'number' && Number.isInteger(v));
      case 'float':
        return typeof v === 'number' && !Number.isInteger(v);
      case 'list':
      case 'tuple':
      case 'set':
      case 'frozenset':
        return Array.isArray(v);
      case 'Sequence':
        return Array.isArray(v) || typeof v === 'string';
      case 'dict':
      case 'Mapping':
        return v !== null && typeof v === 'object' && !Array.isArray(v);
      default:
        // Other classes: a constant is none of them.
        return false;
    }
  };
  return constant((names as string[]).some(is));
}

function fieldIsInstance(f: FieldValue, names: string[], span: { line: number; col: number }): SymValue {
  if (f.text || f.segment || f.case) return opaque('isinstance() of a value made from an event field', span);
  const known = names.filter((n) => Object.hasOwn(CLASS_TYPES, n));
  if (names.some((n) => n === 'int' || n === 'float')) return opaque('isinstance() of an event value against a number class', span);
  // A class no JSON value belongs to (a datetime, a mock) adds nothing.
  // Where a None counts as missing, Python sees the default instead of the None.
  const types = [...new Set(known.flatMap((n) => CLASS_TYPES[n]!))].filter((t) => !(f.nullIsMissing && t === 'null'));
  const missing = f.missing;
  const missingType = jsonTypeOf(missing);
  const present = types.length > 0 ? match(f.path, 'is', types, { cased: true, span }) : FALSE;
  return { kind: 'bool', condition: any([present, missingType && types.includes(missingType) ? missingCondition(f) : FALSE]) };
}

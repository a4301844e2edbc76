// What calls mean to the extractor: Python builtins, string methods, the event's methods, the
// `re`, `fnmatch` and `ipaddress` modules, and the few Panther base helpers whose Python bodies
// are generic plumbing (deep_get's reduce) and are better known by what they do.

import { TRUE, unknown, type Condition } from '../../../ast/condition.js';
import { compileRegex } from '../../../ast/regex.js';
import { serializePattern, type PatternToken } from '../../../ast/wildcard.js';
import { all, any, compare, fieldTest, neg, truth } from './conditions.js';
import type { Interpreter } from './interpret.js';
import { spanOf, type PyNode } from './syntax.js';
import { constant, iterableItems, opaque, type FieldValue, type PyConst, type SymValue } from './values.js';

type Builtin = Extract<SymValue, { kind: 'builtin' }>;

/** Python's `re` flag values, by name. */
export const RE_FLAGS: Record<string, number> = { I: 2, IGNORECASE: 2, L: 4, LOCALE: 4, M: 8, MULTILINE: 8, S: 16, DOTALL: 16, U: 32, UNICODE: 32, X: 64, VERBOSE: 64, A: 256, ASCII: 256 };

export const BUILTIN_NAMES = ['len', 'any', 'all', 'bool', 'str', 'int', 'float', 'set', 'frozenset', 'list', 'tuple', 'sorted', 'isinstance', 'min', 'max', 'sum', 'map', 'filter', 'enumerate', 'zip', 'dict', 'print', 'getattr', 'hasattr', 'next', 'iter', 'abs', 'round', 'reversed', 'type'];

/** Helpers of panther_base_helpers known by meaning. */
export const INTRINSIC_HELPERS = new Set(['deep_get', 'is_ip_in_network', 'pattern_match', 'pattern_match_list']);

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
      if (arg?.kind === 'field' && !arg.case) return { ...arg, text: true, missing: typeof arg.missing === 'string' ? arg.missing : pyStr(arg.missing) };
      return opaque('str() of an event value', span);
    }
    case 'int':
    case 'float': {
      const arg = args[0];
      if (arg?.kind === 'const' && (typeof arg.value === 'number' || typeof arg.value === 'boolean')) return constant(Number(arg.value));
      // int("1234") of a text field is a number the AST cannot compare with: not followed.
      return opaque(`${name}() of an event value`, span);
    }
    case 'isinstance':
      return isInstance(args[0], args[1], span);
    case 'print':
      return constant(null);
    case 'deep_get':
      return deepGet(args[0], args.slice(1), kwargs.get('default'), span);
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
      return jsonLoads(args[0], span);
    case 'ipaddress.ip_network':
    case 'ip_network':
      return args[0]?.kind === 'const' && typeof args[0].value === 'string' ? { kind: 'network', cidr: args[0].value } : opaque('ip_network() of a computed value', span);
    default:
      return opaque(`call of ${name}()`, span);
  }
}

/** `json.loads` of a constant text (a mock's return value, a literal): the constant it encodes. */
function jsonLoads(text: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if (text?.kind !== 'const' || typeof text.value !== 'string') return opaque('call of json.loads()', span);
  try {
    return constant(JSON.parse(text.value) as PyConst);
  } catch {
    return opaque('json.loads() of a text that is not JSON', span);
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
      case 'udm':
        return args[0]?.kind === 'const' && typeof args[0].value === 'string' ? interp.context.udm(args[0].value, interp) : opaque('udm() with a computed name', span);
      default:
        return opaque(`event.${name}()`, span);
    }
  }
  if (base.kind === 'field') {
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

const MAX_TABLE = 256;

/**
 * `TABLE.get(value_from_event, default)`: one case per key of the table (the event value
 * equals that key), and the default when it equals none of them.
 */
function tableLookup(table: PyConst, key: SymValue, fallback: SymValue, span: { line: number; col: number }): SymValue {
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
  const prefix = base.kind === 'field' ? (base.case ? undefined : base.path) : '';
  if (prefix === undefined) return opaque('deep_get() on a lower-cased value', span);
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

/** isinstance of a constant (a module constant against MagicMock, in test hooks); of an event value it is not followed. */
function isInstance(value: SymValue | undefined, types: SymValue | undefined, span: { line: number; col: number }): SymValue {
  if ((value?.kind !== 'const' && value?.kind !== 'mock') || !types) return opaque('call of isinstance()', span);
  const names = (types.kind === 'list' ? types.items : [types]).map((t) => (t.kind === 'builtin' ? t.name.replace(/^.*\./, '') : undefined));
  if (names.some((n) => n === undefined)) return opaque('isinstance() with a computed type', span);
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

function pyStr(v: PyConst): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}


// The test-only KQL model (test/helpers/kql-eval.ts): its semantics, pinned on small cases, so
// that the differential test's verdicts rest on known ground.
import { describe, expect, test } from 'vitest';
import { compileKqlExpression, compileKqlQuery, KqlUnsupported, re2RegExp, rowOf, type KqlValue, type Row } from '../helpers/kql-eval.js';

function value(text: string, row: Row = {}): KqlValue {
  return compileKqlExpression(text)(row);
}

/** The three-valued result of a predicate: true, false or null. */
function verdict(text: string, row: Row = {}): boolean | null {
  const v = value(text, row);
  if (v.type !== 'bool') throw new Error(`${text} is a ${v.type}`);
  return v.value;
}

describe('null semantics', () => {
  test('== and != with null follow the documented table', () => {
    expect(verdict('a == 5', { a: null })).toBe(false);
    expect(verdict('a != 5', { a: null })).toBe(true);
    expect(verdict('a == b', {})).toBe(null);
    expect(verdict('a != b', {})).toBe(null);
    expect(verdict('a == 5', { a: 5 })).toBe(true);
  });

  test('ordering comparisons with null are null, and stay null under not()', () => {
    expect(verdict('a > 3', {})).toBe(null);
    expect(verdict('not(a > 3)', {})).toBe(null);
    expect(verdict('a > 3 or isnull(a)', {})).toBe(true);
    expect(verdict('a > 3 and false', {})).toBe(false);
    expect(verdict('a > 3 and true', {})).toBe(null);
    expect(verdict('a > 3 or false', {})).toBe(null);
  });

  test('coalesce turns an unknown comparison into false', () => {
    expect(verdict('not(coalesce(a > 3, false))', {})).toBe(true);
    expect(verdict('not(coalesce(ipv4_is_in_range(a, "10.0.0.0/8"), false))', { a: 'fe80::1' })).toBe(true);
    expect(verdict('coalesce(a > 3, false)', { a: 5 })).toBe(true);
  });

  test('an operand the model cannot decide matters only when nothing else decides', () => {
    expect(verdict('a == 5 or b =~ "x"', { a: '5', b: 'x' })).toBe(true);
    expect(verdict('a == 5 and b =~ "x"', { a: '5', b: 'y' })).toBe(false);
    expect(() => verdict('a == 5 or b =~ "x"', { a: '5', b: 'y' })).toThrow(KqlUnsupported);
  });

  test('where keeps only rows whose predicate is true', () => {
    const q = compileKqlQuery('T\n| where not(a > 3)\n| project a');
    expect(q.keeps({ a: 1 })).toBe(true);
    expect(q.keeps({ a: 5 })).toBe(false);
    expect(q.keeps({})).toBe(false);
    const union = compileKqlQuery('union *\n| where ActionType == "Created"\n| where a =~ "x"');
    expect(union.keeps({ ActionType: 'Created', a: 'X' })).toBe(true);
    expect(union.keeps({ ActionType: 'created', a: 'X' })).toBe(false);
    expect(() => compileKqlQuery('union T1, T2 | where a == 1')).toThrow(KqlUnsupported);
  });

  test('string operators read a missing or null column as ""', () => {
    expect(verdict('a =~ ""', {})).toBe(true);
    expect(verdict('a contains "x"', { a: null })).toBe(false);
    expect(verdict('not(a contains "x")', {})).toBe(true);
    expect(verdict('a startswith ""', {})).toBe(true);
    expect(verdict('a == ""', {})).toBe(true);
    expect(verdict('a in ("", "x")', {})).toBe(true);
  });

  test('isnull, isempty and their negations', () => {
    expect(verdict('isnull(a)', {})).toBe(true);
    expect(verdict('isnull(a)', { a: '' })).toBe(false);
    expect(verdict('isnull(tostring(a))', {})).toBe(false);
    expect(verdict('isempty(a)', { a: '' })).toBe(true);
    expect(verdict('isempty(a)', {})).toBe(true);
    expect(verdict('isnotempty(a)', { a: 0 })).toBe(true);
    expect(verdict('isnotnull(a)', { a: false })).toBe(true);
  });
});

describe('string operators', () => {
  test('== is case-sensitive, =~ and in~ are not', () => {
    expect(verdict('a == "Abc"', { a: 'abc' })).toBe(false);
    expect(verdict('a =~ "Abc"', { a: 'aBC' })).toBe(true);
    expect(verdict('a !~ "Abc"', { a: 'aBC' })).toBe(false);
    expect(verdict('a in~ ("x", "ABC")', { a: 'abc' })).toBe(true);
    expect(verdict('a in ("x", "ABC")', { a: 'abc' })).toBe(false);
    expect(verdict('a !in~ ("x", "ABC")', { a: 'abc' })).toBe(false);
  });

  test('_cs forms respect case; negated forms negate', () => {
    expect(verdict('a contains "B"', { a: 'abc' })).toBe(true);
    expect(verdict('a contains_cs "B"', { a: 'abc' })).toBe(false);
    expect(verdict('a !contains "B"', { a: 'abc' })).toBe(false);
    expect(verdict('a startswith_cs "ab"', { a: 'abc' })).toBe(true);
    expect(verdict('a endswith "BC"', { a: 'abc' })).toBe(true);
    expect(verdict('a endswith_cs "BC"', { a: 'abc' })).toBe(false);
  });

  test('case folding is one code point to one', () => {
    expect(verdict('a =~ "SYSTÈME"', { a: 'Système' })).toBe(true);
    expect(verdict('a =~ "SS"', { a: 'ß' })).toBe(false);
  });

  test('has looks for whole terms', () => {
    expect(verdict('a has "net"', { a: 'c:\\net.exe' })).toBe(true);
    expect(verdict('a has "net"', { a: 'c:\\netsh.exe' })).toBe(false);
    expect(verdict('a has "NET.EXE"', { a: 'c:\\net.exe x' })).toBe(true);
    expect(verdict('a has_cs "NET"', { a: 'net' })).toBe(false);
    expect(() => verdict('a has ""', { a: 'x' })).toThrow(KqlUnsupported);
  });

  test('numbers and booleans in dynamic columns are text for string operators', () => {
    expect(verdict('a =~ "4688"', { a: 4688 })).toBe(true);
    expect(verdict('a =~ "TRUE"', { a: true })).toBe(true);
    expect(verdict('a contains "\\"k\\":1"', { a: { k: 1 } })).toBe(true);
    expect(() => verdict('a contains "1"', { a: 1.5 })).toThrow(KqlUnsupported);
  });

  test('== between text and a non-text dynamic value is refused', () => {
    expect(() => verdict('a == "5"', { a: 5 })).toThrow(KqlUnsupported);
    expect(() => verdict('a == 5', { a: '5' })).toThrow(KqlUnsupported);
  });

  test('string literals are decoded by the parser', () => {
    expect(verdict('a == "C:\\\\x\\ty"', { a: 'C:\\x\ty' })).toBe(true);
    expect(verdict('a == @"C:\\x"', { a: 'C:\\x' })).toBe(true);
  });
});

describe('numbers', () => {
  test('comparisons, signed literals and todouble', () => {
    expect(verdict('a > -2.5', { a: -1 })).toBe(true);
    expect(verdict('todouble(a) >= 10', { a: '12' })).toBe(true);
    expect(verdict('todouble(a) >= 10', { a: 'abc' })).toBe(null);
    expect(verdict('a in (1, 2)', { a: 2 })).toBe(true);
  });
});

describe('regular expressions (RE2 read as JavaScript)', () => {
  test('leading flags become matching behaviour', () => {
    expect(verdict('a matches regex "(?i)^abc$"', { a: 'ABC' })).toBe(true);
    expect(verdict('a matches regex "^abc$"', { a: 'ABC' })).toBe(false);
    expect(verdict('a matches regex "a.c"', { a: 'a\nc' })).toBe(false);
    expect(verdict('a matches regex "(?s)a.c"', { a: 'a\nc' })).toBe(true);
    expect(verdict('a matches regex "a.c"', { a: 'a\rc' })).toBe(true);
    expect(verdict('a matches regex "(?m)^c"', { a: 'a\nc' })).toBe(true);
    expect(verdict('a matches regex "^c"', { a: 'a\nc' })).toBe(false);
  });

  test('RE2 escapes and classes', () => {
    expect(re2RegExp('\\s').test('\v')).toBe(false);
    expect(re2RegExp('[\\s]').test('\t')).toBe(true);
    expect(re2RegExp('\\_\\-\\"').test('_-"')).toBe(true);
    expect(re2RegExp('[\\-a]').test('-')).toBe(true);
    expect(re2RegExp('a{,2}').test('a{,2}')).toBe(true);
    expect(re2RegExp('\\x{41}\\x42').test('AB')).toBe(true);
    expect(re2RegExp('(?P<n>x)').test('x')).toBe(true);
  });

  test('what RE2 or the model lacks is refused, not guessed', () => {
    for (const pattern of ['a(?=b)', '(a)\\1', 'a(?i)b', '\\pL', '[[:alpha:]]', '\\Qa\\E', 'a++', '(?U)a', '\\y']) {
      expect(() => re2RegExp(pattern), pattern).toThrow(KqlUnsupported);
    }
  });
});

describe('IP ranges', () => {
  test('ipv4_is_in_range is null for text that is not an address', () => {
    expect(verdict('ipv4_is_in_range(a, "10.0.0.0/8")', { a: '10.1.2.3' })).toBe(true);
    expect(verdict('ipv4_is_in_range(a, "10.0.0.0/8")', { a: '11.1.2.3' })).toBe(false);
    expect(verdict('ipv4_is_in_range(a, "10.0.0.0/8")', {})).toBe(null);
    expect(verdict('ipv4_is_in_range(a, "10.0.0.0/8")', { a: '::ffff:10.1.2.3' })).toBe(null);
    expect(verdict('not(ipv4_is_in_range(a, "10.0.0.0/8"))', { a: 'fe80::1' })).toBe(null);
  });

  test('ipv6_is_in_range reads IPv4 as IPv4-mapped', () => {
    expect(verdict('ipv6_is_in_range(a, "fe80::/10")', { a: 'fe80::1' })).toBe(true);
    expect(verdict('ipv6_is_in_range(a, "::1/128")', { a: '::1' })).toBe(true);
    expect(verdict('ipv6_is_in_range(a, "::1/128")', { a: '127.0.0.1' })).toBe(false);
    expect(verdict('ipv6_is_in_range(a, "::ffff:0:0/96")', { a: '127.0.0.1' })).toBe(true);
    expect(verdict('ipv6_is_in_range(a, "fe80::/10")', { a: 'x' })).toBe(null);
  });
});

describe('columns, paths and whole rows', () => {
  test('bracketed names, paths and element access', () => {
    expect(verdict("['cs-uri'] =~ \"/x\"", { 'cs-uri': '/x' })).toBe(true);
    expect(verdict('a.b =~ "x"', { a: { b: 'x' } })).toBe(true);
    expect(verdict("a['b-c'] =~ \"x\"", { a: { 'b-c': 'x' } })).toBe(true);
    expect(verdict('a[1] =~ "y"', { a: ['x', 'y'] })).toBe(true);
    expect(verdict('isnull(a.b)', { a: 'not a bag' })).toBe(true);
  });

  test('rowOf presents dotted keys of identifiers as paths', () => {
    expect(rowOf({ 'a.b': 1, c: 2 })).toEqual({ a: { b: 1 }, c: 2 });
    expect(rowOf({ 'a.b-c': 1 })).toEqual({ 'a.b-c': 1 });
    expect(() => rowOf({ a: 1, 'a.b': 2 })).toThrow(KqlUnsupported);
  });

  test('* contains and pack_all look at every column', () => {
    expect(verdict('* contains "EVIL"', { a: 'x', b: 'an evil one' })).toBe(true);
    expect(verdict('* contains "evil"', { a: 'x' })).toBe(false);
    expect(verdict('tostring(pack_all()) matches regex "\\"b\\":\\"a[^\\"]*one\\""', { a: 'x', b: 'an evil one' })).toBe(true);
  });

  test('parse_json reads text as dynamic', () => {
    expect(verdict('parse_json(tostring(a)).k =~ "v"', { a: '{"k":"v"}' })).toBe(true);
    expect(verdict('parse_json(a).k =~ "v"', { a: { k: 'v' } })).toBe(true);
    expect(() => verdict('parse_json(a).k =~ "v"', { a: '{"k":"v"}' })).toThrow(KqlUnsupported);
  });

  test('syntax outside the model is refused', () => {
    expect(() => compileKqlQuery('T | summarize count()')).toThrow(KqlUnsupported);
    expect(() => verdict('strlen(a) > 1', { a: 'xx' })).toThrow(KqlUnsupported);
    expect(() => compileKqlQuery('a ==')).toThrow(/does not parse/);
  });
});

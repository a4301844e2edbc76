import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  and,
  elements,
  exists,
  fieldref,
  keyword,
  match,
  not,
  or,
  TIME_PARTS,
  unknown,
  type Condition,
  MATCH_OPS,
  type MatchOp,
  type Value,
} from '../../src/ast/condition.js';
import { parseConditionText } from '../../src/ast/parse.js';
import { printCondition } from '../../src/ast/print.js';
import { mapCondition } from '../../src/ast/walk.js';

function roundTrip(text: string): string {
  const parsed = parseConditionText(text);
  if (!parsed.ok) throw new Error(`${text}: ${parsed.message}`);
  return printCondition(parsed.condition);
}

describe('printing', () => {
  test('the seed pages’ conditions', () => {
    expect(printCondition(match('type', 'eq', ['service_key_created']))).toBe('type eq "service_key_created"');
    expect(printCondition(and([match('type', 'eq', ['api_key.created', 'api_key.updated']), not(exists('errorCode'))]))).toBe(
      'type in ["api_key.created", "api_key.updated"] and not errorCode exists',
    );
    expect(printCondition(match('Image', 'endswith', ['\\cmd.exe']))).toBe('Image endswith "\\\\cmd.exe"');
  });
  test('parentheses follow precedence: not, and, or', () => {
    const a = match('a', 'eq', [1]);
    const b = match('b', 'eq', [2]);
    const c = match('c', 'eq', [3]);
    expect(printCondition(and([or([a, b]), c]))).toBe('(a eq 1 or b eq 2) and c eq 3');
    expect(printCondition(or([and([a, b]), c]))).toBe('a eq 1 and b eq 2 or c eq 3');
    expect(printCondition(not(and([a, b])))).toBe('not (a eq 1 and b eq 2)');
    expect(printCondition(not(not(a)))).toBe('not not a eq 1');
  });
  test('fields that are not plain names are back-quoted', () => {
    expect(printCondition(exists('in'))).toBe('`in` exists');
    expect(printCondition(exists('Field Name'))).toBe('`Field Name` exists');
    expect(printCondition(exists('a`b\\c'))).toBe('`a\\`b\\\\c` exists');
    expect(printCondition(exists('4624'))).toBe('`4624` exists');
    expect(printCondition(exists('Keyword'))).toBe('Keyword exists');
  });
});

describe('parsing', () => {
  test('what it prints reads back the same', () => {
    for (const text of [
      'type eq "service_key_created"',
      'type in ["api_key.created", "api_key.updated"] and not errorCode exists',
      '(a eq 1 or b eq 2) and not c contains all cased ["x", "y"]',
      'keyword ["a", "b"] or keyword regex ignorecase multiline "x.*"',
      'any(data.scopes, @ in ["all", "admin"]) and none(r, t eq null)',
      'hour(EventTime) gte 3 and A startswith field(B)',
      'unknown("calls helper foo", 3:4) or `in` eq %Workstations% or x eq %"odd name"%',
      'x in [1.5, -2, 1e+21, true, false, null, ""]',
      'true and not false',
    ]) {
      expect(roundTrip(text)).toBe(text);
    }
  });
  test('syntax errors say where', () => {
    const r = parseConditionText('a eq 1 and');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.col).toBe(11);
    expect(parseConditionText('a equals 1').ok).toBe(false);
    expect(parseConditionText('in eq 1').ok).toBe(false);
  });
  test('deep nesting is an error, not a crash', () => {
    const r = parseConditionText('('.repeat(20_000) + 'a eq 1' + ')'.repeat(20_000));
    expect(r.ok).toBe(false);
  });
});

// ---- property tests: random conditions print, parse and print again unchanged ----

const fieldArb = fc.oneof(
  fc.constantFrom('Image', 'CommandLine', 'a.b.c', 'sc-status', 'type', 'in', 'Field Name', 'x`y', '@', 'any', 'is', 'walk.first="":a.b', 'json(a.b).c', 'float(x, 0)'),
  fc.string({ minLength: 1, maxLength: 8 }),
);
const stringValue = fc.string({ maxLength: 12 });
const valueArb: fc.Arbitrary<Value> = fc.oneof(
  stringValue,
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e9, max: 1e9 }),
  fc.boolean(),
  fc.constant(null),
  fc.record({ placeholder: fc.string({ minLength: 1, maxLength: 6 }).filter((s) => !s.includes('%')) }),
);
const ops: MatchOp[] = [...MATCH_OPS];

const leafArb: fc.Arbitrary<Condition> = fc.oneof(
  fc
    .record({
      field: fieldArb,
      op: fc.constantFrom(...ops),
      values: fc.array(valueArb, { minLength: 1, maxLength: 4 }),
      all: fc.boolean(),
      cased: fc.boolean(),
      flags: fc.constantFrom('', 'i', 'ms', 'ims'),
      part: fc.option(fc.constantFrom(...TIME_PARTS), { nil: undefined }),
    })
    .map((r) =>
      match(r.field, r.op, r.values, {
        quantifier: r.all ? 'all' : 'any',
        cased: r.cased,
        flags: r.flags,
        ...(r.part ? { part: r.part } : {}),
      }),
    ),
  fieldArb.map((f) => exists(f)),
  fc
    .record({ op: fc.constantFrom('contains', 'wildcard', 'regex' as const), values: fc.array(stringValue, { minLength: 1, maxLength: 3 }), cased: fc.boolean() })
    .map((r) => keyword(r.op, r.values, { cased: r.cased })),
  fc
    .record({ a: fieldArb, b: fieldArb, op: fc.constantFrom('eq', 'contains', 'startswith', 'endswith' as const), cased: fc.boolean() })
    .map((r) => fieldref(r.a, r.op, r.b, r.cased)),
  fc.string({ maxLength: 20 }).map((reason) => unknown(reason)),
  fc.boolean().map((b) => ({ kind: 'const', value: b }) as Condition),
);

const conditionArb: fc.Arbitrary<Condition> = fc.letrec<{ node: Condition }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leafArb,
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((c) => and(c)),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((c) => or(c)),
    tie('node').map((c) => not(c)),
    fc.record({ field: fieldArb, q: fc.constantFrom('any', 'all', 'none', 'one' as const), c: tie('node') }).map((r) => elements(r.field, r.q, r.c)),
  ),
})).node;

function flatten(node: Condition): Condition {
  return mapCondition(node, (n) =>
    n.kind === 'and' || n.kind === 'or' ? { ...n, children: n.children.flatMap((c) => (c.kind === n.kind ? c.children : [c])) } : n,
  );
}

describe('round trip (property)', () => {
  test('print -> parse -> print is the identity and keeps the tree', () => {
    fc.assert(
      fc.property(conditionArb, (condition) => {
        const text = printCondition(condition);
        const parsed = parseConditionText(text);
        expect(parsed.ok, text).toBe(true);
        if (!parsed.ok) return;
        expect(printCondition(parsed.condition)).toBe(text);
        // The text does not show how same-kind junctions nest; the tree is otherwise the same.
        expect(parsed.condition).toEqual(flatten(condition));
      }),
      { numRuns: 2000 },
    );
  });
  test('arbitrary text never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (text) => {
        parseConditionText(text);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('a', 'eq', '(', ')', 'not', 'and', 'or', '"x"', '[', ']', ',', 'in', 'keyword', 'any', '@', '1', 'exists'), { maxLength: 20 }),
        (tokens) => {
          parseConditionText(tokens.join(' '));
        },
      ),
      { numRuns: 3000 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonical } from '../../src/ast/canonical.js';
import { parseConditionText } from '../../src/ast/parse.js';
import { printCondition } from '../../src/ast/print.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { conditionTexts } from '../helpers/condition-text.js';

function canon(text: string): string {
  const parsed = parseConditionText(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return printCondition(canonical(parsed.condition));
}

describe('canonical form', () => {
  test('operands are flattened, de-duplicated and sorted', () => {
    expect(canon('b eq 1 and (a eq 2 and b eq 1)')).toBe('a eq 2 and b eq 1');
    expect(canon('c eq 1 or (a eq 1 or b eq 1)')).toBe(canon('a eq 1 or (b eq 1 or c eq 1)'));
  });
  test('constants fold and double negations go', () => {
    expect(canon('a eq 1 and true')).toBe('a eq 1');
    expect(canon('a eq 1 and false')).toBe('false');
    expect(canon('a eq 1 or true')).toBe('true');
    expect(canon('not not a eq 1')).toBe('a eq 1');
    expect(canon('not true')).toBe('false');
  });
  test('value lists are sorted, de-duplicated and case-folded where case does not matter', () => {
    expect(canon('Image endswith ["\\\\B.exe", "\\\\a.exe", "\\\\b.exe"]')).toBe('Image endswith ["\\\\a.exe", "\\\\b.exe"]');
    expect(canon('Image endswith cased ["B", "A"]')).toBe('Image endswith cased ["A", "B"]');
    expect(canon('x regex ["B", "A"]')).toBe('x regex ["A", "B"]');
    expect(canon('x contains all ["b"]')).toBe('x contains "b"');
  });
  test('tests of one field merge: any under or, all under and', () => {
    expect(canon('a eq "x" or a eq "y" or b eq 1')).toBe('a in ["x", "y"] or b eq 1');
    expect(canon('a contains "x" and a contains "y"')).toBe('a contains all ["x", "y"]');
    expect(canon('a contains "x" or a startswith "y"')).toBe('a contains "x" or a startswith "y"');
  });
  test('negations go down to the tests, and negated tests of one field merge', () => {
    expect(canon('not (a eq 1 and b eq 2)')).toBe('not a eq 1 or not b eq 2');
    expect(canon('not (a eq 1 or not b eq 2)')).toBe('b eq 2 and not a eq 1');
    expect(canon('not a eq "x" and not a eq "y"')).toBe('not a in ["x", "y"]');
    expect(canon('not (a eq "x" or a eq "y")')).toBe(canon('not a in ["y", "x"]'));
  });
  test('wildcards that amount to a plain operator become it', () => {
    expect(canon('a wildcard "*x*"')).toBe(canon('a contains "x"'));
    expect(canon('a wildcard ["x*", "*y"]')).toBe(canon('a startswith "x" or a endswith "y"'));
    expect(canon('a wildcard all ["*x*", "*y*"]')).toBe(canon('a contains all ["x", "y"]'));
    expect(canon('a wildcard "X"')).toBe(canon('a eq "x"'));
    expect(canon('a wildcard "x?y*"')).toBe('a wildcard "x?y*"');
    expect(canon('not a wildcard ["x*", "*y"]')).toBe(canon('not a startswith "x" and not a endswith "y"'));
  });
  test('reordered and renamed selections compare equal', () => {
    expect(canon('(A eq 1 and B in ["x", "y"]) and not C eq 2')).toBe(canon('not C eq 2 and B in ["y", "x"] and A eq 1'));
  });
  test('the canonical form means the same as the original (property)', () => {
    const fields = ['a', 'b'];
    const leaf = fc.oneof(
      fc.record({ f: fc.constantFrom(...fields), op: fc.constantFrom('eq', 'contains'), v: fc.constantFrom('x', 'X', 'y') }).map((r) => `${r.f} ${r.op} "${r.v}"`),
      fc.record({ f: fc.constantFrom(...fields), q: fc.constantFrom('', 'all '), v: fc.subarray(['*x*', 'x*', '*y', 'X', 'x?', '*'], { minLength: 1 }) }).map(
        (r) => `${r.f} wildcard ${r.q}[${r.v.map((v) => JSON.stringify(v)).join(', ')}]`,
      ),
      fc.record({ f: fc.constantFrom(...fields), v: fc.subarray(['x', 'y'], { minLength: 1 }) }).map((r) => `not ${r.f} in [${r.v.map((v) => `"${v}"`).join(', ')}]`),
      fc.constantFrom('a exists', 'b exists', 'true', 'false'),
    );
    const expr = conditionTexts(leaf);
    const event = fc.record({ a: fc.constantFrom('x', 'X', 'xy', 'y', undefined), b: fc.constantFrom('x', 'y', undefined) });
    fc.assert(
      fc.property(expr, event, (text, e) => {
        const parsed = parseConditionText(text);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
        expect(evaluate(canonical(parsed.condition), clean)).toBe(evaluate(parsed.condition, clean));
      }),
      { numRuns: 3000 },
    );
  });
});

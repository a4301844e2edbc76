import { describe, expect, test } from 'vitest';
import { conditionOf, readSigma, ruleWithDetection } from '../helpers/sigma.js';

const detection = `selection_a:
    A: 1
selection_b:
    B: 2
filter_x:
    X: 3
_private:
    P: 4
`;

describe('condition language', () => {
  test('and, or, not and their precedence', () => {
    expect(conditionOf(`${detection}condition: selection_a and selection_b or filter_x and not _private`)).toBe(
      'A eq 1 and B eq 2 or X eq 3 and not P eq 4',
    );
    expect(conditionOf(`${detection}condition: selection_a and (selection_b or filter_x)`)).toBe('A eq 1 and (B eq 2 or X eq 3)');
    expect(conditionOf(`${detection}condition: not not selection_a`)).toBe('not not A eq 1');
    expect(conditionOf(`${detection}condition: not (selection_a or selection_b)`)).toBe('not (A eq 1 or B eq 2)');
  });
  test('1 of / any of / all of a pattern', () => {
    expect(conditionOf(`${detection}condition: 1 of selection_*`)).toBe('A eq 1 or B eq 2');
    expect(conditionOf(`${detection}condition: any of selection_*`)).toBe('A eq 1 or B eq 2');
    expect(conditionOf(`${detection}condition: all of selection_*`)).toBe('A eq 1 and B eq 2');
    expect(conditionOf(`${detection}condition: all of selection_* and not 1 of filter*`)).toBe('A eq 1 and B eq 2 and not X eq 3');
    expect(conditionOf(`${detection}condition: 1 of *_b`)).toBe('B eq 2');
  });
  test('them covers every selection but those starting with an underscore', () => {
    expect(conditionOf(`${detection}condition: 1 of them`)).toBe('A eq 1 or B eq 2 or X eq 3');
    expect(conditionOf(`${detection}condition: all of them`)).toBe('A eq 1 and B eq 2 and X eq 3');
    expect(conditionOf(`${detection}condition: 1 of _*`)).toBe('P eq 4');
  });
  test('a list of conditions means any of them', () => {
    expect(conditionOf(`${detection}condition:\n    - selection_a\n    - selection_b`)).toBe('A eq 1 or B eq 2');
  });
  test('parentheses without spaces', () => {
    expect(conditionOf(`${detection}condition: (selection_a)and(selection_b)`)).toBe('A eq 1 and B eq 2');
  });
});

describe('selections', () => {
  test('a map is and of its items', () => {
    expect(conditionOf("selection:\n    A: 1\n    B|contains: x\ncondition: selection")).toBe('A eq 1 and B contains "x"');
  });
  test('a list of maps is or of the maps', () => {
    expect(conditionOf("selection:\n    - A: 1\n      B: 2\n    - C: 3\ncondition: selection")).toBe('A eq 1 and B eq 2 or C eq 3');
  });
  test('a list of values is a keyword search, any of them', () => {
    expect(conditionOf("keywords:\n    - mimikatz\n    - evil\ncondition: keywords")).toBe('keyword ["mimikatz", "evil"]');
    // Found anywhere either way, but a written pattern stays a pattern.
    expect(conditionOf("keywords:\n    - mimikatz\n    - 'sekurlsa::*'\n    - 42\ncondition: keywords")).toBe(
      'keyword "mimikatz" or keyword wildcard "sekurlsa::*" or keyword 42',
    );
  });
  test('keywords with inner wildcards keep a pattern; all links them with and', () => {
    expect(conditionOf("keywords:\n    - 'a*b'\ncondition: keywords")).toBe('keyword wildcard "a*b"');
    expect(conditionOf("keywords:\n    '|all':\n        - foo\n        - bar\ncondition: keywords")).toBe('keyword all ["foo", "bar"]');
  });
  test('a single scalar selection is one keyword', () => {
    expect(conditionOf('keyword_one: evil\ncondition: keyword_one')).toBe('keyword "evil"');
  });
  test('field names are kept as written, quoting those that read as keywords', () => {
    expect(conditionOf("selection:\n    'sc-status': 404\n    'in': x\n    'Field Name': y\ncondition: selection")).toBe(
      'sc-status eq 404 and `in` eq "x" and `Field Name` eq "y"',
    );
  });
});

describe('condition errors', () => {
  test('a selection that does not exist', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: selection_a and selection_c`));
    expect(r?.ok).toBe(false);
    expect(r?.diagnostics).toEqual([
      expect.objectContaining({ code: 'unknown-selection', line: 15, col: 32 }),
    ]);
  });
  test('upper-case keywords are explained', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: selection_a AND selection_b`));
    expect(r?.diagnostics[0]?.code).toBe('condition-syntax');
  });
  test('a pattern matching nothing', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: 1 of nothing*`));
    expect(r?.diagnostics[0]).toMatchObject({ code: 'empty-pattern', line: 15 });
  });
  test('syntax errors point into the condition', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: selection_a and (selection_b`));
    expect(r?.diagnostics[0]).toMatchObject({ code: 'condition-syntax', line: 15 });
  });
  test('Sigma 1 aggregations are refused', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: selection_a | count() by User > 5`));
    expect(r?.diagnostics[0]?.code).toBe('deprecated-aggregation');
  });
  test('a Sigma 1 timeframe is reported and ignored', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}timeframe: 5m\ncondition: selection_a`));
    expect(r?.ok).toBe(true);
    expect(r?.diagnostics.map((d) => d.code)).toContain('attribute-warning');
  });
  test('a 10,000-deep parenthesised condition', () => {
    const deep = '('.repeat(10_000) + 'selection_a' + ')'.repeat(10_000);
    const [r] = readSigma(ruleWithDetection(`${detection}condition: ${deep}`));
    expect(r?.ok).toBe(false);
    expect(r?.diagnostics[0]?.code).toBe('condition-too-deep');
  });
  test('a 10,000-long chain of not', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: ${'not '.repeat(10_000)}selection_a`));
    expect(r?.ok).toBe(false);
    expect(r?.diagnostics[0]?.code).toBe('condition-too-deep');
  });
  test('a long flat chain is fine', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: ${Array(5000).fill('selection_a').join(' or ')}`));
    expect(r?.ok).toBe(true);
  });
  test('unused selections are noted', () => {
    const [r] = readSigma(ruleWithDetection(`${detection}condition: selection_a`));
    expect(r?.ok).toBe(true);
    expect(r?.diagnostics.filter((d) => d.code === 'unused-selection').map((d) => d.severity)).toEqual(['info', 'info', 'info']);
  });
});

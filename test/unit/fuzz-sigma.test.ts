// Property tests: whatever the text, the Sigma front end answers with results and diagnostics,
// never an exception.
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { mutate } from '../helpers/mutate.js';
import { readSigma, ruleWithDetection } from '../helpers/sigma.js';

const template = ruleWithDetection(`selection:
    Image|endswith:
        - '\\cmd.exe'
        - '\\powershell.exe'
    CommandLine|contains|all:
        - ' -enc '
        - 'IEX'
filter:
    User|startswith: 'adm_'
keywords:
    - 'mimikatz'
condition: (selection or keywords) and not filter`);

function checkResults(text: string): void {
  const results = readSigma(text);
  expect(results.length).toBeGreaterThan(0);
  for (const r of results) {
    expect(r.ok || r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
    for (const d of r.diagnostics) {
      expect(typeof d.code).toBe('string');
      expect(d.line).toBeGreaterThan(0);
    }
  }
}

const special = fc.constantFrom('*', '?', '|', ':', '[', ']', '{', '}', '&a', '*a', '!', '%x%', '\\', "'", '"', '\n', '  ', '\t', '- ', '#', '---\n', '|re', '|cidr', '|base64offset', '|windash', '(', ')', ' not ', ' 1 of ');

describe('Sigma front end (property)', () => {
  test('mutated rules never throw', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(template.length), fc.nat(8), special), { minLength: 1, maxLength: 6 }),
        (edits) => checkResults(mutate(template, edits)),
      ),
      { numRuns: 1500 },
    );
  });

  test('arbitrary detection structures never throw', () => {
    const key = fc.oneof(
      fc.constantFrom('selection', 'filter', 'Image', 'Image|contains', 'A|re', 'B|cidr', 'C|exists', '|all', 'D|base64offset|contains', 'E|windash', 'F|lt', 'G|hour', 'H|fieldref', 'I|expand', 'J|neq', 'K|bogus'),
      fc.string({ maxLength: 10 }),
    );
    const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }));
    const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 5 }), fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('selection', '1 of them', 'all of sel*', 'selection and not filter')), (detection, condition) => {
        const text = stringify({
          title: 'Fuzz',
          logsource: { product: 'windows' },
          detection: { ...detection, condition },
        });
        checkResults(text);
      }),
      { numRuns: 1500 },
    );
  });
});

// The fast YAML reader must give exactly what the full reader gives, or give up.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { parseYamlDocuments, plainResolver, type YamlOptions } from '../../src/formats/yaml.js';
import { readFastYaml } from '../../src/formats/yaml-fast.js';
import { discoverRuleFiles } from '../../src/load/discover.js';
import { hasSigmaHQ, SIGMAHQ_RULE_DIRS } from '../helpers/corpus.js';
import { mutate } from '../helpers/mutate.js';

type Outcome = 'same' | 'fallback';

/** Compares the two readers on one text; returns whether the fast one took it. */
function compare(text: string, version: YamlOptions['version'] = '1.1'): Outcome {
  const full = parseYamlDocuments(text, { version, fast: false });
  if (!readFastYaml(text, plainResolver(version))) return 'fallback';
  // Where the fast reader answers, the full reader must find nothing wrong and agree.
  expect(full.flatMap((d) => d.diagnostics), text).toEqual([]);
  expect(parseYamlDocuments(text, { version }), text).toEqual(full);
  return 'same';
}

describe('fast YAML reader', () => {
  test('typical rule shapes', () => {
    const texts = [
      'title: x\n',
      '# leading comment\ntitle: x   # trailing\nlist:\n  - a\n  - \'b c\'\n  - "d\\te"\nmap:\n  k: v\n',
      'a:\n- 1\n- 2\nb: 3\n',
      'd: |\n  line 1\n\n  line 3\n\ne: |-\n    indented\n      more\nf: end\n',
      'x: |\n  a\n',
      'x: |\n  a',
      'a:\n  - k: 1\n    l: 2\n  - k: 3\n  -\n  - plain\n',
      'a: 1\n---\nb: 2\n---\n',
      '---\n---\na: 1\n',
      '# only comments\n',
      '',
      "q: 'it''s'\nr: \"\\u00e9\\x41\\\\\"\ns: ~\nt: yes\nu: y\nv: 010\nw: 2023-01-01\nz: .inf\n",
      'key with spaces: value with: colon\n',
      'k: v#not a comment\nl: v # a comment\n',
    ];
    for (const t of texts) compare(t);
    expect(compare('title: x\nlist:\n  - a\n')).toBe('same');
  });

  test('what it leaves to the full reader', () => {
    for (const t of [
      'a: [1, 2]\n',
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: >\n  folded\n',
      'a: plain\n  continued\n',
      'a: 1\na: 2\n',
      'a:\tb\n',
      '%YAML 1.2\n---\na: 1\n',
      'a: b: c\n',
      '- root sequence\n',
      'a: |+\n  keep\n\n',
      'a: |2\n   explicit\n',
      'a: "multi\n  line"\n',
      '? complex\n: key\n',
      '<<: {a: 1}\n',
      'a:\r\n  b: 1\r\n',
    ]) {
      expect(compare(t), t).toBe('fallback');
    }
  });

  test('random documents (property)', () => {
    const key = fc.oneof(fc.constantFrom('title', 'Image|endswith', 'a b', 'x:y', "it's", '#k', '- k', 'true', '1', 'null', '<<'), fc.string({ maxLength: 6 }));
    const scalar = fc.oneof(
      fc.string({ maxLength: 10 }),
      fc.constantFrom('yes', 'y', 'No', '~', '010', '09', '1e3', '1.0e+3', '0x1F', '.inf', '2023-01-01', '1:20', '', ' lead', 'trail ', 'a # b', 'a: b', '- x', "'q'", '"q"', 'line\nbreak', 'x\n\n  y\n'),
      fc.integer(),
      fc.double({ noNaN: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    const styles = fc.record({
      indent: fc.constantFrom(2, 4),
      indentSeq: fc.boolean(),
      blockQuote: fc.constantFrom(true, false, 'literal' as const),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE' as const),
    });
    let taken = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), styles, fc.boolean(), (doc, style, twoDocs) => {
        let text = stringify(doc, style as never);
        if (twoDocs) text = `${text}---\n${text}`;
        if (compare(text) === 'same') taken++;
        compare(text, '1.2');
      }),
      { numRuns: 2000 },
    );
    expect(taken).toBeGreaterThan(200);
  });

  test('mutated rule text (property)', () => {
    const base = 'title: T\nid: 1\ndetection:\n    sel:\n        - A|contains: \'x\'\n          B: 2\n        - C: |\n            lit\n    condition: sel\ntags:\n    - a.b\n';
    const pieces = fc.constantFrom(' ', '  ', '\n', '-', '- ', ':', ': ', '#', ' #', "'", '"', '|', '|-', '\\', 'x', '---\n', '  - ', '~', '[', '&a ');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length), fc.nat(3), pieces), { minLength: 1, maxLength: 4 }), (edits) => {
        compare(mutate(base, edits));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 4000) },
    );
  });

  test.skipIf(!hasSigmaHQ)('mutated SigmaHQ rules (property)', () => {
    const texts = discoverRuleFiles(SIGMAHQ_RULE_DIRS)
      .files.filter((_, i) => i % 25 === 0)
      .map((f) => readFileSync(f, 'utf8'));
    const pieces = fc.constantFrom(' ', '  ', '\n', '- ', ': ', ' #', "'", '"', '|', '|-', '---\n', '\n  ', '\n\n', 'yes', "''");
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(fc.tuple(fc.nat(5000), fc.nat(3), pieces), { minLength: 1, maxLength: 3 }), (n, edits) => {
        compare(mutate(texts[n]!, edits));
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
  });

  test.skipIf(!hasSigmaHQ)('every SigmaHQ rule file reads the same either way', () => {
    const files = discoverRuleFiles(SIGMAHQ_RULE_DIRS).files;
    let same = 0;
    for (const file of files) if (compare(readFileSync(file, 'utf8')) === 'same') same++;
    console.log(`fast reader took ${same} of ${files.length} SigmaHQ files`);
    expect(same / files.length).toBeGreaterThan(0.95);
  });
});

// The fast YAML reader must give exactly what the full reader gives, or give up.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { stringify } from 'yaml';
import { parseYamlDocuments, plainResolver, type YamlOptions } from '../../src/formats/yaml.js';
import { readFastYaml } from '../../src/formats/yaml-fast.js';
import { discoverRuleFiles } from '../../src/load/discover.js';
import { hasSigmaHQ, SIGMAHQ_RULE_DIRS } from '../helpers/corpus.js';
import { mutate } from '../helpers/mutate.js';

type Outcome = 'same' | 'fallback';

/** The Panther rule corpus (read with the YAML 1.2 core schema), next to the repository. */
const PANTHER_RULES = join(import.meta.dirname, '..', '..', '..', 'panther-analysis', 'rules');
const hasPanther = existsSync(PANTHER_RULES);
if (!hasPanther) console.warn(`skipping Panther corpus tests: the Panther rules are not at ${PANTHER_RULES}`);

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
      // folded block scalars: folding, more-indented lines, blank lines, chomping
      'a: >\n  folded\n  text\n\n  para\n',
      'a: >-\n  x\n\n\n  y\n   z\n\n   w\n  v\n',
      'a: >+\n  keep\n\n---\nb: 1\n',
      'a: |+\n  keep\n\nb: 1',
      'a: |+\n  keep\n\n  ',
      'a: |-\n    word\n\n      \n    more\n',
      'a: >\n\n  leading blank\n    more\n  back\nb: >-\n  # not a comment\n',
      'a:\n  - >\n    item\n    text\n  - k: >- # c\n      v\n',
      // plain scalars over several lines
      'a: one\n  two\n\n  three\nb:\n  next line\n  and more\n',
      'a:\n- foo\n bar\n- baz\n',
      // flow collections (JSON-like test logs)
      'Log:\n  {\n    "id": "x",\n    "n": 3, "ok": true, "x": null, "list": ["a", \'b\', c],\n    "o": { "k": -1.5e3, },\n  }\nnext: 1\n',
      'a: [1, 2]\nb: []\nc: {}\nd: [ ]\ne: [a, [b, [c]], {k: v}]   # comment\n',
      'a:\n  - [b,\n   c]\n  - {"x":1, y: 2, "z" : 3,}\n',
      'a: {"a": 1\n  }\nb: [1,\n\n  2]\n',
      'a: ["\\u00e9\\t", \'it\'\'s\', -1, .5, 0x1F, 2023-01-01]\n',
    ];
    for (const t of texts) compare(t);
    expect(compare('title: x\nlist:\n  - a\n')).toBe('same');
  });

  test('what it leaves to the full reader', () => {
    for (const t of [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      'a: 1\na: 2\n',
      '1: a\n1.0: b\n',
      'a: plain # comment\n  continued\n',
      'a: plain\n  # comment\n  continued\n',
      'a: plain\n  - continued\n',
      'a: plain\n  key: value\n',
      'a: >2\n   explicit\n',
      'a: >\n  x\n   \n  y\n',
      'a: >+\n\n',
      'a:\n  >\n   own line\n',
      'a: [a: b]\n',
      'a: [a:1]\n',
      'a: {a:1}\n',
      'a: {a, b: 1}\n',
      'a: {a: 1, a: 2}\n',
      'a: {a: }\n',
      'a: [1,,2]\n',
      'a: [&x 1, *x]\n',
      'a: [!!str 1]\n',
      'a: [? a]\n',
      'a: [1 # c\n  ]\n',
      'a: [x]# c\n',
      'a: [x] b\n',
      'a: [\nb]\n',
      'a: [1\n]\n',
      'a: [a\n  b]\n',
      'a: ["multi\n  line"]\n',
      '[a]: 1\n',
      'a: [1]\n  b\n',
      'a:\tb\n',
      '%YAML 1.2\n---\na: 1\n',
      '---#\ntitle: T\n',
      'a: b: c\n',
      '- root sequence\n',
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
      // Words, spaces and line breaks: long ones get folded (plain over lines, `>` scalars).
      fc.array(fc.constantFrom('word', 'yes', '1', ' ', '  ', '\n', '\n\n', '\n  more', ' #', ':', '- '), { maxLength: 12 }).map((w) => w.join('')),
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
      blockQuote: fc.constantFrom(true, false, 'literal' as const, 'folded' as const),
      defaultStringType: fc.constantFrom('PLAIN', 'QUOTE_SINGLE', 'QUOTE_DOUBLE' as const),
      lineWidth: fc.constantFrom(80, 20),
      minContentWidth: fc.constantFrom(20, 0),
    });
    let taken = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 }), styles, fc.boolean(), (doc, style, twoDocs) => {
        let text = stringify(doc, style as never);
        if (twoDocs) text = `${text}---\n${text}`;
        if (compare(text) === 'same') taken++;
        compare(text, '1.2');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
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

  test('JSON-like flow logs (property)', () => {
    // Test logs the way Panther rules write them: JSON (or YAML flow) under a key, on its line
    // or the next, spread over lines or not, with trailing commas here and there.
    const key = fc.constantFrom('id', 'type', 'a b', 'n', 'x-y', '1', 'true', 'null', 'k:v', '#', "it's", 'é');
    const scalar = fc.oneof(
      fc.string({ maxLength: 8 }),
      fc.constantFrom('yes', '~', '010', '1e3', '-1', '.5', '0x1F', '2023-01-01', 'a b', 'a:b', 'a: b', 'a#b', '-', '- a', '? a', '[x]', "'", '"', '\\', '\t'),
      fc.integer(),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(key, tie('v'), { maxKeys: 4 })),
    })).v;
    const layout = fc.record({
      spread: fc.boolean(),
      nextLine: fc.boolean(),
      trailingCommas: fc.boolean(),
      quote: fc.constantFrom('json', 'single', 'plain' as const),
      indent: fc.constantFrom(2, 4),
      closingIndent: fc.constantFrom(0, 1, 2),
    });
    let taken = 0;
    fc.assert(
      fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), layout, (log, style) => {
        const text = `Tests:\n  - Name: t\n    Log:${flowLog(log, style)}\n    Next: 1\n`;
        if (compare(text, '1.2') === 'same') taken++;
        compare(text, '1.1');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 2000) },
    );
    expect(taken).toBeGreaterThan(200);
  });

  test('mutated folded scalars and flow logs (property)', () => {
    const base =
      'Description: >\n  Folded\n  text\n\n    more\n  end\nRunbook: >-\n  x\nTests:\n  - Name: t\n    Log:\n      {\n        "id": "a\\"b",\n        "n": 3, "ok": true,\n        "list": ["a", \'b\', c],\n        "o": { "k": null, },\n      }\n  - Log: [1, 2] # c\n';
    expect(compare(base, '1.2')).toBe('same');
    const pieces = fc.constantFrom(' ', '  ', '\n', '\n\n', '>', '>-', '>+', '|+', '{', '}', '[', ']', ',', ', ', ':', ': ', '"', "'", '#', ' #', '- ', 'x', '\n  ', '&a ', '*a', '!t ', '? ');
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(base.length), fc.nat(3), pieces), { minLength: 1, maxLength: 4 }), (edits) => {
        const text = mutate(base, edits);
        compare(text, '1.2');
        compare(text);
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

  test.skipIf(!hasPanther)('mutated Panther rules (property)', () => {
    const texts = discoverRuleFiles([PANTHER_RULES])
      .files.filter((_, i) => i % 10 === 0)
      .map((f) => readFileSync(f, 'utf8'));
    const pieces = fc.constantFrom(' ', '  ', '\n', '- ', ': ', ' #', "'", '"', '>', '>-', '|', '{', '}', '[', ']', ',', '\n  ', '\n\n', 'yes', "''");
    fc.assert(
      fc.property(fc.nat(texts.length - 1), fc.array(fc.tuple(fc.nat(8000), fc.nat(3), pieces), { minLength: 1, maxLength: 3 }), (n, edits) => {
        compare(mutate(texts[n]!, edits), '1.2');
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 1000) },
    );
  });

  test.skipIf(!hasPanther)('every Panther rule file reads the same either way', () => {
    const files = discoverRuleFiles([PANTHER_RULES]).files;
    let same = 0;
    for (const file of files) if (compare(readFileSync(file, 'utf8'), '1.2') === 'same') same++;
    console.log(`fast reader took ${same} of ${files.length} Panther files`);
    expect(same / files.length).toBeGreaterThan(0.95);
  });
});

interface FlowLayout {
  /** One entry a line (JSON.stringify's layout), or all on the key's line. */
  spread: boolean;
  /** The log on the line after its key (as Panther writes it) rather than on the key's line. */
  nextLine: boolean;
  trailingCommas: boolean;
  /** How strings are written: JSON, single-quoted, or plain where that reads back the same. */
  quote: 'json' | 'single' | 'plain';
  indent: number;
  /** Extra indentation of the lines after the first (0 puts them at the key's column: an error). */
  closingIndent: number;
}

/** A value as a flow collection under a key at column 4 (for the property test). */
function flowLog(log: unknown, style: FlowLayout): string {
  const write = (v: unknown, depth: number): string => {
    if (v === null || typeof v !== 'object') return typeof v === 'string' ? quoteString(v, style.quote) : JSON.stringify(v);
    const entries = Array.isArray(v) ? v.map((x) => write(x, depth + 1)) : Object.entries(v).map(([k, x]) => `${quoteString(k, style.quote)}: ${write(x, depth + 1)}`);
    const [open, close] = Array.isArray(v) ? ['[', ']'] : ['{', '}'];
    if (entries.length === 0) return open + close;
    const comma = style.trailingCommas ? ',' : '';
    if (!style.spread) return `${open}${entries.join(', ')}${comma}${close}`;
    const pad = ' '.repeat(style.indent * (depth + 1));
    return `${open}\n${entries.map((e) => pad + e).join(',\n')}${comma}\n${' '.repeat(style.indent * depth)}${close}`;
  };
  const base = 4 + style.closingIndent;
  const body = write(log, 0).replace(/\n/g, `\n${' '.repeat(base + (style.nextLine ? 2 : 0))}`);
  return style.nextLine ? `\n${' '.repeat(base + 2)}${body}` : ` ${body}`;
}

function quoteString(s: string, quote: FlowLayout['quote']): string {
  if (quote === 'single' && !/[\n\\]/.test(s)) return `'${s.replace(/'/g, "''")}'`;
  if (quote === 'plain' && /^[a-z][a-z0-9 ._-]*$/i.test(s) && !/ $/.test(s)) return s;
  return JSON.stringify(s);
}

describe('aliases (full reader)', () => {
  const tree = (text: string) => parseYamlDocuments(text, { version: '1.2' })[0]!;
  const plain = (node: unknown): unknown => {
    const n = node as { kind: string; value?: unknown; items?: unknown[]; entries?: Array<{ key: string; value: unknown }> };
    if (n.kind === 'scalar') return n.value;
    if (n.kind === 'seq') return n.items!.map(plain);
    return Object.fromEntries(n.entries!.map((e) => [e.key, plain(e.value)]));
  };

  test('an alias stands for the last node before it with its anchor, as the yaml package resolves it', () => {
    const text = ['a: &x {v: 1}', 'b: *x', 'c: &x [2, 3]', 'd: *x', 'e: {inner: *x}'].join('\n');
    expect(plain(tree(text).tree)).toEqual({ a: { v: 1 }, b: { v: 1 }, c: [2, 3], d: [2, 3], e: { inner: [2, 3] } });
  });

  test('an alias before its anchor is an error', () => {
    const doc = tree(['a: *x', 'b: &x 1'].join('\n'));
    expect(doc.tree).toBeUndefined();
    expect(doc.diagnostics.map((d) => d.code)).toContain('yaml-syntax');
  });
});

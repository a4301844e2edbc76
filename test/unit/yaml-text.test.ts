// The YAML the backends write reads back as the data it was written from.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { parse } from 'yaml';
import { yamlText, type YamlValue } from '../../src/backends/yaml-text.js';

const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'B', ' ', '\n', '\t', ':', '#', '-', '"', "'", '\\', '|', '>', '{', '[', '*', '&', '!', '%', '@', '`', '\r', '\u0001', '\u0085', 'é', '☃') }),
  fc.constantFrom('true', 'no', 'null', '~', '1.5', '0x10', '', ' lead', 'trail ', 'a\n', '\nb', 'k: v', 'x #y'),
);
const key = fc.oneof(fc.string({ unit: fc.constantFrom('a', 'b', '_', ' ', ':', '-', '1') , minLength: 1, maxLength: 6 }), text);
const value: fc.Arbitrary<YamlValue> = fc.letrec<{ v: YamlValue }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(key, tie('v'), { maxKeys: 3 }),
  ),
})).v;

test('yamlText output parses back to the same data', () => {
  fc.assert(
    fc.property(fc.dictionary(key, value, { minKeys: 1, maxKeys: 4 }), (data) => {
      expect(parse(yamlText(data), { version: '1.2' })).toEqual(data);
    }),
    { numRuns: 500 },
  );
});

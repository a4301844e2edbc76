// Random condition texts for property tests: leaves joined by and / or / not, in the
// condition language parseConditionText reads.
import fc from 'fast-check';

export function conditionTexts(leaf: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small' },
      leaf,
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x} and ${y})`),
      fc.tuple(tie('e'), tie('e')).map(([x, y]) => `(${x} or ${y})`),
      tie('e').map((x) => `not (${x})`),
    ),
  })).e;
}

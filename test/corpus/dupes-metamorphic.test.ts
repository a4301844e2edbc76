// Metamorphic acceptance of `dupes` on the SigmaHQ corpus: every rule is disguised by rewrites
// that keep its meaning (dupes must call the variant equivalent to it) and by rewrites that
// narrow it (dupes must call the variant subsumed-by it), and the variants are checked against
// the whole corpus through the same blocking the command uses.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, test } from 'vitest';
import { findDuplicates } from '../../src/dupes/analyse.js';
import { comparable, type Comparable } from '../../src/dupes/comparable.js';
import type { Relation } from '../../src/dupes/relate.js';
import { taxonomy } from '../../src/dupes/taxonomy.js';
import { attackTable } from '../../src/attack/table.js';
import { readSigmaText } from '../../src/formats/sigma/index.js';
import { discoverRuleFiles } from '../../src/load/discover.js';
import { hasSigmaHQ, SIGMAHQ_RULE_DIRS } from '../helpers/corpus.js';
import { NARROWING, PRESERVING, variantOf, type Rewrite } from '../helpers/sigma-variants.js';

const names = taxonomy();
const attack = attackTable();

function read(path: string, text: string): Comparable | undefined {
  const results = readSigmaText(path, text, { attack });
  const rule = results.length === 1 ? results[0]!.rule : undefined;
  return rule && results[0]!.ok ? comparable(rule, names) : undefined;
}

interface Outcome {
  variants: number;
  found: Map<Relation | 'missed', number>;
  misses: string[];
}

describe.skipIf(!hasSigmaHQ)('dupes metamorphic (SigmaHQ)', () => {
  const originals: Array<{ path: string; text: string; rule: Comparable }> = [];
  beforeAll(() => {
    for (const path of discoverRuleFiles(SIGMAHQ_RULE_DIRS).files) {
      const text = readFileSync(path, 'utf8');
      const rule = read(path, text);
      if (rule) originals.push({ path, text, rule });
    }
  });

  function check(rewrite: Rewrite): Outcome {
    const corpus = originals.map((o) => o.rule);
    const origin: number[] = [];
    for (const [i, o] of originals.entries()) {
      const text = variantOf(o.text, rewrite);
      const variant = text === undefined ? undefined : read(`${o.path}.variant`, text);
      if (!variant) continue;
      origin[corpus.length] = i;
      corpus.push(variant);
    }
    const isNew = (i: number) => i >= originals.length;
    const { findings } = findDuplicates(corpus, { minScore: 0.8, isNew });
    const relation = new Map<number, Relation>();
    for (const f of findings) if (origin[f.first] === f.second) relation.set(f.first, f.relation);
    const outcome: Outcome = { variants: corpus.length - originals.length, found: new Map(), misses: [] };
    for (let i = originals.length; i < corpus.length; i++) {
      const r = relation.get(i) ?? 'missed';
      outcome.found.set(r, (outcome.found.get(r) ?? 0) + 1);
      if (r === 'missed' || r === 'overlap' || r === 'subsumes') outcome.misses.push(`${r}: ${originals[origin[i]!]!.path}`);
    }
    return outcome;
  }

  const summary = (name: string, o: Outcome) =>
    `${name}: ${o.variants} variants; ${[...o.found].map(([r, n]) => `${r} ${n}`).join(', ')}${o.misses.length ? `; e.g. ${o.misses.slice(0, 3).join('; ')}` : ''}`;

  for (const [name, rewrite] of Object.entries(PRESERVING)) {
    test(`meaning kept (${name}): every variant is equivalent`, () => {
      const o = check(rewrite);
      console.log(summary(name, o));
      expect(o.variants).toBeGreaterThan(100);
      expect(o.found.get('equivalent')).toBe(o.variants);
    });
  }

  for (const [name, rewrite] of Object.entries(NARROWING)) {
    test(`narrowed (${name}): at least 95% of the variants are subsumed-by their rule`, () => {
      const o = check(rewrite);
      console.log(summary(name, o));
      expect(o.variants).toBeGreaterThan(100);
      // Equivalent is right too where the rewrite dropped a value the others already cover.
      const right = (o.found.get('subsumed-by') ?? 0) + (o.found.get('equivalent') ?? 0);
      expect(right / o.variants).toBeGreaterThanOrEqual(0.95);
    });
  }
});

// The duplicate check over a corpus: block by log source, pick candidate pairs, relate each,
// keep what is worth reporting.

import { blocksOf, candidatePairs } from './candidates.js';
import type { Comparable } from './comparable.js';
import { explain, relate, type PairRelation } from './relate.js';

export interface DupesOptions {
  /** Overlaps scoring below this are not findings; equivalence and subsumption always are. */
  minScore: number;
  /** Compare only pairs with at least one rule for which this holds (the rules under review). */
  isNew?: (index: number) => boolean;
  onProgress?: (done: number, total: number) => void;
}

export interface Finding extends PairRelation {
  /** The rule under review where there is one; otherwise the one read first. */
  first: number;
  second: number;
  logSource: string;
}

export interface Analysis {
  findings: Finding[];
  /** Pairs whose relation was decided. */
  candidatePairs: number;
  logSources: number;
}

export function findDuplicates(corpus: Comparable[], options: DupesOptions): Analysis {
  const blocks = blocksOf(corpus);
  const findings: Finding[] = [];
  const decided = new Set<number>();
  let candidates = 0;
  blocks.forEach((block, b) => {
    options.onProgress?.(b, blocks.length);
    const n = block.members.length;
    const weights = new Map<string, number>();
    for (const [key, rules] of block.postings) weights.set(key, Math.log(1 + n / rules.length));
    const weight = (key: string) => weights.get(key) ?? Math.log(1 + n);
    for (const [i, j] of candidatePairs(block, corpus, options.isNew)) {
      // A rule of several log sources meets another in each it shares: decide the pair once.
      const id = i * corpus.length + j;
      if (decided.has(id)) continue;
      decided.add(id);
      candidates++;
      const [first, second] = options.isNew && !options.isNew(i) && options.isNew(j) ? [j, i] : [i, j];
      const related = relate(corpus[first]!, corpus[second]!, weight);
      if (related.relation === 'overlap' && related.score < options.minScore) continue;
      findings.push({ ...related, ...explain(corpus[first]!, corpus[second]!), first, second, logSource: block.logSource });
    }
  });
  options.onProgress?.(blocks.length, blocks.length);
  findings.sort((x, y) => x.first - y.first || x.second - y.second);
  return { findings, candidatePairs: candidates, logSources: blocks.length };
}

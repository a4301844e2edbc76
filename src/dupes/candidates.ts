// Which pairs of rules are worth deciding: blocking, so that a corpus compared with itself
// costs far less than every pair. Within one log source, an inverted index maps each
// indicator to the rules testing it, and a pair is a candidate when
//
// - they share a rare indicator (tested by few rules of the log source), which any pair with a
//   high overlap score does, or a rare word of a value of one field (`mimikatz` in
//   `eq "mimikatz.exe"` and `contains "mimikatz"`), which pairs differing in values only have; or
// - one rule holds the rarest literal of a branch of the other. If a ⇒ b as implies.ts shows
//   it, every branch of b has each literal implied by one of a's: for the literal of b with
//   the fewest rules that is, in practice, the same test (or the same value in a larger list).
//
// Implications between values sharing no word (`contains "ab"` ⇒ `contains "b"`) are decided
// only when a pair is a candidate for another reason; docs/dupes.md says so.

import type { Comparable } from './comparable.js';
import { literalKeys } from './comparable.js';

export interface Block {
  logSource: string;
  /** Indexes into the corpus. */
  members: number[];
  /** Rules of the block testing each indicator, or a word in a value of a field. */
  postings: Map<string, number[]>;
}

/** Indicators tested by at most this many rules of a log source count as rare (and at least this). */
const MIN_RARE = 8;

export function blocksOf(corpus: Comparable[]): Block[] {
  const bySource = new Map<string, number[]>();
  corpus.forEach((c, i) => {
    for (const source of c.logSources) {
      const list = bySource.get(source);
      if (list) list.push(i);
      else bySource.set(source, [i]);
    }
  });
  return [...bySource.keys()].sort().map((logSource) => {
    const members = bySource.get(logSource)!;
    const postings = new Map<string, number[]>();
    for (const i of members) {
      for (const key of keysOf(corpus[i]!)) {
        const list = postings.get(key);
        if (list) list.push(i);
        else postings.set(key, [i]);
      }
    }
    return { logSource, members, postings };
  });
}

/**
 * The candidate pairs of a block, each once as [i, j] with i < j. With `isNew`, only pairs
 * with at least one new rule.
 */
export function candidatePairs(block: Block, corpus: Comparable[], isNew?: (i: number) => boolean): Array<[number, number]> {
  const rare = Math.max(MIN_RARE, Math.ceil(Math.sqrt(block.members.length)));
  const df = (key: string) => block.postings.get(key)?.length ?? 0;
  const anchors = new Map<number, Set<string>>();
  const anchoredBy = new Map<string, number[]>();
  for (const i of block.members) {
    const keys = anchorKeys(corpus[i]!, df, rare);
    anchors.set(i, keys);
    if (isNew) for (const key of keys) {
      const list = anchoredBy.get(key);
      if (list) list.push(i);
      else anchoredBy.set(key, [i]);
    }
  }
  const seen = new Set<number>();
  const out: Array<[number, number]> = [];
  const n = corpus.length;
  const add = (i: number, j: number) => {
    if (i === j) return;
    const [a, b] = i < j ? [i, j] : [j, i];
    const id = a * n + b;
    if (seen.has(id)) return;
    seen.add(id);
    out.push([a, b]);
  };
  for (const i of block.members) {
    if (isNew && !isNew(i)) continue;
    for (const key of anchors.get(i)!) for (const j of block.postings.get(key) ?? []) add(i, j);
    // The other direction: rules anchored on an indicator this one has.
    if (isNew) for (const key of keysOf(corpus[i]!)) for (const j of anchoredBy.get(key) ?? []) add(i, j);
  }
  return out.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

function keysOf(rule: Comparable): Iterable<string> {
  return rule.words.size === 0 ? rule.indicators.keys() : [...rule.indicators.keys(), ...rule.words];
}

function anchorKeys(rule: Comparable, df: (key: string) => number, rare: number): Set<string> {
  const keys = new Set<string>();
  let rarest: string | undefined;
  for (const key of rule.indicators.keys()) {
    if (df(key) <= rare) keys.add(key);
    if (rarest === undefined || df(key) < df(rarest)) rarest = key;
  }
  for (const word of rule.words) if (df(word) <= rare) keys.add(word);
  if (!rule.branches) {
    if (rarest !== undefined) keys.add(rarest);
    return keys;
  }
  for (const branch of rule.branches) {
    let best: string[] | undefined;
    let bestSize = Infinity;
    for (const literal of branch) {
      const literalKeyList = literalKeys(literal);
      const size = literalKeyList.reduce((sum, k) => sum + df(k), 0);
      if (literalKeyList.length > 0 && size < bestSize) [best, bestSize] = [literalKeyList, size];
    }
    for (const key of best ?? []) keys.add(key);
  }
  return keys;
}

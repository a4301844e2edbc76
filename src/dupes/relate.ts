// The relation between two rules of one log source: equivalent, one subsuming the other, or
// an overlap scored by the indicators they share, weighted by how rare each is.

import type { Comparable, IndicatorView } from './comparable.js';
import { implies } from './implies.js';

/** Read from the first rule's side: `subsumed-by` means every event it matches, the second matches too. */
export type Relation = 'equivalent' | 'subsumes' | 'subsumed-by' | 'overlap';

export interface PairRelation {
  relation: Relation;
  /** Weighted Jaccard similarity of the two rules' indicators, 0 to 1. */
  score: number;
  shared: IndicatorView[];
  onlyFirst: IndicatorView[];
  onlySecond: IndicatorView[];
  /** Why subsumption was not decided, where it was not. */
  undecided?: string;
}

/** An indicator's weight in the score: rare ones count more (inverse document frequency). */
export type Weight = (key: string) => number;

export function relate(first: Comparable, second: Comparable, weight: Weight): Omit<PairRelation, 'shared' | 'onlyFirst' | 'onlySecond'> {
  // What a rule looks for is what makes two rules alike; exclusions (long lists of benign
  // programs many rules share) are reported but not scored, as in the catalog's indicators.
  const looksFor = (c: Comparable) => [...c.indicators.values()].some((v) => !v.exclusion);
  const scored = looksFor(first) || looksFor(second) ? (view: IndicatorView) => !view.exclusion : () => true;
  let sharedWeight = 0;
  let unionWeight = 0;
  for (const [key, view] of first.indicators) {
    if (!scored(view)) continue;
    const w = weight(key);
    unionWeight += w;
    if (second.indicators.has(key)) sharedWeight += w;
  }
  for (const [key, view] of second.indicators) if (scored(view) && !first.indicators.has(key)) unionWeight += weight(key);
  const score = unionWeight === 0 ? 1 : sharedWeight / unionWeight;
  const out: Omit<PairRelation, 'shared' | 'onlyFirst' | 'onlySecond'> = { relation: 'overlap', score };
  // Equal text is equal meaning only where the text is all the rule tests.
  if (first.text === second.text && !first.partial && !second.partial) out.relation = 'equivalent';
  else if (!first.partial && !second.partial) {
    const options = { python: first.python || second.python };
    const down = implies(first.condition, second.condition, options);
    const up = implies(second.condition, first.condition, options);
    out.relation = down && up ? 'equivalent' : down ? 'subsumed-by' : up ? 'subsumes' : 'overlap';
  } else out.undecided = first.undecided ?? second.undecided!;
  return out;
}

/** What the two rules test alike and apart, for the report of a pair worth reporting. */
export function explain(first: Comparable, second: Comparable): Pick<PairRelation, 'shared' | 'onlyFirst' | 'onlySecond'> {
  const shared: IndicatorView[] = [];
  const onlyFirst: IndicatorView[] = [];
  const onlySecond: IndicatorView[] = [];
  for (const [key, view] of first.indicators) (second.indicators.has(key) ? shared : onlyFirst).push(view);
  for (const [key, view] of second.indicators) if (!first.indicators.has(key)) onlySecond.push(view);
  return { shared, onlyFirst, onlySecond };
}

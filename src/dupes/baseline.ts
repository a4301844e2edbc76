// The baseline: pairs of rules a team has looked at and accepted, by rule id, so that a CI job
// fails only on findings that are new. A pair is accepted at a relation and anything weaker
// (an accepted overlap that becomes an equivalence fails again).

import { readFileSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { Relation } from './relate.js';

export type Level = 'equivalent' | 'subsumed' | 'overlap';

/** Strongest first: what --fail-on and the baseline compare. */
const STRENGTH: Record<Level, number> = { equivalent: 3, subsumed: 2, overlap: 1 };

export function levelOf(relation: Relation): Level {
  return relation === 'subsumes' || relation === 'subsumed-by' ? 'subsumed' : relation;
}

export function atLeast(level: Level, floor: Level): boolean {
  return STRENGTH[level] >= STRENGTH[floor];
}

export interface AcceptedPair {
  rules: [string, string];
  relation: Level;
}

export type Baseline = Map<string, Level>;

const FORMAT_KEY = 'rulebridge-dupes-baseline';

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
}

export function isAccepted(baseline: Baseline, a: string, b: string, level: Level): boolean {
  const accepted = baseline.get(pairKey(a, b));
  return accepted !== undefined && STRENGTH[level] <= STRENGTH[accepted];
}

export function readBaseline(path: string): { baseline: Baseline; pairs: AcceptedPair[] } | { error: Diagnostic } {
  const fail = (message: string) => ({ error: diagnostic('invalid-baseline', message, { path }) });
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return fail(`cannot read the baseline: ${(error as Error).message}`);
  }
  const record = data as { [FORMAT_KEY]?: unknown; accepted?: unknown };
  if (record === null || typeof record !== 'object' || record[FORMAT_KEY] !== 1 || !Array.isArray(record.accepted)) {
    return fail(`a baseline is a JSON object with "${FORMAT_KEY}": 1 and an "accepted" list (rulebridge dupes --write-baseline writes one)`);
  }
  const baseline: Baseline = new Map();
  const pairs: AcceptedPair[] = [];
  for (const [i, entry] of record.accepted.entries()) {
    const e = entry as { rules?: unknown; relation?: unknown };
    const ok =
      e !== null && typeof e === 'object' && Array.isArray(e.rules) && e.rules.length === 2 && e.rules.every((id) => typeof id === 'string') &&
      typeof e.relation === 'string' && e.relation in STRENGTH;
    if (!ok) return fail(`accepted[${i}] must be {"rules": [<id>, <id>], "relation": "equivalent" | "subsumed" | "overlap"}`);
    const pair: AcceptedPair = { rules: e.rules as [string, string], relation: e.relation as Level };
    const key = pairKey(...pair.rules);
    const known = baseline.get(key);
    if (!known || STRENGTH[pair.relation] > STRENGTH[known]) baseline.set(key, pair.relation);
    pairs.push(pair);
  }
  return { baseline, pairs };
}

/** The baseline text accepting these pairs: sorted, one pair per line, so that its diffs review well. */
export function baselineText(pairs: AcceptedPair[]): string {
  const strongest = new Map<string, AcceptedPair>();
  for (const p of pairs) {
    const rules = [...p.rules].sort() as [string, string];
    const key = pairKey(...rules);
    const known = strongest.get(key);
    if (!known || STRENGTH[p.relation] > STRENGTH[known.relation]) strongest.set(key, { rules, relation: p.relation });
  }
  const lines = [...strongest.values()]
    .sort((a, b) => (a.rules[0] < b.rules[0] ? -1 : a.rules[0] > b.rules[0] ? 1 : a.rules[1] < b.rules[1] ? -1 : a.rules[1] > b.rules[1] ? 1 : 0))
    .map((p) => `    ${JSON.stringify(p)}`);
  return `{\n  "${FORMAT_KEY}": 1,\n  "accepted": [\n${lines.join(',\n')}${lines.length ? '\n' : ''}  ]\n}\n`;
}

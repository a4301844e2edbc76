// ATT&CK coverage over a corpus: for each tactic and technique, the rules that cover it, from
// each rule's own coverage (its tags or Reports, resolved by the front ends).

import type { AttackTable } from '../attack/table.js';
import type { AttackCoverage } from '../ast/rule.js';
import { PLATFORMS, type AttackIndex, type Platform, type RuleRef, type TacticEntry, type TechniqueEntry } from './model.js';
import { compareText } from './slug.js';

/** Columns of the Enterprise matrix, left to right: the table itself keeps tactics by id only. */
const MATRIX_ORDER = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
];

interface TacticAcc {
  id: string;
  name: string;
  shortname: string;
  rules: RuleRef[];
  techniques: Map<string, { id: string; name?: string; rules: RuleRef[] }>;
}

interface TechniqueAcc {
  id: string;
  name?: string;
  tactics: Set<string>;
  rules: RuleRef[];
}

/** `rules` in catalog order; every list of rules keeps that order. */
export function attackCoverage(rules: ReadonlyArray<{ ref: RuleRef; attack: AttackCoverage }>, table: AttackTable): AttackIndex {
  const tactics = new Map<string, TacticAcc>();
  for (const t of table.tactics.values()) tactics.set(t.id, { id: t.id, name: t.name, shortname: t.shortname, rules: [], techniques: new Map() });
  const techniques = new Map<string, TechniqueAcc>();

  for (const rule of rules) {
    const ref = rule.ref;
    for (const t of rule.attack.tactics) {
      let acc = tactics.get(t.id);
      if (!acc) tactics.set(t.id, (acc = { id: t.id, name: t.name, shortname: t.shortname, rules: [], techniques: new Map() }));
      acc.rules.push(ref);
    }
    for (const technique of rule.attack.techniques) {
      const name = technique.name ?? table.techniques.get(technique.id)?.name;
      let acc = techniques.get(technique.id);
      if (!acc) techniques.set(technique.id, (acc = name ? { id: technique.id, name, tactics: new Set(), rules: [] } : { id: technique.id, tactics: new Set(), rules: [] }));
      acc.rules.push(ref);
      for (const tacticId of technique.tactics) {
        acc.tactics.add(tacticId);
        const tactic = tactics.get(tacticId);
        if (!tactic) continue;
        let under = tactic.techniques.get(technique.id);
        if (!under) tactic.techniques.set(technique.id, (under = name ? { id: technique.id, name, rules: [] } : { id: technique.id, rules: [] }));
        under.rules.push(ref);
      }
    }
  }

  const order = (id: string) => {
    const shortname = tactics.get(id)?.shortname ?? '';
    const at = MATRIX_ORDER.indexOf(shortname);
    return at < 0 ? MATRIX_ORDER.length : at;
  };
  const byMatrix = (a: string, b: string) => order(a) - order(b) || compareText(a, b);

  const tacticEntries: TacticEntry[] = [...tactics.values()]
    .sort((a, b) => byMatrix(a.id, b.id))
    .map((t) => ({
      id: t.id,
      name: t.name,
      shortname: t.shortname,
      slug: t.shortname || t.id.toLowerCase(),
      count: t.rules.length,
      rules: t.rules,
      techniques: [...t.techniques.values()].sort((a, b) => compareText(a.id, b.id)).map((x) => ({ ...x, count: x.rules.length })),
    }));

  const techniqueEntries: TechniqueEntry[] = [...techniques.values()]
    .sort((a, b) => compareText(a.id, b.id))
    .map((t) => {
      const entry: TechniqueEntry = {
        id: t.id,
        slug: t.id.toLowerCase().replace(/\./g, '-'),
        tactics: [...t.tactics].sort(byMatrix),
        count: t.rules.length,
        byPlatform: countByPlatform(t.rules),
        rules: t.rules,
      };
      if (t.name) entry.name = t.name;
      return entry;
    });

  return { version: table.version, tactics: tacticEntries, techniques: techniqueEntries };
}

function countByPlatform(rules: readonly RuleRef[]): Record<Platform, number> {
  const counts = Object.fromEntries(PLATFORMS.map((p) => [p, 0])) as Record<Platform, number>;
  for (const r of rules) counts[r.platform]++;
  return counts;
}

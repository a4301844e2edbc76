// Where a rule's events come from, as one key per log source that both platforms share, and
// its field names in one spelling for that log source.
//
// A log source is a family of the action table where one applies (a Sigma CloudTrail rule and
// a Panther AWS.CloudTrail rule are both `aws.cloudtrail`), otherwise the rule's own log
// source (`sigma:windows/process_creation/`, `panther:crowdstrike.fdrevent`). Field names
// compare ignoring case, as Panther looks event keys up; the family's operation fields, which
// the action table lists under several names, become one; values of fields written in one
// spelling (the operation field, data/identifiers.yml) compare ignoring case.

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { Rule } from '../ast/rule.js';
import { shippedActionTable, type ActionFamily, type ActionTable } from '../catalog/action-table.js';
import { candidatesByField } from '../catalog/actions.js';

export interface RuleTaxonomy {
  /** The rule's log-source keys, sorted; rules are compared only when they share one. */
  logSources: string[];
  /** A field name (as the rule writes it) in the taxonomy's spelling. */
  field(name: string): string;
  /** Whether the field's values come in one spelling, so that case does not tell them apart. */
  oneSpelling(normalizedField: string): boolean;
}

export interface Taxonomy {
  of(rule: Rule): RuleTaxonomy;
}

export function taxonomy(actions: ActionTable = shippedActionTable(), identifiers: Record<string, string[]> = shippedIdentifiers()): Taxonomy {
  const byFamily = new Map(Object.entries(identifiers).map(([family, fields]) => [family, new Set(fields.map((f) => f.toLowerCase()))]));
  const cache = new Map<string, RuleTaxonomy>();
  return {
    of(rule) {
      const key = JSON.stringify([rule.source.format, rule.logsource.product, rule.logsource.category, rule.logsource.service, rule.logsource.logTypes]);
      let found = cache.get(key);
      if (!found) cache.set(key, (found = resolve(actions, byFamily, rule)));
      return found;
    },
  };
}

function resolve(actions: ActionTable, identifiers: Map<string, Set<string>>, rule: Rule): RuleTaxonomy {
  const byField = candidatesByField(actions, rule);
  const families = new Map<string, ActionFamily>();
  const renames = new Map<string, string>();
  for (const [field, candidates] of byField) {
    for (const candidate of candidates) families.set(candidate.id, candidate.family);
    // Operation fields read under several names become the family's own one.
    renames.set(field, operationField(candidates[0]!.family));
  }
  const oneSpelling = new Set(renames.values());
  for (const family of families.values()) for (const f of identifiers.get(family.id) ?? []) oneSpelling.add(f);
  const logSources = families.size > 0 ? [...families.keys()].sort() : ownLogSources(rule);
  return {
    logSources,
    field: (name) => {
      const lower = name.toLowerCase();
      return renames.get(lower) ?? lower;
    },
    oneSpelling: (field) => oneSpelling.has(field),
  };
}

/** The name a family's operation field goes by: the Panther log's own where there is one. */
function operationField(family: ActionFamily): string {
  const source = family.sources.find((s) => s.platform === 'panther') ?? family.sources[0]!;
  return source.fields[0]!.toLowerCase();
}

function ownLogSources(rule: Rule): string[] {
  const ls = rule.logsource;
  if (rule.source.format === 'panther') return [...new Set((ls.logTypes ?? []).map((t) => `panther:${t.toLowerCase()}`))].sort();
  return [`sigma:${[ls.product, ls.category, ls.service].map((v) => (v ?? '').toLowerCase()).join('/')}`];
}

let shipped: Record<string, string[]> | undefined;

function shippedIdentifiers(): Record<string, string[]> {
  if (shipped) return shipped;
  const data = parseYaml(readFileSync(new URL('./data/identifiers.yml', import.meta.url), 'utf8')) as unknown;
  const ok = data !== null && typeof data === 'object' && Object.values(data).every((v) => Array.isArray(v) && v.every((f) => typeof f === 'string'));
  // A broken shipped file is a bug of rulebridge, caught by the tests.
  if (!ok) throw new Error('shipped identifiers table (src/dupes/data/identifiers.yml) must map family ids to lists of field names');
  shipped = data as Record<string, string[]>;
  return shipped;
}

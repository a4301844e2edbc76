// The catalog's index pages other than ATT&CK: rules by platform, by log source, by severity.

import type { Level, LogSource, Rule } from '../ast/rule.js';
import { PLATFORMS, type FacetEntry, type RuleRef } from './model.js';
import { assignSlugs, compareText } from './slug.js';

const LEVELS: readonly Level[] = ['informational', 'low', 'medium', 'high', 'critical'];
const NO_LEVEL = 'none';

interface Listed {
  ref: RuleRef;
  rule: Rule;
}

/** Facet keys of a rule's log source: one for a Sigma log source, one per Panther log type. */
export function logSourceKeys(rule: Rule): Array<{ key: string; label: string }> {
  const ls = rule.logsource;
  if (rule.source.format === 'panther') {
    const types = ls.logTypes ?? [];
    if (types.length === 0) return [{ key: 'panther:', label: '(no log type)' }];
    return [...new Set(types)].map((t) => ({ key: `panther:${t}`, label: t }));
  }
  const parts = [ls.product, ls.category, ls.service].map((p) => p?.toLowerCase() ?? '');
  const label = parts.filter((p) => p !== '').join(' / ');
  return [{ key: `sigma:${parts.join('/')}`, label: label || '(no log source)' }];
}

export function platformFacet(rules: readonly Listed[]): FacetEntry[] {
  return PLATFORMS.map((platform) => {
    const refs = rules.filter((r) => r.ref.platform === platform).map((r) => r.ref);
    return { key: platform, label: platform === 'sigma' ? 'Sigma' : 'Panther', slug: platform, count: refs.length, rules: refs };
  });
}

export function severityFacet(rules: readonly Listed[]): FacetEntry[] {
  const by = new Map<string, RuleRef[]>([...LEVELS, NO_LEVEL].map((l) => [l, []]));
  for (const r of rules) by.get(r.rule.level ?? NO_LEVEL)!.push(r.ref);
  return [...by].map(([level, refs]) => ({ key: level, label: level === NO_LEVEL ? '(no severity)' : level, slug: level, count: refs.length, rules: refs }));
}

export function logSourceFacet(rules: readonly Listed[]): FacetEntry[] {
  const by = new Map<string, { label: string; rules: RuleRef[] }>();
  for (const r of rules) {
    for (const { key, label } of logSourceKeys(r.rule)) {
      const entry = by.get(key);
      if (entry) entry.rules.push(r.ref);
      else by.set(key, { label, rules: [r.ref] });
    }
  }
  const slugs = assignSlugs(new Map([...by].map(([key, e]) => [key, `${key.slice(0, key.indexOf(':'))} ${e.label}`])), 'logsource');
  return [...by]
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, e]) => ({ key, label: e.label, slug: slugs.get(key)!, count: e.rules.length, rules: e.rules }));
}

// The client-side search index, written as a script (`search-data.js`) rather than JSON: a page
// opened from file:// may not fetch files, but it may load scripts. It is kept small for
// corpora of thousands of rules: what many rules share (field names, technique names, filter
// labels) is listed once and referred to by number, and each rule's free text (description
// start, tested values) is capped.
//
// Filter lists are in the order the home page renders its <select> options, which use the
// same numbers (see searchFilters).

import type { CatalogIndex, CatalogRule } from '../model.js';
import { compareText } from '../slug.js';

/** Bumped when templates/site/assets/search.js must change with the data. */
export const SEARCH_DATA_FORMAT = 1;

const DESCRIPTION_CHARS = 240;
const VALUE_CHARS = 64;
const VALUES_CHARS = 480;

export interface SearchFilters {
  platforms: Array<{ key: string; label: string }>;
  tactics: Array<{ key: string; label: string }>;
  severities: Array<{ key: string; label: string }>;
  logsources: Array<{ key: string; label: string }>;
}

/** The filter choices: platforms and severities as the index orders them; covered tactics in matrix order; log sources by label. */
export function searchFilters(index: CatalogIndex): SearchFilters {
  return {
    platforms: index.facets.platforms.filter((f) => f.count > 0).map((f) => ({ key: f.key, label: f.label })),
    tactics: index.attack.tactics.filter((t) => t.count > 0).map((t) => ({ key: t.id, label: t.name })),
    severities: index.facets.severities.filter((f) => f.count > 0).map((f) => ({ key: f.key, label: f.label })),
    logsources: [...index.facets.logsources].sort((a, b) => compareText(a.label, b.label) || compareText(a.key, b.key)).map((f) => ({ key: f.key, label: f.label })),
  };
}

/**
 * `window.rulebridgeSearch = {...}`. Each rule is
 * `[slug, title, id, platform, severity, [tactics], [logsources], [techniques], [fields], text]`
 * with numbers into the lists beside it (-1: none), and text the lower-cased start of the
 * description and the values the rule tests.
 */
export function searchDataScript(index: CatalogIndex, filters: SearchFilters, techniqueName: (id: string, name: string | undefined) => string): string {
  const number = (list: Array<{ key: string }>) => new Map(list.map((e, i) => [e.key, i]));
  const platforms = number(filters.platforms);
  const tactics = number(filters.tactics);
  const severities = number(filters.severities);
  const logsources = number(filters.logsources);

  // Full names ("Account Manipulation: Additional Cloud Credentials"): a search for the parent's name finds its sub-techniques.
  const techniques = index.attack.techniques.map((t) => [t.id, techniqueName(t.id, t.name)]);
  const techniqueNumber = new Map(index.attack.techniques.map((t, i) => [t.id, i]));
  const fieldNumber = new Map<string, number>();
  const fields: string[] = [];
  const fieldOf = (name: string) => {
    let n = fieldNumber.get(name);
    if (n === undefined) {
      n = fields.length;
      fields.push(name);
      fieldNumber.set(name, n);
    }
    return n;
  };

  const rules = index.rules.map((r) => [
    r.slug,
    r.title,
    r.id,
    platforms.get(r.platform) ?? -1,
    severities.get(r.level ?? 'none') ?? -1,
    r.attack.tactics.map((t) => tactics.get(t.id)).filter((n): n is number => n !== undefined),
    r.logsources.map((k) => logsources.get(k)).filter((n): n is number => n !== undefined),
    r.attack.techniques.map((t) => techniqueNumber.get(t.id)).filter((n): n is number => n !== undefined),
    ruleFields(r).map(fieldOf),
    freeText(r),
  ]);

  const data = {
    format: SEARCH_DATA_FORMAT,
    platforms: filters.platforms.map((e) => e.label),
    tactics: filters.tactics.map((e) => e.label),
    severities: filters.severities.map((e) => e.label),
    logsources: filters.logsources.map((e) => e.label),
    techniques,
    fields,
    rules,
  };
  return `window.rulebridgeSearch = ${JSON.stringify(data)};\n`;
}

/** Fields the rule tests and emits, each once, in first-seen order. */
function ruleFields(r: CatalogRule): string[] {
  const out = new Set<string>();
  for (const i of r.indicators) if (i.written.field !== null) out.add(i.written.field);
  for (const f of r.outputFields) out.add(f.name);
  return [...out];
}

function freeText(r: CatalogRule): string {
  const description = (r.rule.description ?? '').replace(/\s+/g, ' ').trim().slice(0, DESCRIPTION_CHARS);
  const values: string[] = [];
  let size = 0;
  const seen = new Set<string>();
  for (const i of r.indicators) {
    const value = i.written.value;
    if (value === null || seen.has(value)) continue;
    seen.add(value);
    const shown = value.length > VALUE_CHARS ? value.slice(0, VALUE_CHARS) : value;
    if (size + shown.length > VALUES_CHARS) break;
    values.push(shown);
    size += shown.length + 1;
  }
  return `${description} ${values.join(' ')}`.toLowerCase().trim();
}

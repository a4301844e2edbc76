// The catalog index of a corpus: per rule its indicators with corpus counts, its actions and
// the rules detecting the same ones, its ATT&CK coverage; per indicator, action, tactic,
// technique, platform, log source and severity the rules under it; and the totals. Every step
// is a pass over the rules with hash maps: no rule is compared with another.

import { relative, sep } from 'node:path';
import type { RuleResult } from '../ast/rule.js';
import { attackTable, type AttackTable } from '../attack/table.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { shippedActionTable, type ActionTable } from './action-table.js';
import { actionReader, type FoundAction } from './actions.js';
import { attackCoverage } from './attack-coverage.js';
import { logSourceFacet, logSourceKeys, platformFacet, severityFacet } from './facets.js';
import { ruleIndicators, type IndicatorIdentity, type RuleIndicatorRow } from './indicators.js';
import {
  PLATFORMS,
  type ActionGroup,
  type CatalogIndex,
  type CatalogIndicator,
  type CatalogRule,
  type FailedEntry,
  type Platform,
  type RuleRef,
  type SameActionRule,
  type SkippedEntry,
} from './model.js';
import { assignSlugs, compareText } from './slug.js';

export type * from './model.js';
export { PLATFORMS } from './model.js';
export type { IndicatorIdentity } from './indicators.js';
export { readActionTable, shippedActionTable, type ActionTable, type ActionFamily, type ActionSource } from './action-table.js';
export { catalogJson } from './catalog-json.js';
export { attackLayer, type AttackLayerOptions } from './attack-layer.js';

export interface CatalogOptions {
  /**
   * Paths in the index (and so the rules' slugs and catalog.json) are relative to this folder,
   * with `/` separators, so that they do not depend on where the corpus was checked out.
   */
  pathBase?: string;
  /** Log source -> operation field; default: the shipped data/actions.yml. */
  actions?: ActionTable;
  /** Tactic names and order, technique names; default: the shipped ATT&CK table. */
  attack?: AttackTable;
}

interface Entry {
  result: RuleResult;
  path: string;
  document: number;
}

interface RuleWork {
  ref: RuleRef;
  entry: Entry;
  rows: RuleIndicatorRow[];
  actions: FoundAction[];
}

/**
 * The rules among `results` in the index's order (by path from `pathBase`, then document), each
 * with that path: what buildCatalogIndex lists as `rules`, for work done on the rules apart
 * from the index (the site converts them on another thread).
 */
export function catalogRuleOrder(results: readonly RuleResult[], pathBase?: string): Array<{ result: RuleResult; path: string; document: number }> {
  const pathOf = pathFrom(pathBase);
  return results
    .filter((result) => result.rule)
    .map((result) => ({ result, path: pathOf(result.path), document: result.document }))
    .sort(byPlace);
}

function pathFrom(pathBase: string | undefined): (path: string) => string {
  return (path) => (pathBase === undefined ? path : relative(pathBase, path)).split(sep).join('/');
}

export function buildCatalogIndex(results: readonly RuleResult[], options: CatalogOptions = {}): CatalogIndex {
  const table = options.attack ?? attackTable();
  const readActions = actionReader(options.actions ?? shippedActionTable());
  const pathOf = pathFrom(options.pathBase);
  const placeDiagnostic = (d: Diagnostic): Diagnostic => (d.path === undefined ? d : { ...d, path: pathOf(d.path) });

  const ruleEntries = catalogRuleOrder(results, options.pathBase);
  const failedEntries: Entry[] = [];
  const skipped: SkippedEntry[] = [];
  for (const result of results) {
    if (result.rule) continue;
    const entry: Entry = { result, path: pathOf(result.path), document: result.document };
    if (result.skipped !== undefined) skipped.push({ path: entry.path, document: result.document, reason: result.skipped });
    else failedEntries.push(entry);
  }
  failedEntries.sort(byPlace);
  skipped.sort(byPlace);

  const slugs = pageSlugs(ruleEntries, failedEntries);
  const work: RuleWork[] = ruleEntries.map((entry, i) => {
    const rule = entry.result.rule!;
    return {
      ref: { slug: slugs.rules[i]!, id: rule.id, title: rule.title, platform: rule.source.format },
      entry,
      rows: ruleIndicators(rule),
      actions: readActions(rule),
    };
  });
  const order = new Map(work.map((w, i) => [w.ref.slug, i]));

  const indicators = indexIndicators(work);
  const groups = indexActions(work);

  const rules: CatalogRule[] = work.map((w) => {
    const { result } = w.entry;
    const rule = result.rule!;
    const looksFor = new Set(w.rows.filter((r) => !r.exclusion).map((r) => r.key));
    const catalogRule: CatalogRule = {
      ...w.ref,
      kind: rule.kind,
      path: w.entry.path,
      document: result.document,
      ok: result.ok,
      extraction: rule.extraction,
      attack: rule.attack,
      logsources: logSourceKeys(rule).map((l) => l.key),
      indicators: w.rows.map((row) => {
        const indicator = indicators.byKey.get(row.key)!;
        return withIdentity(row.identity, {
          slug: indicator.slug,
          written: row.written,
          exclusion: row.exclusion,
          corpusCount: indicator.rules.length - (looksFor.has(row.key) ? 1 : 0),
        });
      }),
      actions: [...w.actions]
        .sort((a, b) => compareText(a.key, b.key))
        .map((a) => ({ family: a.family, familyTitle: a.familyTitle, field: a.field, value: a.value, group: a.key, slug: groups.byKey.get(a.key)!.slug })),
      sameAction: sameActionOf(w, groups.byKey, order),
      outputFields: rule.fields,
      diagnostics: result.diagnostics.map(placeDiagnostic),
      rule,
    };
    if (rule.level) catalogRule.level = rule.level;
    return catalogRule;
  });

  const failed: FailedEntry[] = failedEntries.map((entry, i) => ({
    slug: slugs.failed[i]!,
    path: entry.path,
    document: entry.document,
    diagnostics: entry.result.diagnostics.map(placeDiagnostic),
  }));

  const listed = work.map((w) => ({ ref: w.ref, rule: w.entry.result.rule!, attack: w.entry.result.rule!.attack }));
  const attack = attackCoverage(listed, table);
  const byPlatform = Object.fromEntries(PLATFORMS.map((p) => [p, 0])) as Record<Platform, number>;
  for (const w of work) byPlatform[w.ref.platform]++;
  // Each pair is listed on both of its rules.
  const crossPlatformPairs = rules.reduce((n, r) => n + r.sameAction.otherPlatforms.length, 0) / 2;

  return {
    rules,
    failed,
    skipped,
    indicators: indicators.list,
    actions: groups.list,
    attack,
    facets: { platforms: platformFacet(listed), logsources: logSourceFacet(listed), severities: severityFacet(listed) },
    totals: {
      inputs: results.length,
      rules: rules.length,
      failed: failed.length,
      skipped: skipped.length,
      rulesWithErrors: rules.filter((r) => !r.ok).length,
      partial: rules.filter((r) => r.extraction === 'partial').length,
      byPlatform,
      indicators: indicators.list.length,
      sharedIndicators: indicators.list.filter((i) => i.rules.length > 1).length,
      rulesWithAction: rules.filter((r) => r.actions.length > 0).length,
      actionGroups: groups.list.length,
      sharedActionGroups: groups.list.filter((g) => g.rules.length > 1).length,
      crossPlatformActionGroups: groups.list.filter((g) => g.platforms.length > 1).length,
      crossPlatformPairs,
      tactics: attack.tactics.filter((t) => t.count > 0).length,
      techniques: attack.techniques.length,
    },
  };
}

/**
 * `rest` with the identity's members. Written out rather than spread: identities come in a few
 * shapes (flags, placeholder), and spreading those is many times slower over a corpus.
 */
function withIdentity<T extends object>(identity: IndicatorIdentity, rest: T): IndicatorIdentity & T {
  const out = { field: identity.field, op: identity.op, value: identity.value, ...rest } as IndicatorIdentity & T;
  if (identity.flags !== undefined) out.flags = identity.flags;
  if (identity.placeholder) out.placeholder = true;
  return out;
}

function byPlace(a: { path: string; document: number }, b: { path: string; document: number }): number {
  return compareText(a.path, b.path) || a.document - b.document;
}

/** Page names of rules and failed documents, from what they are (platform, place) and readable by title. */
function pageSlugs(rules: readonly Entry[], failed: readonly Entry[]): { rules: string[]; failed: string[] } {
  const seen = new Map<string, number>();
  // The same file given twice is two entries: the repeat gets its own key.
  const keyOf = (kind: string, e: Entry) => {
    const base = `${kind}\u0000${e.path}\u0000${e.document}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}\u0000${n}`;
  };
  const ruleKeys = rules.map((e) => keyOf(e.result.rule!.source.format, e));
  const failedKeys = failed.map((e) => keyOf('failed', e));
  const readable = new Map<string, string>();
  rules.forEach((e, i) => readable.set(ruleKeys[i]!, `${e.result.rule!.source.format} ${e.result.rule!.title || e.result.rule!.id}`));
  failed.forEach((e, i) => readable.set(failedKeys[i]!, `failed ${e.path.slice(e.path.lastIndexOf('/') + 1).replace(/\.ya?ml$/i, '')}`));
  const slugs = assignSlugs(readable, 'rule');
  return { rules: ruleKeys.map((k) => slugs.get(k)!), failed: failedKeys.map((k) => slugs.get(k)!) };
}

function indexIndicators(work: readonly RuleWork[]): { list: CatalogIndicator[]; byKey: Map<string, CatalogIndicator> } {
  const acc = new Map<string, { identity: IndicatorIdentity; rules: RuleRef[]; excludedBy: RuleRef[] }>();
  for (const w of work) {
    for (const row of w.rows) {
      let entry = acc.get(row.key);
      if (!entry) acc.set(row.key, (entry = { identity: row.identity, rules: [], excludedBy: [] }));
      (row.exclusion ? entry.excludedBy : entry.rules).push(w.ref);
    }
  }
  const slugs = assignSlugs(new Map([...acc].map(([key, e]) => [key, `${e.identity.field ?? 'keyword'} ${e.identity.op} ${e.identity.value ?? ''}`])), 'indicator');
  const byKey = new Map<string, CatalogIndicator>();
  for (const key of [...acc.keys()].sort(compareText)) {
    const e = acc.get(key)!;
    byKey.set(key, withIdentity(e.identity, { slug: slugs.get(key)!, key, rules: e.rules, excludedBy: e.excludedBy }));
  }
  return { list: [...byKey.values()], byKey };
}

function indexActions(work: readonly RuleWork[]): { list: ActionGroup[]; byKey: Map<string, ActionGroup & { members: RuleWork[] }> } {
  const acc = new Map<string, { family: string; familyTitle: string; spellings: Map<string, number>; members: RuleWork[] }>();
  for (const w of work) {
    for (const a of w.actions) {
      let group = acc.get(a.key);
      if (!group) acc.set(a.key, (group = { family: a.family, familyTitle: a.familyTitle, spellings: new Map(), members: [] }));
      group.spellings.set(a.value, (group.spellings.get(a.value) ?? 0) + 1);
      group.members.push(w);
    }
  }
  const slugs = assignSlugs(new Map([...acc].map(([key, g]) => [key, `${g.family} ${key.slice(g.family.length + 1)}`])), 'action');
  const byKey = new Map<string, ActionGroup & { members: RuleWork[] }>();
  for (const key of [...acc.keys()].sort(compareText)) {
    const g = acc.get(key)!;
    const value = [...g.spellings].sort(([a, n], [b, m]) => m - n || compareText(a, b))[0]![0];
    const platforms = PLATFORMS.filter((p) => g.members.some((m) => m.ref.platform === p));
    byKey.set(key, { key, slug: slugs.get(key)!, family: g.family, familyTitle: g.familyTitle, value, rules: g.members.map((m) => m.ref), platforms, members: g.members });
  }
  // The members list is for building only; pages read `rules`.
  const list = [...byKey.values()].map(({ members: _members, ...group }) => group);
  return { list, byKey };
}

/**
 * Other rules in this rule's action groups. The work is the size of the answer: each group is
 * read once per member, and a rule's groups are few.
 */
function sameActionOf(w: RuleWork, groups: Map<string, { members: RuleWork[] }>, order: Map<string, number>): CatalogRule['sameAction'] {
  const others = new Map<string, SameActionRule>();
  for (const key of new Set(w.actions.map((a) => a.key))) {
    for (const member of groups.get(key)!.members) {
      if (member === w) continue;
      const seen = others.get(member.ref.slug);
      if (seen) seen.groups.push(key);
      else others.set(member.ref.slug, { rule: member.ref, groups: [key] });
    }
  }
  const sorted = [...others.values()].sort((a, b) => order.get(a.rule.slug)! - order.get(b.rule.slug)!);
  for (const s of sorted) s.groups.sort(compareText);
  return {
    samePlatform: sorted.filter((s) => s.rule.platform === w.ref.platform),
    otherPlatforms: sorted.filter((s) => s.rule.platform !== w.ref.platform),
  };
}

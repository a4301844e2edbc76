// catalog.json: the whole index as data, for tools and the site's client-side search. Rules
// are named by slug wherever a list refers to them; the same index gives the same bytes.
//
// The file must have its object keys in code-unit order (see json-text.ts). Sorting the keys of
// every one of the ~200,000 objects of a large corpus took a second, so each object here is
// built with its keys already in that order and the whole is written by one JSON.stringify,
// which keeps insertion order and leaves undefined members out, as stableJson does. A test
// holds the output to stableJson's.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IndicatorIdentity } from './indicators.js';
import type { CatalogIndex, FacetEntry, RuleRef } from './model.js';
import { compareText } from './slug.js';

/** Bumped when a consumer of the file would have to change. */
export const CATALOG_JSON_FORMAT = 1;

export interface CatalogJsonOptions {
  /** Spaces per level; 0 (the default) writes the smallest file. */
  indent?: number;
}

// Every object literal below lists its keys in code-unit order (capitals before lower case).
export function catalogJson(index: CatalogIndex, options: CatalogJsonOptions = {}): string {
  const slugs = (refs: readonly RuleRef[]) => refs.map((r) => r.slug);
  const facet = (entries: readonly FacetEntry[]) => entries.map((e) => ({ count: e.count, key: e.key, label: e.label, rules: slugs(e.rules), slug: e.slug }));
  const data = {
    actions: index.actions.map((g) => ({ family: g.family, familyTitle: g.familyTitle, key: g.key, platforms: g.platforms, rules: slugs(g.rules), slug: g.slug, value: g.value })),
    attack: {
      tactics: index.attack.tactics.map((t) => ({
        count: t.count,
        id: t.id,
        name: t.name,
        rules: slugs(t.rules),
        shortname: t.shortname,
        slug: t.slug,
        techniques: t.techniques.map((x) => ({ count: x.count, id: x.id, name: x.name ?? null, rules: slugs(x.rules) })),
      })),
      techniques: index.attack.techniques.map((t) => ({
        byPlatform: sortedKeys(t.byPlatform),
        count: t.count,
        id: t.id,
        name: t.name ?? null,
        rules: slugs(t.rules),
        slug: t.slug,
        tactics: t.tactics,
      })),
      version: index.attack.version,
    },
    facets: { logsources: facet(index.facets.logsources), platforms: facet(index.facets.platforms), severities: facet(index.facets.severities) },
    failed: index.failed.map((f) => ({ diagnostics: f.diagnostics.map((d) => diagnosticRecord(d, f.path)), document: f.document, path: f.path, slug: f.slug })),
    format: CATALOG_JSON_FORMAT,
    indicators: index.indicators.map((i) => ({
      excludedBy: slugs(i.excludedBy),
      field: i.field,
      flags: i.flags,
      op: i.op,
      placeholder: i.placeholder,
      rules: slugs(i.rules),
      slug: i.slug,
      value: i.value,
    })),
    rules: index.rules.map((r) => ({
      actions: r.actions.map((a) => ({ family: a.family, field: a.field, group: a.group, value: a.value })),
      diagnostics: r.diagnostics.map((d) => diagnosticRecord(d, r.path)),
      document: r.document,
      extraction: r.extraction,
      id: r.id,
      indicators: r.indicators.map((i) => indicatorRecord(i, { corpusCount: i.corpusCount, exclusion: i.exclusion, slug: i.slug })),
      kind: r.kind,
      level: r.level ?? null,
      logsources: r.logsources,
      ok: r.ok,
      outputFields: r.outputFields.map((f) => ({ name: f.name, source: f.source })),
      path: r.path,
      platform: r.platform,
      sameAction: { otherPlatforms: r.sameAction.otherPlatforms.map((s) => s.rule.slug), samePlatform: r.sameAction.samePlatform.map((s) => s.rule.slug) },
      slug: r.slug,
      tactics: r.attack.tactics.map((t) => t.id),
      techniques: r.attack.techniques.map((t) => ({ id: t.id, name: t.name ?? null, tactics: t.tactics })),
      title: r.title,
    })),
    skipped: index.skipped.map((s) => ({ document: s.document, path: s.path, reason: s.reason })),
    totals: sortedKeys({ ...index.totals, byPlatform: sortedKeys(index.totals.byPlatform) }),
  };
  return `${JSON.stringify(data, null, options.indent ?? 0)}\n`;
}

/** A rule's indicator: its identity with the rule's own facts, in key order. */
function indicatorRecord(i: IndicatorIdentity, own: { corpusCount: number; exclusion: boolean; slug: string }): object {
  return { corpusCount: own.corpusCount, exclusion: own.exclusion, field: i.field, flags: i.flags, op: i.op, placeholder: i.placeholder, slug: own.slug, value: i.value };
}

/** The entry names its file; a diagnostic names one only when it is another (a Panther rule's Python or helper). */
function diagnosticRecord(d: Diagnostic, entryPath: string): object {
  return { code: d.code, col: d.col ?? null, file: d.path !== undefined && d.path !== entryPath ? d.path : undefined, line: d.line ?? null, message: d.message, severity: d.severity };
}

/** A small record of named counts with its keys in code-unit order (none is integer-like). */
function sortedKeys<T extends object>(record: T): T {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => compareText(a, b))) as T;
}

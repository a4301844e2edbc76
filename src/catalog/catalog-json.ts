// catalog.json: the whole index as data, for tools and the site's client-side search. Rules
// are named by slug wherever a list refers to them; the same index gives the same bytes.

import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { stableJson } from './json-text.js';
import type { IndicatorIdentity } from './indicators.js';
import type { CatalogIndex, FacetEntry, RuleRef } from './model.js';

/** Bumped when a consumer of the file would have to change. */
export const CATALOG_JSON_FORMAT = 1;

export interface CatalogJsonOptions {
  /** Spaces per level; 0 (the default) writes the smallest file. */
  indent?: number;
}

export function catalogJson(index: CatalogIndex, options: CatalogJsonOptions = {}): string {
  const slugs = (refs: readonly RuleRef[]) => refs.map((r) => r.slug);
  const identity = (i: IndicatorIdentity) => ({ field: i.field, op: i.op, value: i.value, flags: i.flags, placeholder: i.placeholder });
  const facet = (entries: readonly FacetEntry[]) => entries.map((e) => ({ key: e.key, label: e.label, slug: e.slug, count: e.count, rules: slugs(e.rules) }));
  return stableJson(
    {
      format: CATALOG_JSON_FORMAT,
      totals: index.totals,
      rules: index.rules.map((r) => ({
        slug: r.slug,
        id: r.id,
        title: r.title,
        platform: r.platform,
        kind: r.kind,
        path: r.path,
        document: r.document,
        ok: r.ok,
        level: r.level ?? null,
        extraction: r.extraction,
        logsources: r.logsources,
        tactics: r.attack.tactics.map((t) => t.id),
        techniques: r.attack.techniques.map((t) => ({ id: t.id, name: t.name ?? null, tactics: t.tactics })),
        indicators: r.indicators.map((i) => ({ ...identity(i), slug: i.slug, exclusion: i.exclusion, corpusCount: i.corpusCount })),
        actions: r.actions.map((a) => ({ family: a.family, field: a.field, value: a.value, group: a.group })),
        sameAction: { samePlatform: r.sameAction.samePlatform.map((s) => s.rule.slug), otherPlatforms: r.sameAction.otherPlatforms.map((s) => s.rule.slug) },
        outputFields: r.outputFields.map((f) => ({ name: f.name, source: f.source })),
        diagnostics: r.diagnostics.map((d) => diagnosticRecord(d, r.path)),
      })),
      failed: index.failed.map((f) => ({ slug: f.slug, path: f.path, document: f.document, diagnostics: f.diagnostics.map((d) => diagnosticRecord(d, f.path)) })),
      skipped: index.skipped,
      indicators: index.indicators.map((i) => ({ ...identity(i), slug: i.slug, rules: slugs(i.rules), excludedBy: slugs(i.excludedBy) })),
      actions: index.actions.map((g) => ({ key: g.key, slug: g.slug, family: g.family, familyTitle: g.familyTitle, value: g.value, platforms: g.platforms, rules: slugs(g.rules) })),
      attack: {
        version: index.attack.version,
        tactics: index.attack.tactics.map((t) => ({
          id: t.id,
          name: t.name,
          shortname: t.shortname,
          slug: t.slug,
          count: t.count,
          rules: slugs(t.rules),
          techniques: t.techniques.map((x) => ({ id: x.id, name: x.name ?? null, count: x.count, rules: slugs(x.rules) })),
        })),
        techniques: index.attack.techniques.map((t) => ({ id: t.id, name: t.name ?? null, slug: t.slug, tactics: t.tactics, count: t.count, byPlatform: t.byPlatform, rules: slugs(t.rules) })),
      },
      facets: { platforms: facet(index.facets.platforms), logsources: facet(index.facets.logsources), severities: facet(index.facets.severities) },
    },
    options.indent ?? 0,
  );
}

/** The entry names its file; a diagnostic names one only when it is another (a Panther rule's Python or helper). */
function diagnosticRecord(d: Diagnostic, entryPath: string): Record<string, unknown> {
  return { severity: d.severity, code: d.code, message: d.message, line: d.line ?? null, col: d.col ?? null, file: d.path !== undefined && d.path !== entryPath ? d.path : undefined };
}

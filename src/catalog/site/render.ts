// renderSite: the whole static catalog site from a CatalogIndex and playbooks, as files in
// memory (the caller writes them, and catalog.json / attack-layer.json beside them);
// renderSiteTo: the same, each file handed on as soon as it is rendered, the rule pages last,
// from parts of them computed elsewhere (on another thread, see rule-parts-thread.ts).
//
// Work is proportional to the size of the site: the corpus is converted once per target, every
// lookup a page needs is a map made once (context.ts), and each page is one template call.
// The output depends only on the inputs: lists keep the index's order, and nothing reads the
// clock.

import type { RuleResult } from '../../ast/rule.js';
import type { CatalogIndex, Playbook } from '../model.js';
import { compareText } from '../slug.js';
import { siteContext, techniqueName, type Page, type SiteContext, type SiteOptions } from './context.js';
import { matrixPage, tacticIndexPage, tacticPages, techniqueIndexPage, techniquePages } from './pages/attack.js';
import { actionIndexPage, actionPage, facetIndexPage, facetPages } from './pages/facets.js';
import { failedPage, homePage, rulesPage } from './pages/home.js';
import { indicatorIndexPage, indicatorPage } from './pages/indicator.js';
import { playbookIndexPage, playbookPages } from './pages/playbook.js';
import { rulePage } from './pages/rule.js';
import { SEARCH_DATA_PATH } from './paths.js';
import { ruleSetParts, type RuleParts } from './rule-parts.js';
import { searchDataScript, searchFilters } from './search-data.js';
import { siteTemplates, type SiteTemplates } from './templates.js';

export type { SiteOptions } from './context.js';

export interface SiteFile {
  /** Relative to the site's root, with '/' separators. */
  path: string;
  content: string | Uint8Array;
}

/** One page to render: its template and how to build its view (built when rendered, to keep memory flat). */
interface Job {
  template: string;
  build: () => Page<object> | Array<Page<object>>;
  count: number;
}

/** The whole site in memory, sorted by path. */
export function renderSite(index: CatalogIndex, playbooks: Playbook[], options: SiteOptions, onProgress?: (done: number, total: number) => void): SiteFile[] {
  const files: SiteFile[] = [];
  const site = siteRenderer(index, playbooks, options, (file) => files.push(file), onProgress);
  site.renderOthers();
  site.renderRules(ruleSetParts(catalogResults(index)));
  files.sort((a, b) => compareText(a.path, b.path));
  for (let i = 1; i < files.length; i++) {
    // Slugs are unique per folder by construction; two pages at one path would be a bug here.
    if (files[i]!.path === files[i - 1]!.path) throw new Error(`two pages at ${files[i]!.path}`);
  }
  return files;
}

/**
 * The whole site, each file given to `emit` as soon as it is rendered (in no particular order):
 * every other page first, then the rule pages once `parts` (the parts of each of
 * `index.rules`, in its order) is there. Returns the number of files.
 */
export async function renderSiteTo(
  index: CatalogIndex,
  playbooks: Playbook[],
  options: SiteOptions,
  parts: Promise<RuleParts[]>,
  emit: (file: SiteFile) => void,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const site = siteRenderer(index, playbooks, options, emit, onProgress);
  site.renderOthers();
  site.renderRules(await parts);
  return site.total;
}

/** The rules as the converters read them: with their paths from the catalog's base, in its order. */
export function catalogResults(index: CatalogIndex): RuleResult[] {
  return index.rules.map((r) => ({ path: r.path, document: r.document, ok: r.ok, rule: r.rule, diagnostics: r.diagnostics }));
}

function siteRenderer(
  index: CatalogIndex,
  playbooks: Playbook[],
  options: SiteOptions,
  emit: (file: SiteFile) => void,
  onProgress?: (done: number, total: number) => void,
): { renderOthers: () => void; renderRules: (parts: RuleParts[]) => void; total: number } {
  const templates = siteTemplates();
  // Playbooks in a fixed order whatever order they were read in.
  const sortedPlaybooks = [...playbooks].sort((a, b) => compareText(a.path, b.path) || compareText(a.slug, b.slug));
  const ctx = siteContext(index, sortedPlaybooks, options);
  const filters = searchFilters(index);
  const jobs = pageJobs(ctx, filters);
  const total = jobs.reduce((n, j) => n + j.count, 0) + index.rules.length + templates.assets.size + 1;
  let done = 0;
  const out = (file: SiteFile) => {
    emit(file);
    onProgress?.(++done, total);
  };
  return {
    total,
    renderOthers: () => {
      for (const job of jobs) render(templates, job, out);
      for (const [name, text] of templates.assets) out({ path: `assets/${name}`, content: text });
      out({ path: SEARCH_DATA_PATH, content: searchDataScript(index, filters, (id, name) => techniqueName(ctx, id, name)) });
    },
    renderRules: (parts) => {
      if (parts.length !== index.rules.length) throw new Error(`page parts for ${parts.length} rules, the index has ${index.rules.length}`);
      index.rules.forEach((r, i) => render(templates, { template: 'rule', build: () => rulePage(ctx, r, parts[i]!), count: 1 }, out));
    },
  };
}

function render(templates: SiteTemplates, job: Job, out: (file: SiteFile) => void): void {
  const built = job.build();
  for (const page of Array.isArray(built) ? built : [built]) out({ path: page.path, content: flat(templates.render(job.template, page.view)) });
}

/**
 * The page as one flat string. Templates build pages by concatenation, which V8 keeps as a
 * tree of pieces until the string is read; tens of thousands of such trees held until the
 * caller writes them cost seconds of garbage collection. Reading one character flattens it.
 */
function flat(text: string): string {
  if (text.length > 0) text.charCodeAt(0);
  return text;
}

/** Every page but the rules' own. */
function pageJobs(ctx: SiteContext, filters: ReturnType<typeof searchFilters>): Job[] {
  const { index } = ctx;
  const one = (template: string, build: () => Page<object>) => ({ template, build, count: 1 });
  const each = <T>(template: string, items: readonly T[], build: (item: T) => Page<object>) =>
    items.map((item) => ({ template, build: () => build(item), count: 1 }));
  const facetCount = (kind: 'platforms' | 'logsources' | 'severities') => index.facets[kind].filter((e) => e.count > 0).length;
  return [
    one('home', () => homePage(ctx, filters)),
    one('rules', () => rulesPage(ctx)),
    ...each('failed', index.failed, (f) => failedPage(ctx, f)),
    one('list', () => indicatorIndexPage(ctx)),
    ...each('indicator', index.indicators, (i) => indicatorPage(ctx, i)),
    ...(['platforms', 'logsources', 'severities'] as const).flatMap((kind) => [
      one('list', () => facetIndexPage(ctx, kind)),
      { template: 'facet', build: () => facetPages(ctx, kind), count: facetCount(kind) },
    ]),
    one('list', () => actionIndexPage(ctx)),
    ...each('facet', index.actions, (g) => actionPage(ctx, g)),
    one('matrix', () => matrixPage(ctx)),
    one('list', () => tacticIndexPage(ctx)),
    { template: 'tactic', build: () => tacticPages(ctx), count: index.attack.tactics.filter((t) => t.count > 0).length },
    one('list', () => techniqueIndexPage(ctx)),
    { template: 'technique', build: () => techniquePages(ctx), count: index.attack.techniques.length },
    one('list', () => playbookIndexPage(ctx)),
    { template: 'playbook', build: () => playbookPages(ctx), count: ctx.playbooks.length },
  ];
}

// The home page (totals, the search with its filters, the ways into the catalog), the list of
// every rule, and the page of a document that could not be read as a rule.

import type { FailedEntry } from '../../model.js';
import { chrome, diagnosticViews, plural, ruleLinks, type DiagnosticView, type Page, type PageChrome, type RuleLinkView, type SiteContext } from '../context.js';
import { linkerFor, PAGE, pagePath, SEARCH_DATA_PATH } from '../paths.js';
import type { SearchFilters } from '../search-data.js';

export interface HomeView {
  page: PageChrome;
  title: string;
  totals: Array<{ label: string; value: string; href?: string }>;
  filters: Array<{ id: string; label: string; options: Array<{ value: string; label: string }> }>;
  sections: Array<{ text: string; href: string; description: string }>;
}

export function homePage(ctx: SiteContext, filters: SearchFilters): Page<HomeView> {
  const path = PAGE.home;
  const link = linkerFor(path);
  const t = ctx.index.totals;
  const page = chrome(ctx, path, ctx.options.title, []);
  page.scripts = [link(SEARCH_DATA_PATH), link('assets/search.js')];
  const platformTotals = ctx.index.facets.platforms
    .filter((p) => p.count > 0)
    .map((p) => ({ label: `${p.label} rules`, value: String(p.count), href: link(pagePath('platforms', p.slug)) }));
  const totals: HomeView['totals'] = [
    { label: 'Rules', value: String(t.rules), href: link(PAGE.rules) },
    ...platformTotals,
    { label: 'Partly extracted', value: String(t.partial) },
    { label: 'Not read', value: String(t.failed), href: link(`${PAGE.rules}#failed`) },
    { label: 'Indicators', value: `${t.indicators} (${t.sharedIndicators} shared)`, href: link(PAGE.indicators) },
    { label: 'Action groups', value: `${t.actionGroups} (${t.crossPlatformActionGroups} across platforms)`, href: link(PAGE.actions) },
    { label: 'ATT&CK tactics', value: String(t.tactics), href: link(PAGE.tactics) },
    { label: 'ATT&CK techniques', value: String(t.techniques), href: link(PAGE.techniques) },
    { label: 'Playbooks', value: String(ctx.playbooks.length), href: link(PAGE.playbooks) },
  ];
  const options = (list: SearchFilters[keyof SearchFilters]) => list.map((e, i) => ({ value: String(i), label: e.label }));
  return {
    path,
    view: {
      page,
      title: ctx.options.title,
      totals,
      filters: [
        { id: 'platform', label: 'Platform', options: options(filters.platforms) },
        { id: 'tactic', label: 'Tactic', options: options(filters.tactics) },
        { id: 'severity', label: 'Severity', options: options(filters.severities) },
        { id: 'logsource', label: 'Log source', options: options(filters.logsources) },
      ],
      sections: [
        { text: 'All rules', href: link(PAGE.rules), description: 'every rule, and the documents that could not be read' },
        { text: 'ATT&CK coverage matrix', href: link(PAGE.matrix), description: 'techniques by tactic, shaded by their number of rules' },
        { text: 'Tactics', href: link(PAGE.tactics), description: 'rules by ATT&CK tactic' },
        { text: 'Techniques', href: link(PAGE.techniques), description: 'rules by ATT&CK technique, per platform' },
        { text: 'Platforms', href: link(PAGE.platforms), description: 'Sigma and Panther rules' },
        { text: 'Log sources', href: link(PAGE.logsources), description: 'rules by the events they read' },
        { text: 'Severities', href: link(PAGE.severities), description: 'rules by alert severity' },
        { text: 'Actions', href: link(PAGE.actions), description: 'rules detecting the same operation, across platforms' },
        { text: 'Indicators', href: link(PAGE.indicators), description: 'the field, operator and value tests rules share' },
        { text: 'Playbooks', href: link(PAGE.playbooks), description: 'incident-response playbooks and the rules covering them' },
        { text: 'catalog.json', href: page.links.catalogJson, description: 'the whole catalog as data' },
        { text: 'attack-layer.json', href: page.links.attackLayer, description: 'an ATT&CK Navigator layer of the coverage' },
      ],
    },
  };
}

export interface RulesView {
  page: PageChrome;
  summary: string;
  rules: RuleLinkView[];
  failed: Array<{ path: string; href: string; errors: number }>;
  skipped: Array<{ path: string; reason: string }>;
}

export function rulesPage(ctx: SiteContext): Page<RulesView> {
  const path = PAGE.rules;
  const link = linkerFor(path);
  const t = ctx.index.totals;
  return {
    path,
    view: {
      page: chrome(ctx, path, 'Detection rules', [], PAGE.rules),
      summary: `${plural(t.rules, 'rule')} from ${plural(t.inputs, 'document')}. Not read: ${t.failed}. Not rules (Panther policies, helpers, data models): ${t.skipped}.`,
      rules: ruleLinks(ctx, ctx.index.rules, link),
      failed: ctx.index.failed.map((f) => ({
        path: f.document > 0 ? `${f.path} (document ${f.document + 1})` : f.path,
        href: link(pagePath('rules', f.slug)),
        errors: f.diagnostics.filter((d) => d.severity === 'error').length,
      })),
      skipped: ctx.index.skipped.map((s) => ({ path: s.path, reason: s.reason })),
    },
  };
}

export interface FailedView {
  page: PageChrome;
  path: string;
  document: number;
  diagnostics: DiagnosticView[];
}

export function failedPage(ctx: SiteContext, f: FailedEntry): Page<FailedView> {
  const path = pagePath('rules', f.slug);
  const link = linkerFor(path);
  const name = f.path.slice(f.path.lastIndexOf('/') + 1);
  return {
    path,
    view: {
      page: chrome(ctx, path, `Not read: ${name}`, [{ text: 'Detection rules', href: link(PAGE.rules) }, { text: 'Not read', href: link(`${PAGE.rules}#failed`) }], PAGE.rules),
      path: f.path,
      document: f.document + 1,
      diagnostics: diagnosticViews(f.diagnostics, f.path),
    },
  };
}

// What every page builder shares: lookups over the index made once (rule by slug, facet entry
// by key, technique by id, playbooks by rule and technique), the page chrome (title, way back
// to the root, navigation, breadcrumb) and the small views lists are made of.

import { attackTable } from '../../attack/table.js';
import type { CatalogIndex, CatalogRule, FacetEntry, Playbook, RuleRef, TacticEntry, TechniqueEntry } from '../model.js';
import { ATTACK_LAYER_PATH, attackTacticUrl, attackTechniqueUrl, canonicalUrl, CATALOG_JSON_PATH, linkerFor, PAGE, pagePath, rootOf, type Linker } from './paths.js';

export interface SiteOptions {
  title: string;
  /** '' or the site's address or path (e.g. '/catalog/'): only used for canonical links. */
  baseUrl: string;
  /** Shown in the footer (e.g. the corpus' repository and commit); no timestamps, for reproducible output. */
  generatedFrom?: string;
}

export interface SiteContext {
  index: CatalogIndex;
  playbooks: readonly Playbook[];
  options: SiteOptions;
  ruleBySlug: Map<string, CatalogRule>;
  /** Rule ids and Sigma names to slugs (correlations name the rules they use). */
  slugByHandle: Map<string, string>;
  logsourceByKey: Map<string, FacetEntry>;
  severityByKey: Map<string, FacetEntry>;
  platformByKey: Map<string, FacetEntry>;
  tacticById: Map<string, TacticEntry>;
  techniqueById: Map<string, TechniqueEntry>;
  playbooksByRule: Map<string, Playbook[]>;
  /** Playbooks naming a technique, or its parent technique. */
  playbooksByTechnique: Map<string, Playbook[]>;
  /** Per rule: where it sits in lists (path from the root, facts shown beside its title). */
  rows: Map<string, RuleRow>;
}

export interface RuleRow {
  slug: string;
  title: string;
  path: string;
  platform: string;
  level: string;
  logsources: string;
}

export function siteContext(index: CatalogIndex, playbooks: readonly Playbook[], options: SiteOptions): SiteContext {
  const ruleBySlug = new Map(index.rules.map((r) => [r.slug, r]));
  const slugByHandle = new Map<string, string>();
  for (const r of index.rules) {
    if (r.id && !slugByHandle.has(r.id)) slugByHandle.set(r.id, r.slug);
    if (r.rule.name && !slugByHandle.has(r.rule.name)) slugByHandle.set(r.rule.name, r.slug);
  }
  const byKey = (entries: readonly FacetEntry[]) => new Map(entries.map((e) => [e.key, e]));
  const logsourceByKey = byKey(index.facets.logsources);
  const platformByKey = byKey(index.facets.platforms);

  const playbooksByRule = new Map<string, Playbook[]>();
  const playbooksByTechnique = new Map<string, Playbook[]>();
  const add = (map: Map<string, Playbook[]>, key: string, p: Playbook) => {
    const list = map.get(key);
    if (!list) map.set(key, [p]);
    else if (!list.includes(p)) list.push(p);
  };
  for (const p of playbooks) {
    for (const r of p.rules) add(playbooksByRule, r.slug, p);
    for (const t of p.techniques) add(playbooksByTechnique, t.id, p);
  }
  // A playbook about T1098 also covers T1098.001.
  for (const t of index.attack.techniques) {
    const dot = t.id.indexOf('.');
    if (dot < 0) continue;
    for (const p of playbooksByTechnique.get(t.id.slice(0, dot)) ?? []) add(playbooksByTechnique, t.id, p);
  }

  const rows = new Map<string, RuleRow>();
  for (const r of index.rules) {
    rows.set(r.slug, {
      slug: r.slug,
      title: r.title || r.id,
      path: pagePath('rules', r.slug),
      platform: platformByKey.get(r.platform)?.label ?? r.platform,
      level: r.level ?? '',
      logsources: r.logsources.map((k) => logsourceByKey.get(k)?.label ?? k).join(', '),
    });
  }

  return {
    index,
    playbooks,
    options,
    ruleBySlug,
    slugByHandle,
    logsourceByKey,
    severityByKey: byKey(index.facets.severities),
    platformByKey,
    tacticById: new Map(index.attack.tactics.map((t) => [t.id, t])),
    techniqueById: new Map(index.attack.techniques.map((t) => [t.id, t])),
    playbooksByRule,
    playbooksByTechnique,
    rows,
  };
}

// ---------------------------------------------------------------------------------------------
// Page chrome

export interface Crumb {
  text: string;
  href?: string;
}

export interface PageChrome {
  title: string;
  root: string;
  site: { title: string; generatedFrom?: string };
  canonical?: string;
  nav: Array<{ text: string; href: string; current: boolean }>;
  breadcrumb: Crumb[];
  /** Extra scripts (hrefs), loaded deferred after the site's own. */
  scripts: string[];
  /** The header's search box, on every page but the home page, which has the search itself. */
  headerSearch: boolean;
  links: { catalogJson: string; attackLayer: string };
}

const NAV: ReadonlyArray<{ text: string; path: string }> = [
  { text: 'Rules', path: PAGE.rules },
  { text: 'ATT&CK matrix', path: PAGE.matrix },
  { text: 'Techniques', path: PAGE.techniques },
  { text: 'Log sources', path: PAGE.logsources },
  { text: 'Actions', path: PAGE.actions },
  { text: 'Indicators', path: PAGE.indicators },
  { text: 'Playbooks', path: PAGE.playbooks },
];

export interface Page<V> {
  path: string;
  view: V;
}

/** The chrome of the page at `path`; `section` is the navigation entry it belongs to. */
export function chrome(ctx: SiteContext, path: string, title: string, breadcrumb: Crumb[], section?: string): PageChrome & { link: Linker } {
  const link = linkerFor(path);
  const page: PageChrome & { link: Linker } = {
    title,
    root: rootOf(path),
    site: ctx.options.generatedFrom ? { title: ctx.options.title, generatedFrom: ctx.options.generatedFrom } : { title: ctx.options.title },
    nav: NAV.map((n) => ({ text: n.text, href: link(n.path), current: n.path === section })),
    breadcrumb,
    scripts: [],
    headerSearch: path !== PAGE.home,
    links: { catalogJson: link(CATALOG_JSON_PATH), attackLayer: link(ATTACK_LAYER_PATH) },
    link,
  };
  const canonical = canonicalUrl(ctx.options.baseUrl, path);
  if (canonical) page.canonical = canonical;
  return page;
}

// ---------------------------------------------------------------------------------------------
// Small views shared by pages

export interface RuleLinkView {
  title: string;
  href: string;
  platform: string;
  level: string;
  logsources: string;
}

export function ruleLinks(ctx: SiteContext, refs: readonly RuleRef[], link: Linker): RuleLinkView[] {
  return refs.map((ref) => {
    const row = ctx.rows.get(ref.slug);
    return row
      ? { title: row.title, href: link(row.path), platform: row.platform, level: row.level, logsources: row.logsources }
      : { title: ref.title || ref.id, href: link(pagePath('rules', ref.slug)), platform: ref.platform, level: '', logsources: '' };
  });
}

export interface TechniqueLinkView {
  id: string;
  name: string;
  /** The technique's page, when a rule covers it. */
  href?: string;
  attackUrl?: string;
}

/**
 * A technique's name as ATT&CK shows it: a sub-technique's own name after its parent's
 * ("Account Manipulation: Additional Cloud Credentials"). The parent's name comes from the
 * index when a rule covers it, else from the shipped ATT&CK table.
 */
export function techniqueName(ctx: SiteContext, id: string, name: string | undefined): string {
  const own = name ?? ctx.techniqueById.get(id)?.name ?? attackTable().techniques.get(id)?.name ?? '';
  const dot = id.indexOf('.');
  if (dot < 0 || own === '') return own;
  const parentId = id.slice(0, dot);
  const parent = ctx.techniqueById.get(parentId)?.name ?? attackTable().techniques.get(parentId)?.name;
  return parent && !own.startsWith(`${parent}:`) ? `${parent}: ${own}` : own;
}

export function techniqueLink(ctx: SiteContext, id: string, name: string | undefined, link: Linker): TechniqueLinkView {
  const entry = ctx.techniqueById.get(id);
  const view: TechniqueLinkView = { id, name: techniqueName(ctx, id, entry?.name ?? name) };
  if (entry) view.href = link(pagePath('techniques', entry.slug));
  const url = attackTechniqueUrl(id);
  if (url) view.attackUrl = url;
  return view;
}

export function tacticLink(ctx: SiteContext, id: string, link: Linker): { id: string; name: string; href?: string; attackUrl?: string } {
  const entry = ctx.tacticById.get(id);
  const view: { id: string; name: string; href?: string; attackUrl?: string } = { id, name: entry?.name ?? id };
  if (entry && entry.count > 0) view.href = link(pagePath('tactics', entry.slug));
  const url = attackTacticUrl(id);
  if (url) view.attackUrl = url;
  return view;
}

export function playbookLinks(playbooks: readonly Playbook[] | undefined, link: Linker): Array<{ title: string; href: string; sep: string }> {
  return separated((playbooks ?? []).map((p) => ({ title: p.title, href: link(pagePath('playbooks', p.slug)) })));
}

export interface DiagnosticView {
  severity: string;
  code: string;
  message: string;
  where: string;
}

/** `line:col` (and the file when it is not the page's own). */
export function diagnosticViews(diagnostics: ReadonlyArray<{ severity: string; code: string; message: string; path?: string; line?: number; col?: number }>, ownPath?: string): DiagnosticView[] {
  return diagnostics.map((d) => {
    const place = d.line !== undefined ? `${d.line}${d.col !== undefined ? `:${d.col}` : ''}` : '';
    const file = d.path !== undefined && d.path !== ownPath ? d.path : '';
    return { severity: d.severity, code: d.code, message: d.message, where: [file, place].filter((s) => s !== '').join(':') };
  });
}

/**
 * Items of an inline list, each with the separator to print after it (none after the last):
 * templates compile without `@last` data, which makes every loop cheaper.
 */
export function separated<T extends object>(items: readonly T[], sep = ', '): Array<T & { sep: string }> {
  return items.map((item, i) => ({ ...item, sep: i + 1 < items.length ? sep : '' }));
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** "1 rule looks", "2 rules look": the count, the noun and the verb agreeing with it. */
export function counted(n: number, noun: string, verb: string): string {
  return `${plural(n, noun)} ${n === 1 ? `${verb}s` : verb}`;
}

// Index pages by platform, log source, severity and action group: a list page for each kind
// (its entries with their rule counts) and a page per entry listing its rules.

import type { ActionGroup, FacetEntry } from '../../model.js';
import { chrome, counted, plural, ruleLinks, type Page, type PageChrome, type RuleLinkView, type SiteContext } from '../context.js';
import { linkerFor, PAGE, pagePath, type Folder } from '../paths.js';

type FacetKind = 'platforms' | 'logsources' | 'severities';

const KINDS: Record<FacetKind, { title: string; index: string; entry: string; intro: string }> = {
  platforms: { title: 'Platforms', index: PAGE.platforms, entry: 'Platform', intro: 'Rules by the format they are written in.' },
  logsources: {
    title: 'Log sources',
    index: PAGE.logsources,
    entry: 'Log source',
    intro: 'Rules by the events they read: a Sigma log source (product / category / service) or a Panther log type.',
  },
  severities: { title: 'Severities', index: PAGE.severities, entry: 'Severity', intro: 'Rules by the severity they alert with.' },
};

/** A list page: entries with counts (the generic table of pages/list.hbs). */
export interface ListView {
  page: PageChrome;
  heading: string;
  intro: string;
  columns: string[];
  rows: Array<{ cells: Array<{ text: string; href?: string; numeric?: boolean }> }>;
}

/** A page of rules under one entry (pages/facet.hbs). */
export interface FacetView {
  page: PageChrome;
  heading: string;
  kind: string;
  summary: string;
  facts: Array<{ label: string; value: string }>;
  rules: RuleLinkView[];
}

export function facetIndexPage(ctx: SiteContext, kind: FacetKind): Page<ListView> {
  const k = KINDS[kind];
  const link = linkerFor(k.index);
  const entries = ctx.index.facets[kind].filter((e) => e.count > 0);
  return {
    path: k.index,
    view: {
      page: chrome(ctx, k.index, k.title, [], k.index),
      heading: k.title,
      intro: k.intro,
      columns: [k.entry, 'Rules'],
      rows: entries.map((e) => ({ cells: [{ text: e.label, href: link(pagePath(kind, e.slug)) }, { text: String(e.count), numeric: true }] })),
    },
  };
}

export function facetPages(ctx: SiteContext, kind: FacetKind): Array<Page<FacetView>> {
  const k = KINDS[kind];
  return ctx.index.facets[kind].filter((e) => e.count > 0).map((e) => facetPage(ctx, kind, k.title, k.index, k.entry, e));
}

function facetPage(ctx: SiteContext, folder: Folder, title: string, index: string, entryLabel: string, e: FacetEntry): Page<FacetView> {
  const path = pagePath(folder, e.slug);
  const link = linkerFor(path);
  return {
    path,
    view: {
      page: chrome(ctx, path, `${entryLabel}: ${e.label}`, [{ text: title, href: link(index) }], index),
      heading: e.label,
      kind: entryLabel,
      summary: plural(e.count, 'rule'),
      facts: [],
      rules: ruleLinks(ctx, e.rules, link),
    },
  };
}

export function actionIndexPage(ctx: SiteContext): Page<ListView> {
  const path = PAGE.actions;
  const link = linkerFor(path);
  const platformLabel = (p: string) => ctx.platformByKey.get(p)?.label ?? p;
  return {
    path,
    view: {
      page: chrome(ctx, path, 'Actions', [], PAGE.actions),
      heading: 'Actions',
      intro:
        'An action is the operation a rule looks for on its log source (a CloudTrail eventName, an Okta eventType, a Windows EventID...). ' +
        'Rules in one group detect the same action, on one platform or across platforms.',
      columns: ['Log source family', 'Action', 'Rules', 'Platforms'],
      rows: ctx.index.actions.map((g) => ({
        cells: [
          { text: g.familyTitle },
          { text: g.value, href: link(pagePath('actions', g.slug)) },
          { text: String(g.rules.length), numeric: true },
          { text: g.platforms.map(platformLabel).join(', ') },
        ],
      })),
    },
  };
}

export function actionPage(ctx: SiteContext, g: ActionGroup): Page<FacetView> {
  const path = pagePath('actions', g.slug);
  const link = linkerFor(path);
  return {
    path,
    view: {
      page: chrome(ctx, path, `Action: ${g.value}`, [{ text: 'Actions', href: link(PAGE.actions) }], PAGE.actions),
      heading: g.value,
      kind: 'Action',
      summary: `${counted(g.rules.length, 'rule', 'detect')} this action.`,
      facts: [
        { label: 'Log source family', value: g.familyTitle },
        { label: 'Platforms', value: g.platforms.map((p) => ctx.platformByKey.get(p)?.label ?? p).join(', ') },
      ],
      rules: ruleLinks(ctx, g.rules, link),
    },
  };
}

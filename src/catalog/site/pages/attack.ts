// ATT&CK pages: the coverage matrix (tactics as columns, covered techniques as cells shaded by
// their number of rules), the tactic and technique lists, and a page per tactic and technique.

import type { TacticEntry, TechniqueEntry } from '../../model.js';
import {
  chrome,
  playbookLinks,
  counted,
  plural,
  ruleLinks,
  separated,
  tacticLink,
  techniqueName,
  type Page,
  type PageChrome,
  type RuleLinkView,
  type SiteContext,
} from '../context.js';
import { attackTacticUrl, attackTechniqueUrl, linkerFor, PAGE, pagePath } from '../paths.js';
import type { ListView } from './facets.js';

/**
 * Shade of a cell: fixed steps of rule counts (not relative to the corpus' maximum), so that a
 * technique's shade means the same in every catalog.
 */
const HEAT_STEPS = [1, 2, 4, 8, 16, 32];

export function heatLevel(count: number): number {
  let level = 0;
  for (const step of HEAT_STEPS) if (count >= step) level++;
  return level;
}

export interface MatrixView {
  page: PageChrome;
  summary: string;
  version: string;
  legend: Array<{ level: number; text: string }>;
  columns: Array<{
    name: string;
    href?: string;
    count: number;
    cells: Array<{ id: string; name: string; count: number; level: number; href: string; sub: boolean }>;
  }>;
}

export function matrixPage(ctx: SiteContext): Page<MatrixView> {
  const path = PAGE.matrix;
  const link = linkerFor(path);
  const { attack, totals } = ctx.index;
  return {
    path,
    view: {
      page: chrome(ctx, path, 'ATT&CK coverage matrix', [], PAGE.matrix),
      summary: `${plural(totals.techniques, 'technique')} under ${plural(totals.tactics, 'tactic')} covered by the catalog's rules.`,
      version: attack.version,
      legend: HEAT_STEPS.map((step, i) => {
        const last = i + 1 < HEAT_STEPS.length ? HEAT_STEPS[i + 1]! - 1 : undefined;
        return { level: i + 1, text: last === undefined ? `${step}+ rules` : last === step ? `${step} rule${step === 1 ? '' : 's'}` : `${step}–${last} rules` };
      }),
      columns: attack.tactics
        .filter((t) => t.count > 0 || attackTacticUrl(t.id) !== undefined)
        .map((t) => {
          const column: MatrixView['columns'][number] = {
            name: t.name,
            count: t.count,
            cells: t.techniques.map((x) => {
              const entry = ctx.techniqueById.get(x.id);
              return {
                id: x.id,
                name: x.name ?? '',
                count: x.count,
                level: heatLevel(x.count),
                href: link(pagePath('techniques', entry?.slug ?? x.id.toLowerCase())),
                sub: x.id.includes('.'),
              };
            }),
          };
          if (t.count > 0) column.href = link(pagePath('tactics', t.slug));
          return column;
        }),
    },
  };
}

export function tacticIndexPage(ctx: SiteContext): Page<ListView> {
  const path = PAGE.tactics;
  const link = linkerFor(path);
  return {
    path,
    view: {
      page: chrome(ctx, path, 'Tactics', [], PAGE.matrix),
      heading: 'Tactics',
      intro: 'ATT&CK tactics in matrix order, with the rules covering each.',
      columns: ['Tactic', 'ID', 'Techniques covered', 'Rules'],
      rows: ctx.index.attack.tactics
        .filter((t) => t.count > 0)
        .map((t) => ({
          cells: [
            { text: t.name, href: link(pagePath('tactics', t.slug)) },
            { text: t.id },
            { text: String(t.techniques.length), numeric: true },
            { text: String(t.count), numeric: true },
          ],
        })),
    },
  };
}

export interface TacticView {
  page: PageChrome;
  name: string;
  id: string;
  attackUrl?: string;
  summary: string;
  techniques: Array<{ id: string; name: string; count: number; href: string }>;
  rules: RuleLinkView[];
}

export function tacticPages(ctx: SiteContext): Array<Page<TacticView>> {
  return ctx.index.attack.tactics.filter((t) => t.count > 0).map((t) => tacticPage(ctx, t));
}

function tacticPage(ctx: SiteContext, t: TacticEntry): Page<TacticView> {
  const path = pagePath('tactics', t.slug);
  const link = linkerFor(path);
  const view: TacticView = {
    page: chrome(ctx, path, `Tactic: ${t.name}`, [{ text: 'ATT&CK matrix', href: link(PAGE.matrix) }, { text: 'Tactics', href: link(PAGE.tactics) }], PAGE.matrix),
    name: t.name,
    id: t.id,
    summary: `${plural(t.count, 'rule')}, ${plural(t.techniques.length, 'technique')} covered.`,
    techniques: t.techniques.map((x) => ({
      id: x.id,
      name: techniqueName(ctx, x.id, x.name),
      count: x.count,
      href: link(pagePath('techniques', ctx.techniqueById.get(x.id)?.slug ?? x.id.toLowerCase())),
    })),
    rules: ruleLinks(ctx, t.rules, link),
  };
  const url = attackTacticUrl(t.id);
  if (url) view.attackUrl = url;
  return { path, view };
}

export function techniqueIndexPage(ctx: SiteContext): Page<ListView> {
  const path = PAGE.techniques;
  const link = linkerFor(path);
  const platforms = ctx.index.facets.platforms.filter((p) => p.count > 0);
  return {
    path,
    view: {
      page: chrome(ctx, path, 'Techniques', [], PAGE.techniques),
      heading: 'Techniques',
      intro: 'ATT&CK techniques and sub-techniques the catalog\u2019s rules cover, by id.',
      columns: ['Technique', 'Name', 'Tactics', 'Rules', ...platforms.map((p) => p.label)],
      rows: ctx.index.attack.techniques.map((t) => ({
        cells: [
          { text: t.id, href: link(pagePath('techniques', t.slug)) },
          { text: techniqueName(ctx, t.id, t.name) },
          { text: t.tactics.map((id) => ctx.tacticById.get(id)?.name ?? id).join(', ') },
          { text: String(t.count), numeric: true },
          ...platforms.map((p) => ({ text: String(t.byPlatform[p.key as keyof typeof t.byPlatform] ?? 0), numeric: true })),
        ],
      })),
    },
  };
}

export interface TechniqueView {
  page: PageChrome;
  id: string;
  name: string;
  attackUrl?: string;
  summary: string;
  parent?: { id: string; name: string; href?: string };
  subTechniques: Array<{ id: string; name: string; count: number; href: string }>;
  tactics: Array<ReturnType<typeof tacticLink> & { sep: string }>;
  byPlatform: Array<{ platform: string; count: number }>;
  playbooks: Array<{ title: string; href: string }>;
  rules: RuleLinkView[];
}

export function techniquePages(ctx: SiteContext): Array<Page<TechniqueView>> {
  // Sub-techniques under their parent, in one pass.
  const subs = new Map<string, TechniqueEntry[]>();
  for (const t of ctx.index.attack.techniques) {
    const dot = t.id.indexOf('.');
    if (dot < 0) continue;
    const parent = t.id.slice(0, dot);
    subs.set(parent, [...(subs.get(parent) ?? []), t]);
  }
  return ctx.index.attack.techniques.map((t) => techniquePage(ctx, t, subs.get(t.id) ?? []));
}

function techniquePage(ctx: SiteContext, t: TechniqueEntry, subs: readonly TechniqueEntry[]): Page<TechniqueView> {
  const path = pagePath('techniques', t.slug);
  const link = linkerFor(path);
  const view: TechniqueView = {
    page: chrome(ctx, path, `${t.id} ${techniqueName(ctx, t.id, t.name)}`.trim(), [{ text: 'ATT&CK matrix', href: link(PAGE.matrix) }, { text: 'Techniques', href: link(PAGE.techniques) }], PAGE.techniques),
    id: t.id,
    name: techniqueName(ctx, t.id, t.name),
    summary: `${counted(t.count, 'rule', 'cover')} this technique.`,
    subTechniques: subs.map((s) => ({ id: s.id, name: s.name ?? '', count: s.count, href: link(pagePath('techniques', s.slug)) })),
    tactics: separated(t.tactics.map((id) => tacticLink(ctx, id, link))),
    byPlatform: ctx.index.facets.platforms.filter((p) => p.count > 0).map((p) => ({ platform: p.label, count: t.byPlatform[p.key as keyof typeof t.byPlatform] ?? 0 })),
    playbooks: playbookLinks(ctx.playbooksByTechnique.get(t.id), link),
    rules: ruleLinks(ctx, t.rules, link),
  };
  const url = attackTechniqueUrl(t.id);
  if (url) view.attackUrl = url;
  const dot = t.id.indexOf('.');
  if (dot > 0) {
    const parentId = t.id.slice(0, dot);
    const parent = ctx.techniqueById.get(parentId);
    const parentName = techniqueName(ctx, parentId, undefined);
    view.parent = parent ? { id: parentId, name: parentName, href: link(pagePath('techniques', parent.slug)) } : { id: parentId, name: parentName };
  }
  return { path, view };
}

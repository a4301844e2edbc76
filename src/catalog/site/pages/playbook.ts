// Playbook pages: the playbook's Markdown, its ATT&CK techniques linked to their technique
// pages with the rules covering each, and the playbook list.

import type { Playbook, RuleRef } from '../../model.js';
import { chrome, diagnosticViews, plural, ruleLinks, separated, techniqueLink, type DiagnosticView, type Page, type PageChrome, type RuleLinkView, type SiteContext, type TechniqueLinkView } from '../context.js';
import { markdownToHtml } from '../markdown.js';
import { linkerFor, PAGE, pagePath } from '../paths.js';
import type { ListView } from './facets.js';

/** The playbook's own headings sit under the page title (h1). */
const MARKDOWN = { headingOffset: 1 };

export interface PlaybookView {
  page: PageChrome;
  title: string;
  path: string;
  summary: string;
  phases: Array<{ title: string; goal: string }>;
  /** Each technique, its covered sub-techniques when it has no page of its own, and the rules covering either. */
  techniques: Array<TechniqueLinkView & { tactics: string; through: Array<{ id: string; href: string; sep: string }>; rules: RuleLinkView[] }>;
  html: string;
  diagnostics: DiagnosticView[];
}

export function playbookPages(ctx: SiteContext): Array<Page<PlaybookView>> {
  // Rules by technique id, sub-techniques also under their parent: a playbook naming T1098
  // is covered by a rule for T1098.001.
  const rulesByTechnique = new Map<string, RuleRef[]>();
  for (const t of ctx.index.attack.techniques) {
    const dot = t.id.indexOf('.');
    for (const id of dot < 0 ? [t.id] : [t.id, t.id.slice(0, dot)]) {
      const list = rulesByTechnique.get(id);
      if (list) list.push(...t.rules);
      else rulesByTechnique.set(id, [...t.rules]);
    }
  }
  const order = new Map(ctx.index.rules.map((r, i) => [r.slug, i]));
  const covering = (id: string) => {
    const seen = new Map<string, RuleRef>();
    for (const r of rulesByTechnique.get(id) ?? []) seen.set(r.slug, r);
    return [...seen.values()].sort((a, b) => order.get(a.slug)! - order.get(b.slug)!);
  };
  return ctx.playbooks.map((p) => playbookPage(ctx, p, covering));
}

function playbookPage(ctx: SiteContext, p: Playbook, covering: (id: string) => RuleRef[]): Page<PlaybookView> {
  const path = pagePath('playbooks', p.slug);
  const link = linkerFor(path);
  return {
    path,
    view: {
      page: chrome(ctx, path, p.title, [{ text: 'Playbooks', href: link(PAGE.playbooks) }], PAGE.playbooks),
      title: p.title,
      path: p.path,
      summary: `${plural(p.techniques.length, 'ATT&CK technique')}, ${plural(p.rules.length, 'rule')} in the catalog covering them.`,
      phases: p.phases.map((ph) => ({ title: ph.title, goal: ph.goal ?? '' })),
      techniques: p.techniques.map((t) => ({
        ...techniqueLink(ctx, t.id, t.name, link),
        tactics: t.tactics.map((id) => ctx.tacticById.get(id)?.name ?? id).join(', '),
        through: ctx.techniqueById.has(t.id)
          ? []
          : separated(ctx.index.attack.techniques.filter((s) => s.id.startsWith(`${t.id}.`)).map((s) => ({ id: s.id, href: link(pagePath('techniques', s.slug)) }))),
        rules: ruleLinks(ctx, covering(t.id), link),
      })),
      html: markdownToHtml(p.markdown, MARKDOWN),
      diagnostics: diagnosticViews(p.diagnostics, p.path),
    },
  };
}

export function playbookIndexPage(ctx: SiteContext): Page<ListView> {
  const path = PAGE.playbooks;
  const link = linkerFor(path);
  return {
    path,
    view: {
      page: chrome(ctx, path, 'Playbooks', [], PAGE.playbooks),
      heading: 'Playbooks',
      intro: 'Incident-response playbooks, each linked to the rules that cover its ATT&CK techniques.',
      columns: ['Playbook', 'Techniques', 'Rules'],
      rows: ctx.playbooks.map((p) => ({
        cells: [
          { text: p.title, href: link(pagePath('playbooks', p.slug)) },
          { text: p.techniques.map((t) => t.id).join(', ') },
          { text: String(p.rules.length), numeric: true },
        ],
      })),
    },
  };
}

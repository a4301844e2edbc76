// A rule's page: everything the catalog knows about one rule, in the order a detection
// engineer reads it (what it is, what it covers, what else detects the same thing, the rule
// itself, what it tests, how to run it elsewhere, what to do when it fires).

import type { Rule } from '../../../ast/rule.js';
import { unknownsOf } from '../../../ast/walk.js';
import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { CatalogRule, SameActionRule } from '../../model.js';
import {
  chrome,
  diagnosticViews,
  separated,
  playbookLinks,
  ruleLinks,
  tacticLink,
  techniqueLink,
  type DiagnosticView,
  type Page,
  type PageChrome,
  type SiteContext,
  type TechniqueLinkView,
} from '../context.js';
import { highlight } from '../highlight.js';
import { linkerFor, PAGE, pagePath, safeExternalUrl, type Linker } from '../paths.js';
import type { RuleParts } from '../rule-parts.js';

export interface Fact {
  label: string;
  value: string;
  href?: string;
}

export interface RuleView {
  page: PageChrome;
  title: string;
  platform: string;
  descriptionHtml?: string;
  facts: Fact[];
  attack: Array<{ tactic: ReturnType<typeof tacticLink> | undefined; technique: TechniqueLinkView }>;
  sameAction: {
    actions: Array<{ family: string; field: string; value: string; href: string; sep: string }>;
    samePlatform: Array<SameActionView>;
    otherPlatforms: Array<SameActionView>;
  };
  body: RuleParts['body'];
  stages: RuleParts['stages'];
  logic: {
    /** Conditions and queries are long and full of quotes: escaped as text by the highlighter. */
    conditionHtml?: string;
    correlation?: { html: string; rules: RefLink[] };
    partial: boolean;
    unknowns: Array<{ reason: string; where: string; href?: string }>;
    /** A Sigma filter: the rules it tunes (none listed: every rule of its log source). */
    filterFor?: { any: boolean; rules: RefLink[] };
    /** Filters folded into this rule's condition. */
    appliedFilters: RefLink[];
    empty: boolean;
  };
  /** One row per field, operator and use (looks for / excludes), with each value linking to its indicator page. */
  indicators: IndicatorRow[];
  outputFields: Array<{ name: string; source: string }>;
  queries: Array<{
    key: string;
    label: string;
    queries: Array<{ id: string; html: string }>;
    partial?: string;
    errors: Array<DiagnosticView & { sep: string }>;
    notes: DiagnosticView[];
  }>;
  tests: Array<{ name: string; expected: string; note: string }>;
  runbookHtml?: string;
  references: Array<{ text: string; href?: string }>;
  falsepositives: string[];
  playbooks: Array<{ title: string; href: string; sep: string }>;
  diagnostics: DiagnosticView[];
}

type RefLink = { ref: string; href?: string; sep: string };

export interface IndicatorRow {
  field: string;
  keyword: boolean;
  op: string;
  flags: string;
  exclusion: boolean;
  values: Array<{ value: string; present: boolean; placeholder: boolean; count: number; href: string; last: boolean }>;
}

type SameActionView = ReturnType<typeof ruleLinks>[number] & { actions: string };

/** The page of a rule, with the parts of it that depend on the rule alone (see rule-parts.ts). */
export function rulePage(ctx: SiteContext, r: CatalogRule, parts: RuleParts): Page<RuleView> {
  if (parts.path !== r.path || parts.document !== r.document) throw new Error(`the page parts of ${parts.path} given for ${r.path}`);
  const path = pagePath('rules', r.slug);
  const platform = ctx.platformByKey.get(r.platform);
  const platformLabel = platform?.label ?? r.platform;
  const link = linkerFor(path);
  const page = chrome(ctx, path, r.title || r.id, [
    { text: 'Detection rules', href: link(PAGE.rules) },
    { text: platformLabel, href: link(pagePath('platforms', platform?.slug ?? r.platform)) },
  ]);
  const rule = r.rule;
  const view: RuleView = {
    page,
    title: r.title || r.id,
    platform: platformLabel,
    facts: facts(ctx, r, link),
    attack: attackRows(ctx, rule, link),
    sameAction: {
      actions: separated(r.actions.map((a) => ({ family: a.familyTitle, field: a.field, value: a.value, href: link(pagePath('actions', a.slug)) })), '; '),
      samePlatform: sameActionViews(ctx, r.sameAction.samePlatform, link),
      otherPlatforms: sameActionViews(ctx, r.sameAction.otherPlatforms, link),
    },
    body: parts.body,
    stages: parts.stages,
    logic: logic(ctx, rule, parts, link),
    indicators: indicatorRows(r, link),
    outputFields: r.outputFields.map((f) => ({ name: f.name, source: f.source })),
    queries: parts.conversions.map((o) => {
      const q: RuleView['queries'][number] = {
        key: o.target.key,
        label: o.target.label,
        queries: o.queries.map((text, i) => ({ id: `query-${o.target.key}-${i + 1}`, html: highlight(text, 'text') })),
        // Conversion diagnostics are about the mapping and the target, not a place in the file.
        errors: separated(diagnosticViews(o.errors.map(withoutPlace)), '; '),
        notes: diagnosticViews(o.notes.map(withoutPlace)),
      };
      if (o.partial) q.partial = o.partial;
      return q;
    }),
    tests: rule.tests.map((t) => ({
      name: t.name,
      expected: t.expected ? 'alerts' : 'does not alert',
      note: [t.skip ? `not run: ${t.skip}` : '', t.mocks && t.mocks.length > 0 ? `mocks ${t.mocks.map((m) => m.name).join(', ')}` : ''].filter((s) => s !== '').join('; '),
    })),
    references: rule.references.map((ref) => {
      const href = safeExternalUrl(ref);
      return href ? { text: ref, href } : { text: ref };
    }),
    falsepositives: rule.falsepositives,
    playbooks: playbookLinks(ctx.playbooksByRule.get(r.slug), link),
    diagnostics: diagnosticViews(r.diagnostics, r.path),
  };
  if (parts.descriptionHtml !== undefined) view.descriptionHtml = parts.descriptionHtml;
  if (parts.runbookHtml !== undefined) view.runbookHtml = parts.runbookHtml;
  return { path, view };
}

/** The rule's indicators grouped as the seed pages show them: field, operator, values. */
function indicatorRows(r: CatalogRule, link: Linker): IndicatorRow[] {
  const rows: IndicatorRow[] = [];
  let last: IndicatorRow | undefined;
  let lastKey = '';
  for (const i of r.indicators) {
    const field = i.written.field ?? 'keyword';
    const key = `${i.written.field === null ? '' : 'f'}${field}\u0000${i.op}\u0000${i.flags ?? ''}\u0000${i.exclusion ? 1 : 0}`;
    if (!last || key !== lastKey) {
      last = { field, keyword: i.written.field === null, op: i.op, flags: i.flags ?? '', exclusion: i.exclusion, values: [] };
      rows.push(last);
      lastKey = key;
    }
    last.values.push({
      value: i.written.value ?? '',
      present: i.written.value === null,
      placeholder: i.placeholder === true,
      count: i.corpusCount,
      href: link(pagePath('indicators', i.slug)),
      last: false,
    });
  }
  for (const row of rows) row.values[row.values.length - 1]!.last = true;
  return rows;
}

function withoutPlace(d: Diagnostic): Diagnostic {
  return { severity: d.severity, code: d.code, message: d.message };
}

function facts(ctx: SiteContext, r: CatalogRule, link: Linker): Fact[] {
  const rule = r.rule;
  const out: Fact[] = [];
  const add = (label: string, value: string | undefined, href?: string) => {
    if (value === undefined || value === '') return;
    out.push(href ? { label, value, href } : { label, value });
  };
  add(r.platform === 'panther' ? 'Rule ID' : 'ID', r.id);
  add('Kind', r.kind === 'rule' ? undefined : r.kind);
  const severity = ctx.severityByKey.get(r.level ?? 'none');
  add('Severity', r.level, severity ? link(pagePath('severities', severity.slug)) : undefined);
  for (const key of r.logsources) {
    const entry = ctx.logsourceByKey.get(key);
    add(r.platform === 'panther' ? 'Log type' : 'Log source', entry?.label ?? key, entry ? link(pagePath('logsources', entry.slug)) : undefined);
  }
  add('Status', rule.status);
  add('Extraction', r.extraction === 'partial' ? 'partial (the condition is the part the parser could extract)' : undefined);
  if (rule.alerting) {
    add('Enabled', rule.alerting.enabled ? 'yes' : 'no');
    add('Deduplication period', rule.alerting.dedupPeriodMinutes !== undefined ? `${rule.alerting.dedupPeriodMinutes} minutes` : undefined);
    add('Threshold', rule.alerting.threshold !== undefined ? String(rule.alerting.threshold) : undefined);
  }
  add('Author', rule.author);
  add('Date', rule.date);
  add('Modified', rule.modified);
  const tags = rule.tags.filter((t) => !/^attack\./i.test(t));
  add('Tags', tags.length > 0 ? tags.join(', ') : undefined);
  add('Source', r.document > 0 ? `${r.path} (document ${r.document + 1})` : r.path);
  return out;
}

function attackRows(ctx: SiteContext, rule: Rule, link: Linker): RuleView['attack'] {
  const rows: RuleView['attack'] = [];
  for (const t of rule.attack.techniques) {
    const technique = techniqueLink(ctx, t.id, t.name, link);
    if (t.tactics.length === 0) rows.push({ tactic: undefined, technique });
    for (const tactic of t.tactics) rows.push({ tactic: tacticLink(ctx, tactic, link), technique });
  }
  // Tactics the rule names without a technique.
  const withTechnique = new Set(rule.attack.techniques.flatMap((t) => t.tactics));
  for (const tactic of rule.attack.tactics) {
    if (!withTechnique.has(tactic.id)) rows.push({ tactic: tacticLink(ctx, tactic.id, link), technique: { id: '', name: '' } });
  }
  return rows;
}

function sameActionViews(ctx: SiteContext, list: readonly SameActionRule[], link: Linker): SameActionView[] {
  const links = ruleLinks(ctx, list.map((s) => s.rule), link);
  return links.map((l, i) => ({ ...l, actions: list[i]!.groups.map((g) => g.slice(g.indexOf(':') + 1)).join(', ') }));
}

function logic(ctx: SiteContext, rule: Rule, parts: RuleParts, link: Linker): RuleView['logic'] {
  const refLink = (ref: string, id?: string) => {
    const slug = (id !== undefined ? ctx.slugByHandle.get(id) : undefined) ?? ctx.slugByHandle.get(ref);
    return slug ? { ref, href: link(pagePath('rules', slug)) } : { ref };
  };
  const out: RuleView['logic'] = {
    partial: rule.extraction === 'partial',
    unknowns: [],
    appliedFilters: separated((rule.appliedFilters ?? []).map((id) => refLink(id))),
    empty: false,
  };
  if (rule.filter) out.filterFor = rule.filter.rules === 'any' ? { any: true, rules: [] } : { any: false, rules: separated(rule.filter.rules.map((r) => refLink(r.ref, r.id))) };
  if (rule.condition) {
    if (parts.conditionHtml !== undefined) out.conditionHtml = parts.conditionHtml;
    const hasPython = rule.stages.some((s) => s.name.endsWith('.py'));
    if (out.partial) {
      out.unknowns = unknownsOf(rule.condition).map((u) => {
        const where = u.line === null ? '' : u.file ? `${u.file}, line ${u.line}` : `line ${u.line}`;
        // Lines without a file are the rule's own Python, shown on this page.
        return u.line !== null && !u.file && hasPython ? { reason: u.reason, where, href: `#py-L${u.line}` } : { reason: u.reason, where };
      });
    }
  } else if (rule.correlation) {
    out.correlation = {
      html: parts.correlationHtml ?? '',
      rules: separated(rule.correlation.rules.map((r) => refLink(r.ref, r.id))),
    };
  } else out.empty = true;
  return out;
}

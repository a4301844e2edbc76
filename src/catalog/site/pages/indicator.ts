// An indicator's page (every rule that looks for one field/operator/value, and the rules that
// exclude it), and the indicators index: the indicators most rules share.

import type { CatalogIndicator } from '../../model.js';
import { chrome, counted, plural, ruleLinks, type Page, type PageChrome, type RuleLinkView, type SiteContext } from '../context.js';
import { linkerFor, PAGE, pagePath } from '../paths.js';
import type { ListView } from './facets.js';

export interface IndicatorView {
  page: PageChrome;
  field: string;
  keyword: boolean;
  op: string;
  value: string;
  hasValue: boolean;
  flags: string;
  placeholder: boolean;
  summary: string;
  rules: RuleLinkView[];
  excludedBy: RuleLinkView[];
}

export function indicatorPage(ctx: SiteContext, indicator: CatalogIndicator): Page<IndicatorView> {
  const path = pagePath('indicators', indicator.slug);
  const link = linkerFor(path);
  const field = indicator.field ?? 'keyword';
  const heading = `${field} ${indicator.op}${indicator.value !== null ? ` ${indicator.value}` : ''}`;
  const page = chrome(ctx, path, heading.length > 120 ? `${heading.slice(0, 117)}...` : heading, [{ text: 'Indicators', href: link(PAGE.indicators) }], PAGE.indicators);
  return {
    path,
    view: {
      page,
      field,
      keyword: indicator.field === null,
      op: indicator.op,
      value: indicator.value ?? '',
      hasValue: indicator.value !== null,
      flags: indicator.flags ?? '',
      placeholder: indicator.placeholder === true,
      summary: `${counted(indicator.rules.length, 'rule', 'look')} for it; ${counted(indicator.excludedBy.length, 'rule', 'exclude')} it.`,
      rules: ruleLinks(ctx, indicator.rules, link),
      excludedBy: ruleLinks(ctx, indicator.excludedBy, link),
    },
  };
}

/** How many indicators the index page lists: the corpus has tens of thousands, most in one rule. */
const INDEX_LIMIT = 1000;

export function indicatorIndexPage(ctx: SiteContext): Page<ListView> {
  const path = PAGE.indicators;
  const link = linkerFor(path);
  const shared = ctx.index.indicators
    .filter((i) => i.rules.length > 1)
    .sort((a, b) => b.rules.length - a.rules.length || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const listed = shared.slice(0, INDEX_LIMIT);
  const { totals } = ctx.index;
  return {
    path,
    view: {
      page: chrome(ctx, path, 'Indicators', [], PAGE.indicators),
      heading: 'Indicators',
      intro:
        `An indicator is one field, operator and value a rule tests. The catalog has ${plural(totals.indicators, 'distinct indicator')}, ` +
        `${totals.sharedIndicators} of them looked for by more than one rule` +
        (shared.length > listed.length ? `; the ${listed.length} most shared are listed here, and every rule page links to all of its own.` : '.'),
      columns: ['Field', 'Operator', 'Value', 'Rules', 'Excluded by'],
      rows: listed.map((i) => ({
        cells: [
          { text: i.field ?? 'keyword' },
          { text: i.op },
          { text: i.value ?? '', href: link(pagePath('indicators', i.slug)) },
          { text: String(i.rules.length), numeric: true },
          { text: String(i.excludedBy.length), numeric: true },
        ],
      })),
    },
  };
}

// KQL correlations: the correlated rules' events (a union when there are several, each tagged
// with its rule), counted per time bin and group with `summarize`, then the thresholds.

import type { Correlation } from '../../ast/rule.js';
import { printTree, Unprintable } from '../tree.js';
import { correlatedRules } from '../correlated.js';
import type { ConvertContext, TargetRule } from '../types.js';
import { kqlExpression, kqlField, kqlString } from './query.js';

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;
const SUPPORTED = ['event_count', 'value_count', 'value_sum', 'value_avg', 'temporal'];
/** KQL timespan units for Sigma's. */
const UNITS: Record<string, string> = { s: 's', m: 'm', h: 'h', d: 'd' };

export function correlationQuery(correlation: Correlation, context: ConvertContext): string {
  if (!SUPPORTED.includes(correlation.type)) {
    throw new Unprintable(`KQL conversion of ${correlation.type} correlations is not supported (only ${SUPPORTED.join(', ')})`, 'unsupported-correlation');
  }
  const time = context.format === 'sentinel' ? 'TimeGenerated' : 'Timestamp';
  const parts = correlatedRules(correlation, context).map((c) => ({ name: c.name, query: ruleEvents(c.rule) }));
  const tagged = parts.map((p) => {
    const renames = Object.entries(correlation.aliases).flatMap(([alias, byRule]) => (byRule[p.name] ? [`${kqlField(alias)} = ${kqlField(byRule[p.name]!)}`] : []));
    const extend = [`correlated_rule = ${kqlString(p.name)}`, ...renames].join(', ');
    return `${p.query}\n| extend ${extend}`;
  });
  const events = tagged.length === 1 ? tagged[0]! : `union\n${tagged.map((t) => `(${t.replace(/\n/g, '\n  ')})`).join(',\n')}`;
  const by = [`bin(${time}, ${timespan(correlation.timespan.text)})`, ...correlation.groupBy.map((g) => kqlField(g))].join(', ');
  const [measure, aggregate] = aggregation(correlation);
  const thresholds = correlation.condition.map((c) => `${measure} ${COMPARE[c.op]} ${c.value}`).join(' and ');
  return `${events}\n| summarize ${measure} = ${aggregate} by ${by}\n| where ${thresholds}`;
}

function ruleEvents(rule: TargetRule): string {
  if (!rule.condition) throw new Unprintable(`'${rule.rule.title}' has no condition`);
  if (!rule.source.table) throw new Unprintable(`'${rule.rule.title}' has no table; correlations need the rules' tables from a mapping`);
  const filter = rule.source.filter ? `\n| where ${rule.source.filter}` : '';
  return `${rule.source.table}${filter}\n| where ${kqlExpression(printTree(rule.condition), rule.source.columns)}`;
}

function aggregation(correlation: Correlation): [string, string] {
  const field = correlation.field ? kqlField(correlation.field) : '';
  switch (correlation.type) {
    case 'event_count':
      return ['event_count', 'count()'];
    case 'value_count':
      return ['value_count', `dcount(${field})`];
    case 'value_sum':
      return ['value_sum', `sum(todouble(${field}))`];
    case 'value_avg':
      return ['value_avg', `avg(todouble(${field}))`];
    default:
      return ['rule_count', 'dcount(correlated_rule)'];
  }
}

function timespan(text: string): string {
  const m = /^(\d+)([smhdwMy])$/.exec(text);
  if (!m) throw new Unprintable(`invalid timespan '${text}'`);
  const [, n, unit] = m;
  if (unit === 'w') return `${Number(n) * 7}d`;
  if (!(unit! in UNITS)) throw new Unprintable(`KQL cannot bin by '${text}'`);
  return `${n}${UNITS[unit!]}`;
}

// KQL correlations: the correlated rules' events (a union when there are several, each tagged
// with its rule), counted per time bin and group with `summarize`, then the thresholds.

import type { Correlation } from '../../ast/rule.js';
import { fieldsOf } from '../../ast/walk.js';
import { printTree, Unprintable } from '../tree.js';
import { correlatedRules } from '../correlated.js';
import type { ConvertContext, TargetRule } from '../types.js';
import { kqlExpression, kqlField, kqlString } from './query.js';
import { kqlSource } from './source.js';

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;
const SUPPORTED = ['event_count', 'value_count', 'value_sum', 'value_avg', 'temporal'];
/** KQL timespan units for Sigma's. */
const UNITS: Record<string, string> = { s: 's', m: 'm', h: 'h', d: 'd' };

export function correlationQuery(correlation: Correlation, context: ConvertContext): string {
  if (!SUPPORTED.includes(correlation.type)) {
    throw new Unprintable(`KQL conversion of ${correlation.type} correlations is not supported (only ${SUPPORTED.join(', ')})`, 'unsupported-correlation');
  }
  const time = context.format === 'sentinel' ? 'TimeGenerated' : 'Timestamp';
  const parts = correlatedRules(correlation, context).map((c) => {
    // The fields the summary reads from this rule's events, besides those its condition tests.
    const read = [...correlation.groupBy.map((g) => correlation.aliases[g]?.[c.name] ?? g), ...(correlation.field ? [correlation.field] : [])];
    return { name: c.name, query: ruleEvents(c.rule, read) };
  });
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

function ruleEvents(rule: TargetRule, read: string[]): string {
  if (!rule.condition) throw new Unprintable(`'${rule.rule.title}' has no condition`);
  const source = kqlSource(rule.source, new Set([...fieldsOf(rule.condition), ...read]));
  if (!source) throw new Unprintable(`'${rule.rule.title}' has no table; correlations need the rules' tables from a mapping`);
  return `${source}\n| where ${kqlExpression(printTree(rule.condition), rule.source.columns)}`;
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

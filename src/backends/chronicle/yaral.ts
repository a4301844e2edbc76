// YARA-L 2.0 rules: meta from the rule, events from the condition, outcome from the output
// fields; correlations become multi-event rules with match windows.

import type { Correlation } from '../../ast/rule.js';
import { printTree, Unprintable } from '../tree.js';
import { correlatedRules } from '../correlated.js';
import type { ConvertContext, TargetRule } from '../types.js';
import { chronicleExpression, chronicleString, udmPath } from './query.js';

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };
const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '=', neq: '!=' } as const;

export function yaraLRule(target: TargetRule, context: ConvertContext): string {
  const rule = target.rule;
  const body = target.correlation ? correlationBody(target.correlation, context) : singleEventBody(target);
  return [`rule ${ruleName(rule.title, rule.id)} {`, ...meta(target), ...body, '}', ''].join('\n');
}

/** YARA-L rule names are identifiers: the title in lower case with underscores. */
export function ruleName(title: string, id: string): string {
  const name = title.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  if (!name) return `rule_${id.replace(/[^A-Za-z0-9]+/g, '_')}`;
  return /^[0-9]/.test(name) ? `rule_${name}` : name;
}

function meta(target: TargetRule): string[] {
  const rule = target.rule;
  const entries: Array<[string, string | undefined]> = [
    ['id', rule.id],
    ['title', rule.title],
    ['description', rule.description?.trim()],
    ['author', rule.author],
    ['reference', rule.references.join(', ') || undefined],
    ['date', rule.date],
    ['tags', rule.tags.join(', ') || undefined],
    ['mitre_attack_technique', rule.attack.techniques.map((t) => t.id).join(', ') || undefined],
    ['severity', rule.level],
    ['falsepositives', rule.falsepositives.join(', ') || undefined],
  ];
  return ['  meta:', ...entries.flatMap(([k, v]) => (v === undefined ? [] : [`    ${k} = ${chronicleString(v)}`]))];
}

function eventsOf(target: TargetRule, variable: string): string[] {
  if (!target.condition) throw new Unprintable(`'${target.rule.title}' has no condition`);
  const lines: string[] = [];
  const types = target.source.eventTypes ?? [];
  if (types.length > 0) lines.push(types.map((t) => `${variable}.metadata.event_type = "${t}"`).join(' OR '));
  const expression = chronicleExpression(printTree(target.condition), { prefix: `${variable}.`, fieldComparison: true });
  lines.push(types.length > 1 || /\bOR\b/.test(expression) ? `(${expression})` : expression);
  return lines;
}

function singleEventBody(target: TargetRule): string[] {
  const lines = ['  events:', ...eventsOf(target, '$e').map((l) => `    ${l}`)];
  if (target.fields.length > 0) {
    lines.push('  outcome:');
    for (const f of target.fields) lines.push(`    $${outcomeName(f.name)} = $e.${udmPath(f.name)}`);
  }
  lines.push('  condition:', '    $e');
  return lines;
}

function outcomeName(field: string): string {
  return field.replace(/[^A-Za-z0-9_]/g, '_');
}

/** A match window with the group-by fields as match variables. */
function correlationBody(correlation: Correlation, context: ConvertContext): string[] {
  if (correlation.type === 'value_percentile') throw new Unprintable('YARA-L has no percentile aggregation for value_percentile correlations', 'unsupported-correlation');
  if (correlation.groupBy.length === 0) throw new Unprintable('a YARA-L match window needs group-by fields', 'unsupported-correlation');
  const window = matchWindow(correlation.timespan.text);
  const rules = correlatedRules(correlation, context);
  const temporal = correlation.type === 'temporal' || correlation.type === 'temporal_ordered';
  const variables = temporal ? rules.map((_, i) => `$e${i + 1}`) : ['$e'];
  const groups = correlation.groupBy.map((g, i) => ({ alias: g, variable: `$g${i + 1}` }));
  const events: string[] = [];
  if (temporal) {
    rules.forEach((r, i) => events.push(...eventsOf(r.rule, variables[i]!)));
  } else {
    const alternatives = rules.map((r) => eventsOf(r.rule, '$e').join(' AND '));
    events.push(alternatives.length === 1 ? alternatives[0]! : alternatives.map((a) => `(${a})`).join(' OR '));
  }
  if (!temporal && rules.length > 1) {
    // One event variable stands for every rule, so a group field must be the same in each.
    for (const g of groups) {
      const fields = new Set(rules.map((r) => correlation.aliases[g.alias]?.[r.name] ?? g.alias));
      if (fields.size > 1) throw new Unprintable(`the alias '${g.alias}' names different fields per rule, which one YARA-L event variable cannot group by`, 'unsupported-correlation');
    }
  }
  variables.forEach((v, i) => {
    const name = rules[temporal ? i : 0]!.name;
    for (const g of groups) events.push(`${g.variable} = ${v}.${udmPath(correlation.aliases[g.alias]?.[name] ?? g.alias)}`);
  });
  if (correlation.type === 'temporal_ordered') {
    for (let i = 1; i < variables.length; i++) {
      events.push(`${variables[i - 1]}.metadata.event_timestamp.seconds < ${variables[i]}.metadata.event_timestamp.seconds`);
    }
  }
  const lines = ['  events:', ...events.map((l) => `    ${l}`), '  match:', `    ${groups.map((g) => g.variable).join(', ')} over ${window}`];
  const thresholds = (measure: string) => correlation.condition.map((c) => `${measure} ${COMPARE[c.op]} ${c.value}`).join(' and ');
  switch (correlation.type) {
    case 'event_count':
      lines.push('  condition:', `    ${thresholds('#e')}`);
      break;
    case 'value_count':
    case 'value_sum':
    case 'value_avg': {
      const fn = correlation.type === 'value_count' ? 'count_distinct' : correlation.type === 'value_sum' ? 'sum' : 'avg';
      const measure = `$${correlation.type}`;
      lines.push('  outcome:', `    ${measure} = ${fn}($e.${udmPath(correlation.field ?? '')})`, '  condition:', `    $e and ${thresholds(measure)}`);
      break;
    }
    default:
      lines.push('  condition:', `    ${variables.join(' and ')}`);
  }
  return lines;
}

function matchWindow(timespan: string): string {
  const m = /^(\d+)([smhdwMy])$/.exec(timespan);
  if (!m) throw new Unprintable(`invalid timespan '${timespan}'`);
  const [, n, unit] = m;
  if (unit === 'w') return `${Number(n) * 7}d`;
  if (!(unit! in UNIT_SECONDS)) throw new Unprintable(`a YARA-L match window cannot span '${timespan}'`);
  return `${n}${unit}`;
}

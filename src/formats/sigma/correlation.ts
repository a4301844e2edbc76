// Sigma correlation rules (specification 2.1): event_count, value_count, temporal,
// temporal_ordered, value_sum, value_avg and value_percentile, with group-by, timespan,
// condition and field aliases. References to other rules are resolved later, across the rule
// set (ruleset.ts).

import type { CompareOp, Correlation, CorrelationType } from '../../ast/rule.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { asString, asStringList, get, type YMap, type YNode } from '../yaml.js';

const TYPES: CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];
const NEEDS_FIELD: CorrelationType[] = ['value_count', 'value_sum', 'value_avg', 'value_percentile'];
const COMPARE_OPS: CompareOp[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];
const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800, M: 2629746, y: 31556952 };

export function readCorrelation(node: YNode, diagnostics: Diagnostic[]): Correlation | undefined {
  const fail = (message: string, at: YNode | undefined = node): undefined => {
    diagnostics.push(diagnostic('invalid-correlation', message, at ?? node));
    return undefined;
  };
  if (node.kind !== 'map') return fail("'correlation' must be a map");

  const type = asString(get(node, 'type')) as CorrelationType | undefined;
  if (!type) return fail("the correlation has no 'type'");
  if (!TYPES.includes(type)) return fail(`unknown correlation type '${type}' (expected ${TYPES.join(', ')})`, get(node, 'type'));

  const rules = asStringList(get(node, 'rules'));
  if (rules.length === 0) return fail("the correlation names no 'rules'");

  const timespanText = asString(get(node, 'timespan'));
  if (!timespanText) return fail("the correlation has no 'timespan'");
  const span = /^(\d+)([smhdwMy])$/.exec(timespanText.trim());
  if (!span) return fail(`invalid timespan '${timespanText}' (a number and one of s, m, h, d, w, M, y)`, get(node, 'timespan'));

  const groupByNode = get(node, 'group-by');
  const groupBy = asStringList(groupByNode);

  const correlation: Correlation = {
    type,
    rules: rules.map((ref) => ({ ref })),
    groupBy,
    timespan: { text: timespanText.trim(), seconds: Number(span[1]) * UNIT_SECONDS[span[2]!]! },
    condition: [],
    aliases: {},
    generate: false,
  };

  const conditionNode = get(node, 'condition');
  if (conditionNode && !(conditionNode.kind === 'scalar' && conditionNode.value === null)) {
    if (conditionNode.kind !== 'map') return fail("the correlation 'condition' must be a map such as {gte: 10}", conditionNode);
    for (const e of conditionNode.entries) {
      if (e.key === 'field') {
        const field = asString(e.value);
        if (field) correlation.field = field;
        continue;
      }
      if (e.key === 'percentile') continue;
      if (!COMPARE_OPS.includes(e.key as CompareOp)) {
        return fail(`unknown operator '${e.key}' in the correlation condition (expected ${COMPARE_OPS.join(', ')}, field)`, e.value);
      }
      const value = e.value.kind === 'scalar' ? Number(e.value.value) : NaN;
      if (e.value.kind !== 'scalar' || typeof e.value.value === 'boolean' || e.value.value === null || !Number.isFinite(value)) {
        return fail(`the threshold of '${e.key}' must be a number`, e.value);
      }
      correlation.condition.push({ op: e.key as CompareOp, value });
    }
  }
  if (correlation.condition.length === 0) {
    if (type === 'temporal' || type === 'temporal_ordered') {
      // All referenced rules must match within the timespan.
      correlation.condition.push({ op: 'gte', value: rules.length });
    } else return fail(`a ${type} correlation needs a condition such as {gte: 10}`);
  }
  if (NEEDS_FIELD.includes(type) && !correlation.field) return fail(`a ${type} correlation needs a 'field' in its condition`, conditionNode);
  if (groupBy.length === 0 && groupByNode === undefined && type !== 'temporal' && type !== 'temporal_ordered') {
    diagnostics.push(diagnostic('attribute-warning', "the correlation has no 'group-by': events are counted across all values", node));
  }

  const aliases = get(node, 'aliases');
  if (aliases) {
    if (aliases.kind !== 'map') return fail("'aliases' must map alias names to {rule name: field}", aliases);
    for (const alias of aliases.entries) {
      if (alias.value.kind !== 'map') return fail(`alias '${alias.key}' must map rule names to field names`, alias.value);
      correlation.aliases[alias.key] = Object.fromEntries(alias.value.entries.map((e) => [e.key, asString(e.value) ?? '']));
    }
  }
  const generate = get(node, 'generate');
  if (generate?.kind === 'scalar' && typeof generate.value === 'boolean') correlation.generate = generate.value;
  return correlation;
}

export function isCorrelationDocument(doc: YMap): boolean {
  return get(doc, 'correlation') !== undefined;
}

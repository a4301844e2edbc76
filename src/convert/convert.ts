// Conversion of a rule set to one target: map each rule to the target's fields and log
// sources, hand it to the target's backend, and collect queries and diagnostics per rule.

import type { Correlation, Rule, RuleResult } from '../ast/rule.js';
import { assumeEquals, simplify } from '../ast/simplify.js';
import { unknown } from '../ast/condition.js';
import { pythonOnlyField } from '../ast/python-fields.js';
import { mapCondition, necessaryCondition } from '../ast/walk.js';
import { backendFor } from '../backends/index.js';
import type { Backend, Target, TargetRule } from '../backends/types.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { fieldResolver, mapRule } from '../mapping/apply.js';
import { mappingFor } from '../mapping/load.js';
import type { Mapping } from '../mapping/schema.js';

export interface ConvertOptions {
  target: Target;
  format?: string;
  /** The mapping to use; `null` keeps the rules' own field names (`--no-mapping`). Default: the shipped one. */
  mapping?: Mapping | null;
  /** Unmapped fields and log sources are errors: the rule is not converted. */
  strict?: boolean;
}

export interface RuleConversion {
  result: RuleResult;
  target: Target;
  format: string;
  ok: boolean;
  queries: string[];
  diagnostics: Diagnostic[];
}

const MAPPING_CODES = new Set(['unmapped-field', 'unmapped-logsource']);

/** Converts every rule of a loaded rule set (filters are folded into the rules they tune). */
export function convertRuleSet(results: RuleResult[], options: ConvertOptions): RuleConversion[] {
  const backend = backendFor(options.target);
  const format = options.format ?? backend.defaultFormat;
  if (!backend.formats.includes(format)) throw new Error(`${options.target} has no format '${format}' (${backend.formats.join(', ')})`);
  const mapping = options.mapping === null ? undefined : (options.mapping ?? mappingFor(options.target, format).mapping);

  const byHandle = new Map<string, Rule>();
  for (const r of results) {
    if (!r.rule) continue;
    byHandle.set(r.rule.id, r.rule);
    if (r.rule.name) byHandle.set(r.rule.name, r.rule);
  }
  const views = new Map<Rule, { view: TargetRule; diagnostics: Diagnostic[] }>();
  const view = (rule: Rule) => {
    let v = views.get(rule);
    if (!v) {
      v = targetView(rule, mapping, options.target, byHandle);
      views.set(rule, v);
    }
    return v;
  };
  const context = { format, resolve: (ref: string) => (byHandle.has(ref) ? view(byHandle.get(ref)!).view : undefined) };
  const containers = correlatedOnly(results, byHandle);

  const convertOne = (result: RuleResult): RuleConversion => {
    const out: RuleConversion = { result, target: options.target, format, ok: false, queries: [], diagnostics: [] };
    if (!result.ok || !result.rule) {
      out.diagnostics.push(diagnostic('unsupported-construct', 'the rule did not load', { path: result.path }));
      return out;
    }
    const rule = queryable(result.rule, backend);
    if (result.rule.extraction === 'partial') {
      out.diagnostics.push(diagnostic('partial-condition', 'the rule was only partly extracted; the query is its necessary condition'));
    } else if (rule.extraction === 'partial') {
      out.diagnostics.push(diagnostic('partial-condition', `the rule tests values ${options.target} cannot read (deep_walk across lists, JSON text it decodes, numbers it converts, JSON types, array elements); the query is the necessary condition without those tests`));
    }
    const parts = perLogType(rule, mapping, options.target, byHandle) ?? [view(rule)];
    const strictly = (d: Diagnostic) => (options.strict && MAPPING_CODES.has(d.code) ? { ...d, severity: 'error' as const } : d);
    out.diagnostics.push(...parts.flatMap((p) => p.diagnostics).map(strictly));
    // A rule a correlation uses is converted inside it only, unless no such correlation converts.
    const container = containers.get(rule)?.find((c) => correlationDone.get(c)?.ok);
    if (container && !hasErrors(out.diagnostics)) {
      out.diagnostics.push(diagnostic('correlated-only', `converted only inside the correlation '${container.title}'; give that correlation \`generate: true\` to convert this rule on its own too`));
    } else if (!hasErrors(out.diagnostics)) {
      for (const part of parts) {
        const conversion = backend.convert(part.view, context);
        out.queries.push(...conversion.queries);
        out.diagnostics.push(...conversion.diagnostics);
      }
    }
    out.diagnostics = out.diagnostics.map((d) => ({ ...d, path: d.path ?? result.path, line: d.line ?? rule.source.line, col: d.col ?? rule.source.col }));
    out.ok = !hasErrors(out.diagnostics) && (out.queries.length > 0 || container !== undefined);
    return out;
  };
  // Correlations first (in order, so that one a later correlation uses is known by then).
  const correlationDone = new Map<Rule, RuleConversion>();
  for (const r of results) if (r.rule?.correlation) correlationDone.set(r.rule, convertOne(r));
  // Filters convert inside the rules they apply to; documents that are not rules by design
  // (Panther helpers, data models, policies) have nothing to convert.
  return results.filter((r) => r.rule?.kind !== 'filter' && r.skipped === undefined).map((r) => (r.rule && correlationDone.get(r.rule)) ?? convertOne(r));
}

/**
 * The rule as the target's queries can state it: tests of fields only the Python evaluator
 * reads, and type and array-element tests where the language has none, become unknown, so
 * that the query is the rule's necessary condition rather than no query, or a wrong one.
 */
function queryable(rule: Rule, backend: Pick<Backend, 'typeTests' | 'elementTests'>): Rule {
  if (!rule.condition) return rule;
  let changed = false;
  const condition = mapCondition(rule.condition, (node) => {
    if (node.kind !== 'match' && node.kind !== 'exists' && node.kind !== 'elements') return node;
    const python = pythonOnlyField(node.field);
    const why = python
      ? `${node.field} is ${python}`
      : node.kind === 'match' && node.op === 'is' && !backend.typeTests
        ? `the test of the JSON type of ${node.field}`
        : node.kind === 'elements' && !backend.elementTests
          ? `the test of the elements of the array ${node.field}`
          : undefined;
    if (!why) return node;
    changed = true;
    return unknown(why, node.span);
  });
  return changed ? { ...rule, condition, extraction: 'partial' } : rule;
}

/**
 * A rule over several log types (Panther) becomes one query per log type: the log types map to
 * different tables, and `p_log_type` tests in its condition are decided for each. Undefined for
 * other rules.
 */
function perLogType(rule: Rule, mapping: Mapping | undefined, target: Target, byHandle: Map<string, Rule>): Array<{ view: TargetRule; diagnostics: Diagnostic[] }> | undefined {
  const types = rule.logsource.logTypes ?? [];
  if (!mapping || types.length < 2 || !rule.condition) return undefined;
  const whole = rule.extraction === 'partial' ? simplify(necessaryCondition(rule.condition)) : rule.condition;
  const parts: Array<{ view: TargetRule; diagnostics: Diagnostic[] }> = [];
  for (const logType of types) {
    const condition = assumeEquals(whole, 'p_log_type', logType);
    if (condition.kind === 'const' && !condition.value) continue;
    parts.push(targetView({ ...rule, logsource: { logTypes: [logType] }, condition, extraction: 'complete' }, mapping, target, byHandle));
  }
  return parts;
}

/**
 * The correlations that use each rule without `generate: true`: Sigma converts such a rule only
 * inside them.
 */
function correlatedOnly(results: RuleResult[], byHandle: Map<string, Rule>): Map<Rule, Rule[]> {
  const inside = new Map<Rule, Rule[]>();
  const generated = new Set<Rule>();
  for (const r of results) {
    const correlation = r.rule?.correlation;
    if (!correlation) continue;
    for (const ref of correlation.rules) {
      const rule = byHandle.get(ref.id ?? ref.ref);
      if (!rule) continue;
      if (correlation.generate) generated.add(rule);
      else inside.set(rule, [...(inside.get(rule) ?? []), r.rule!]);
    }
  }
  for (const rule of generated) inside.delete(rule);
  return inside;
}

function targetView(rule: Rule, mapping: Mapping | undefined, target: Target, byHandle: Map<string, Rule>): { view: TargetRule; diagnostics: Diagnostic[] } {
  const condition = rule.condition && rule.extraction === 'partial' ? simplify(necessaryCondition(rule.condition)) : rule.condition;
  if (rule.correlation) {
    const mapped = mapCorrelation(rule.correlation, mapping, target, byHandle);
    return { view: { rule, condition, fields: rule.fields, source: {}, correlation: mapped.correlation }, diagnostics: mapped.diagnostics };
  }
  return mapRule(rule, condition, mapping, target);
}

/**
 * Group-by and aggregated fields are fields of the correlated rules: each is mapped through the
 * log source of the rule it comes from (an alias names one field per rule).
 */
function mapCorrelation(correlation: Correlation, mapping: Mapping | undefined, target: Target, byHandle: Map<string, Rule>): { correlation: Correlation; diagnostics: Diagnostic[] } {
  if (!mapping) return { correlation, diagnostics: [] };
  const rules = correlation.rules.flatMap((r) => byHandle.get(r.id ?? r.ref) ?? []);
  const resolvers = new Map(rules.map((r) => [r, fieldResolver(r.logsource, mapping, target)]));
  const first = (field: string) => {
    const resolver = resolvers.get(rules[0]!);
    return resolver ? resolver.resolve(field)[0]! : field;
  };
  const aliases: Correlation['aliases'] = {};
  for (const [alias, byRule] of Object.entries(correlation.aliases)) {
    aliases[alias] = {};
    for (const [name, field] of Object.entries(byRule)) {
      const rule = byHandle.get(name);
      const resolver = rule && resolvers.get(rule);
      aliases[alias]![name] = resolver ? resolver.resolve(field)[0]! : field;
    }
  }
  const mapped: Correlation = {
    ...correlation,
    groupBy: correlation.groupBy.map((g) => (g in correlation.aliases ? g : first(g))),
    aliases,
  };
  if (correlation.field) mapped.field = first(correlation.field);
  // Only the field diagnostics belong to the correlation; log sources are the rules' own.
  const diagnostics = [...resolvers.values()].flatMap((r) => r.diagnostics.filter((d) => d.code === 'unmapped-field'));
  return { correlation: mapped, diagnostics };
}

// Conversion of a rule set to one target: map each rule to the target's fields and log
// sources, hand it to the target's backend, and collect queries and diagnostics per rule.

import type { Rule, RuleResult } from '../ast/rule.js';
import { necessaryCondition } from '../ast/walk.js';
import { backendFor } from '../backends/index.js';
import type { Target, TargetRule } from '../backends/types.js';
import { diagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';

export interface ConvertOptions {
  target: Target;
  format?: string;
}

export interface RuleConversion {
  result: RuleResult;
  target: Target;
  format: string;
  ok: boolean;
  queries: string[];
  diagnostics: Diagnostic[];
}

/** Converts every rule of a loaded rule set (filters are folded into the rules they tune). */
export function convertRuleSet(results: RuleResult[], options: ConvertOptions): RuleConversion[] {
  const backend = backendFor(options.target);
  const format = options.format ?? backend.defaultFormat;
  const byHandle = new Map<string, Rule>();
  for (const r of results) {
    if (!r.rule) continue;
    byHandle.set(r.rule.id, r.rule);
    if (r.rule.name) byHandle.set(r.rule.name, r.rule);
  }
  const view = (rule: Rule): TargetRule => targetView(rule);
  const context = { format, resolve: (ref: string) => (byHandle.has(ref) ? view(byHandle.get(ref)!) : undefined) };

  return results
    .filter((r) => r.rule?.kind !== 'filter')
    .map((result) => {
      const out: RuleConversion = { result, target: options.target, format, ok: false, queries: [], diagnostics: [] };
      if (!result.ok || !result.rule) {
        out.diagnostics.push(diagnostic('unsupported-construct', 'the rule did not load', { path: result.path }));
        return out;
      }
      const rule = result.rule;
      if (rule.extraction === 'partial') {
        out.diagnostics.push(diagnostic('partial-condition', 'the rule was only partly extracted; the query is its necessary condition'));
      }
      const conversion = backend.convert(view(rule), context);
      out.queries = conversion.queries;
      out.diagnostics.push(...conversion.diagnostics);
      out.diagnostics = out.diagnostics.map((d) => ({ ...d, path: d.path ?? result.path, line: d.line ?? rule.source.line, col: d.col ?? rule.source.col }));
      out.ok = !hasErrors(out.diagnostics) && out.queries.length > 0;
      return out;
    });
}

function targetView(rule: Rule): TargetRule {
  const condition = rule.condition && rule.extraction === 'partial' ? necessaryCondition(rule.condition) : rule.condition;
  return { rule, condition, fields: rule.fields, source: {} };
}

// What Sigma documents mean together: correlations name the rules they combine and filters
// name the rules they tune, by id or by `name`, anywhere in the rule set.

import { and } from '../../ast/condition.js';
import type { LogSource, Rule, RuleRef, RuleResult } from '../../ast/rule.js';
import { containsUnknown } from '../../ast/walk.js';
import { diagnostic, hasErrors } from '../../diagnostics/diagnostic.js';

export function linkSigmaRuleSet(results: RuleResult[]): void {
  const sigma = results.filter((r) => r.rule?.source.format === 'sigma');
  const byHandle = new Map<string, RuleResult>();
  for (const result of sigma) {
    const rule = result.rule!;
    if (rule.kind === 'filter') continue;
    for (const handle of new Set([rule.id, rule.name].filter((h): h is string => !!h))) {
      const first = byHandle.get(handle);
      if (first && first !== result) {
        result.diagnostics.push(
          diagnostic('duplicate-id', `'${handle}' is also the id or name of ${describe(first.rule!)}`, {
            path: result.path,
            line: rule.source.line,
            col: rule.source.col,
          }),
        );
      } else byHandle.set(handle, result);
    }
  }

  const resolve = (ref: RuleRef): RuleRef => {
    const target = byHandle.get(ref.ref)?.rule;
    return target ? { ref: ref.ref, id: target.id } : ref;
  };

  for (const result of sigma) {
    const rule = result.rule!;
    if (rule.kind === 'correlation' && rule.correlation) {
      rule.correlation.rules = rule.correlation.rules.map(resolve);
      const missing = rule.correlation.rules.filter((r) => !r.id).map((r) => `'${r.ref}'`);
      if (missing.length > 0) {
        result.diagnostics.push(
          diagnostic('unresolved-reference', `the correlation names ${missing.join(', ')}, which no rule in the rule set has as id or name`, {
            path: result.path,
            line: rule.source.line,
            col: rule.source.col,
          }),
        );
        result.ok = false;
      }
    }
  }

  const filters = sigma.filter((r) => r.rule!.kind === 'filter' && r.ok);
  for (const filterResult of filters) {
    const filter = filterResult.rule!;
    const spec = filter.filter!;
    if (spec.rules !== 'any') {
      spec.rules = spec.rules.map(resolve);
      const missing = spec.rules.filter((r) => !r.id).map((r) => `'${r.ref}'`);
      if (missing.length > 0) {
        filterResult.diagnostics.push(
          diagnostic(
            'unresolved-reference',
            `the filter names ${missing.join(', ')}, which no rule in the rule set has as id or name; it is not applied there`,
            { path: filterResult.path, line: filter.source.line, col: filter.source.col },
            'warning',
          ),
        );
      }
    }
    const targets = spec.rules === 'any' ? undefined : new Set(spec.rules.flatMap((r) => (r.id ? [r.id] : [])));
    for (const result of sigma) {
      const rule = result.rule!;
      if (rule.kind !== 'rule' || !rule.condition || hasErrors(result.diagnostics)) continue;
      if (targets ? !targets.has(rule.id) : false) continue;
      if (!logSourceCovers(filter.logsource, rule.logsource)) continue;
      const condition = and([rule.condition, spec.condition]);
      result.rule = {
        ...rule,
        condition,
        extraction: containsUnknown(condition) ? 'partial' : rule.extraction,
        appliedFilters: [...(rule.appliedFilters ?? []), filter.id],
        stages: [...rule.stages, { name: `filter ${filter.id}`, text: filter.stages[0]?.text ?? '', condition: spec.condition }],
      };
    }
  }
}

/** A filter's log source covers a rule's when every attribute it sets is the rule's too. */
function logSourceCovers(filter: LogSource, rule: LogSource): boolean {
  return (['product', 'category', 'service'] as const).every((k) => filter[k] === undefined || filter[k] === rule[k]);
}

function describe(rule: Rule): string {
  return `'${rule.title}' (${rule.source.path})`;
}

// The converted queries a rule page shows: each target converts the whole corpus once (the
// converters link correlations to the rules they use, and build their mapping once), and each
// rule page then reads its own conversion per target.

import type { RuleResult } from '../../ast/rule.js';
import type { Target } from '../../backends/types.js';
import { convertRuleSet, type RuleConversion } from '../../convert/convert.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';

export interface SiteTarget {
  /** Stable key, used in element ids. */
  key: string;
  label: string;
  target: Target;
  format: string;
}

/** The targets every rule page shows, in page order, each with its shipped mapping. */
export const SITE_TARGETS: readonly SiteTarget[] = [
  { key: 'splunk', label: 'Splunk SPL', target: 'splunk', format: 'default' },
  { key: 'kql-xdr', label: 'KQL: Microsoft Defender XDR', target: 'kql', format: 'xdr' },
  { key: 'kql-sentinel', label: 'KQL: Microsoft Sentinel analytics rule', target: 'kql', format: 'sentinel' },
  { key: 'chronicle', label: 'Google SecOps YARA-L 2.0', target: 'chronicle', format: 'yaral' },
];

export interface TargetOutcome {
  target: SiteTarget;
  queries: string[];
  /** Set when the query is the rule's necessary condition (it matches at least what the rule alerts on): why. */
  partial?: string;
  /** Why no query was produced (error diagnostics), empty when there is one. */
  errors: Diagnostic[];
  /** Warnings and notes (unmapped fields, converted only inside a correlation...). */
  notes: Diagnostic[];
}

/**
 * Each rule's outcome for each target (in SITE_TARGETS order), in the order of `results`: the
 * rules of the catalog in its order, each with its path from the catalog's base.
 */
export function convertRules(results: RuleResult[]): TargetOutcome[][] {
  const table: TargetOutcome[][] = results.map(() => []);
  for (const target of SITE_TARGETS) {
    const byResult = new Map<RuleResult, RuleConversion>();
    for (const conversion of convertRuleSet(results, { target: target.target, format: target.format })) byResult.set(conversion.result, conversion);
    results.forEach((result, i) => table[i]!.push(outcome(target, byResult.get(result), result)));
  }
  return table;
}

function outcome(target: SiteTarget, conversion: RuleConversion | undefined, result: RuleResult): TargetOutcome {
  if (!conversion) {
    // convertRuleSet leaves filters out: they are folded into the rules they tune.
    const note: Diagnostic = {
      severity: 'info',
      code: 'not-converted',
      message: 'a filter is not converted on its own: it is folded into the queries of the rules it tunes',
    };
    return { target, queries: [], errors: [], notes: result.rule?.kind === 'filter' ? [note] : [] };
  }
  const errors = conversion.diagnostics.filter((d) => d.severity === 'error');
  const partial = conversion.diagnostics.find((d) => d.code === 'partial-condition');
  // The partial note is shown as its own sentence; the rest are listed.
  const notes = conversion.diagnostics.filter((d) => d.severity !== 'error' && d.code !== 'partial-condition');
  const out: TargetOutcome = { target, queries: conversion.ok ? conversion.queries : [], errors, notes };
  if (partial) out.partial = partial.message;
  return out;
}

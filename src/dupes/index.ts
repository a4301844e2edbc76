// The duplicate check as a library call: rule results in, findings and a summary out.
// Reporters (report-*.ts) print them; src/cli/dupes.ts wires the command line to it.

import type { RuleResult } from '../ast/rule.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { findDuplicates } from './analyse.js';
import { atLeast, isAccepted, levelOf, type Baseline, type Level } from './baseline.js';
import { comparable, type Comparable } from './comparable.js';
import { findingView, type FindingView, type RunSummary } from './report.js';
import { taxonomy } from './taxonomy.js';

export interface CheckOptions {
  minScore: number;
  failOn: Level | 'never';
  /** The rules under review, by their file; without it every rule is compared with every other. */
  underReview?: (path: string) => boolean;
  baseline?: { baseline: Baseline; ids: string[] };
  onProgress?: (done: number, total: number) => void;
}

export interface CheckResult {
  findings: FindingView[];
  summary: RunSummary;
  diagnostics: Diagnostic[];
}

export function checkDuplicates(results: RuleResult[], options: CheckOptions): CheckResult {
  const names = taxonomy();
  const review = options.underReview;
  const rules = results.flatMap((r) => (r.rule && r.rule.kind === 'rule' && r.rule.condition ? [r.rule] : []));
  const notCompared = results.filter((r) => r.rule).length - rules.length;
  // Under review, only the log sources of the reviewed rules matter: the others are not normalized.
  const wanted = review ? new Set(rules.filter((r) => review(r.source.path)).flatMap((r) => names.of(r).logSources)) : undefined;
  const corpus: Comparable[] = [];
  for (const rule of rules) {
    if (wanted && !names.of(rule).logSources.some((s) => wanted.has(s))) continue;
    corpus.push(comparable(rule, names)!);
  }
  const isNew = review ? (i: number) => review(corpus[i]!.rule.source.path) : undefined;
  const reviewed = review ? rules.filter((r) => review(r.source.path)).length : 0;
  const analysis = findDuplicates(corpus, { minScore: options.minScore, ...(isNew ? { isNew } : {}), ...(options.onProgress ? { onProgress: options.onProgress } : {}) });

  const counts: Record<Level, number> = { equivalent: 0, subsumed: 0, overlap: 0 };
  const findings: FindingView[] = [];
  let accepted = 0;
  for (const finding of analysis.findings) {
    const level = levelOf(finding.relation);
    const [a, b] = [corpus[finding.first]!.rule.id, corpus[finding.second]!.rule.id];
    if (options.baseline && isAccepted(options.baseline.baseline, a, b, level)) {
      accepted++;
      continue;
    }
    counts[level]++;
    findings.push(findingView(finding, corpus, options.failOn !== 'never' && atLeast(level, options.failOn)));
  }

  const diagnostics: Diagnostic[] = [];
  if (options.baseline) {
    const known = new Set(corpus.map((c) => c.rule.id));
    for (const id of [...new Set(options.baseline.ids)].sort()) {
      if (!known.has(id)) diagnostics.push(diagnostic('baseline-unknown-rule', `the baseline accepts a pair with rule '${id}', which none of the rules read has`));
    }
  }
  const summary: RunSummary = {
    rules: results.length,
    compared: rules.length,
    notCompared,
    failedToRead: results.filter((r) => !r.rule && !r.skipped).length,
    skipped: results.filter((r) => !r.rule && r.skipped).length,
    underReview: review ? reviewed : null,
    // All pairs of the whole input, not only of the log sources the reviewed rules share.
    analysis: { candidatePairs: analysis.candidatePairs, allPairs: pairsOf(rules.length, review ? reviewed : undefined), logSources: analysis.logSources },
    counts,
    accepted,
    failing: findings.filter((f) => f.failing).length,
    minScore: options.minScore,
    failOn: options.failOn,
  };
  return { findings, summary, diagnostics };
}

/** Pairs of n rules, or of the reviewed ones with every other rule and with each other. */
function pairsOf(n: number, reviewed: number | undefined): number {
  return reviewed ? reviewed * (n - reviewed) + (reviewed * (reviewed - 1)) / 2 : (n * (n - 1)) / 2;
}

export { readBaseline, baselineText, type Level } from './baseline.js';
export { summaryLine, textReport } from './report-text.js';
export { sarifReport } from './report-sarif.js';
export { changedRuleFiles } from './git.js';

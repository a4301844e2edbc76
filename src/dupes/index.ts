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
  const corpus: Comparable[] = [];
  let notCompared = 0;
  for (const result of results) {
    if (!result.rule) continue;
    const c = comparable(result.rule, names);
    if (c) corpus.push(c);
    else notCompared++;
  }
  const review = options.underReview;
  const isNew = review ? (i: number) => review(corpus[i]!.rule.source.path) : undefined;
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
    compared: corpus.length,
    notCompared,
    failedToRead: results.filter((r) => !r.rule && !r.skipped).length,
    skipped: results.filter((r) => !r.rule && r.skipped).length,
    underReview: isNew ? corpus.filter((_c, i) => isNew(i)).length : null,
    analysis: { candidatePairs: analysis.candidatePairs, allPairs: analysis.allPairs, logSources: analysis.logSources },
    counts,
    accepted,
    failing: findings.filter((f) => f.failing).length,
    minScore: options.minScore,
    failOn: options.failOn,
  };
  return { findings, summary, diagnostics };
}

export { readBaseline, baselineText, type Level } from './baseline.js';
export { summaryLine, textReport } from './report-text.js';
export { sarifReport } from './report-sarif.js';
export { changedRuleFiles } from './git.js';

// The text report: each finding in two lines (the pair and its relation; what explains it),
// then a summary.

import type { FindingView, RunSummary } from './report.js';

const LISTED = 4;

export function textReport(findings: FindingView[], summary: RunSummary): string {
  const lines: string[] = [];
  for (const f of findings) {
    const mark = f.failing ? 'error' : f.level === 'overlap' ? 'note' : 'warning';
    lines.push(`${f.first.path}:${f.first.line}:${f.first.col}: ${mark}: ${sentence(f)}`);
    lines.push(`    ${explanation(f)}`);
  }
  if (lines.length > 0) lines.push('');
  lines.push(summaryLine(summary));
  return lines.join('\n') + '\n';
}

function sentence(f: FindingView): string {
  const a = `"${f.first.title}"`;
  const b = `"${f.second.title}" (${f.second.path}:${f.second.line})`;
  switch (f.relation) {
    case 'equivalent':
      return `${a} is equivalent to ${b}: the same condition in another shape [${f.logSource}]`;
    case 'subsumed-by':
      return `${a} is subsumed by ${b}: every event it matches, that rule matches too [${f.logSource}]`;
    case 'subsumes':
      return `${a} subsumes ${b}: it matches every event that rule matches, and more [${f.logSource}]`;
    case 'overlap':
      return `${a} overlaps ${b}, score ${f.score.toFixed(2)} [${f.logSource}]`;
  }
}

function explanation(f: FindingView): string {
  const parts = [`shared: ${list(f.shared)}`];
  if (f.onlyFirst.length > 0) parts.push(`only in this rule: ${list(f.onlyFirst)}`);
  if (f.onlySecond.length > 0) parts.push(`only in the other: ${list(f.onlySecond)}`);
  if (f.relation === 'equivalent' && f.onlyFirst.length + f.onlySecond.length === 0) parts.push('no difference');
  if (f.undecided) parts.push(`subsumption not decided: ${f.undecided}`);
  if (f.alerting) parts.push(`alerting differs: ${f.alerting}`);
  return parts.join('; ');
}

function list(items: string[]): string {
  if (items.length === 0) return 'nothing';
  const shown = items.slice(0, LISTED).join(', ');
  return items.length > LISTED ? `${shown} and ${items.length - LISTED} more` : shown;
}

export function summaryLine(s: RunSummary): string {
  const share = s.analysis.allPairs === 0 ? 0 : (100 * s.analysis.candidatePairs) / s.analysis.allPairs;
  const parts = [
    `${s.compared} of ${s.rules} rules compared${s.underReview !== null ? ` (${s.underReview} under review)` : ''}` +
      (s.notCompared ? `, ${s.notCompared} without a condition of their own` : '') +
      (s.failedToRead ? `, ${s.failedToRead} could not be read` : '') +
      (s.skipped ? `, ${s.skipped} documents are not rules` : ''),
    `${s.analysis.candidatePairs} candidate pairs of ${s.analysis.allPairs} (${share < 0.1 && share > 0 ? share.toFixed(3) : share.toFixed(1)}%) in ${s.analysis.logSources} log source${s.analysis.logSources === 1 ? '' : 's'}`,
    `${s.counts.equivalent} equivalent, ${s.counts.subsumed} subsumed, ${s.counts.overlap} overlapping at score ≥ ${s.minScore}` +
      (s.accepted ? ` (${s.accepted} accepted by the baseline)` : ''),
    s.failOn === 'never' ? 'nothing fails the run (--fail-on never)' : `${s.failing} at or above --fail-on ${s.failOn}`,
  ];
  return parts.join('; ');
}

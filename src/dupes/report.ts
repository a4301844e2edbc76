// A finding as every report shows it: the two rules by place and id, the relation read from
// the first rule's side, and the indicators that explain it.

import { relative, sep } from 'node:path';
import type { Analysis, Finding } from './analyse.js';
import { levelOf, type Level } from './baseline.js';
import type { Comparable } from './comparable.js';
import type { Relation } from './relate.js';

export interface RuleSide {
  id: string;
  title: string;
  /** Relative to the working folder, with `/` separators. */
  path: string;
  line: number;
  col: number;
  format: string;
}

export interface FindingView {
  first: RuleSide;
  second: RuleSide;
  relation: Relation;
  level: Level;
  /** At or above --fail-on and not accepted by the baseline. */
  failing: boolean;
  score: number;
  logSource: string;
  shared: string[];
  onlyFirst: string[];
  onlySecond: string[];
  undecided?: string;
  /** How the rules' alerting differs where their conditions match alike (Panther threshold, dedup). */
  alerting?: string;
}

export interface RunSummary {
  rules: number;
  compared: number;
  /** Rules with no condition of their own to compare (correlations, filters). */
  notCompared: number;
  failedToRead: number;
  /** Documents that are not rules by design (Panther policies, helpers). */
  skipped: number;
  underReview: number | null;
  analysis: Pick<Analysis, 'candidatePairs' | 'logSources'> & {
    /** Pairs a comparison of everything with everything (or of the reviewed rules with all) would decide. */
    allPairs: number;
  };
  counts: Record<Level, number>;
  accepted: number;
  failing: number;
  minScore: number;
  failOn: Level | 'never';
}

/** Where a finding points: the rule's condition where the rule file holds it, else the rule's document. */
export function ruleSide(c: Comparable): RuleSide {
  const { source } = c.rule;
  const at = c.rule.stages.find((s) => s.name === 'condition' && s.span && !s.span.file)?.span ?? source;
  return { id: c.rule.id, title: c.rule.title, path: displayPath(source.path), line: at.line, col: at.col, format: source.format };
}

export function findingView(finding: Finding, corpus: Comparable[], failing: boolean): FindingView {
  const first = corpus[finding.first]!;
  const second = corpus[finding.second]!;
  const view: FindingView = {
    first: ruleSide(first),
    second: ruleSide(second),
    relation: finding.relation,
    level: levelOf(finding.relation),
    failing,
    score: Math.round(finding.score * 1000) / 1000,
    logSource: finding.logSource,
    shared: finding.shared.map((i) => i.text),
    onlyFirst: finding.onlyFirst.map((i) => i.text),
    onlySecond: finding.onlySecond.map((i) => i.text),
  };
  if (finding.undecided) view.undecided = finding.undecided;
  const alerting = alertingDifference(first, second);
  if (alerting) view.alerting = alerting;
  return view;
}

/** Rules with one condition may still alert differently: after a threshold, or deduplicated over another period. */
function alertingDifference(a: Comparable, b: Comparable): string | undefined {
  const x = a.rule.alerting;
  const y = b.rule.alerting;
  if (!x || !y) return undefined;
  const parts: string[] = [];
  if ((x.threshold ?? 1) !== (y.threshold ?? 1)) parts.push(`threshold ${x.threshold ?? 1} vs ${y.threshold ?? 1}`);
  if (x.dedupPeriodMinutes !== y.dedupPeriodMinutes) parts.push(`dedup period ${x.dedupPeriodMinutes ?? 'default'} vs ${y.dedupPeriodMinutes ?? 'default'} minutes`);
  return parts.length > 0 ? parts.join(', ') : undefined;
}

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return (rel.startsWith('..') ? path : rel).split(sep).join('/');
}

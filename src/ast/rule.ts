// The Rule model: what every front end produces and everything downstream reads. It knows
// nothing of targets; a page of the catalog, a converted query and a duplicate finding are
// all functions of it.

import type { Condition, Span } from './condition.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export type RuleFormat = 'sigma' | 'panther';
export type RuleKind = 'rule' | 'correlation' | 'filter';
export type Level = 'informational' | 'low' | 'medium' | 'high' | 'critical';

export interface AttackTactic {
  id: string;
  name: string;
  shortname: string;
}

export interface AttackTechnique {
  id: string;
  /** Absent when the ATT&CK table in use does not know the technique. */
  name?: string;
  /** Ids of the tactics this rule covers the technique under. */
  tactics: string[];
}

export interface AttackCoverage {
  tactics: AttackTactic[];
  techniques: AttackTechnique[];
}

/** Sigma's product/category/service/definition, or Panther's log types. */
export interface LogSource {
  product?: string;
  category?: string;
  service?: string;
  definition?: string;
  logTypes?: string[];
}

export interface OutputField {
  name: string;
  /** Field path the value comes from; empty when it is computed. */
  source: string;
}

export interface RuleTest {
  name: string;
  expected: boolean;
  event: unknown;
  /** Names the case replaces with mocks (Panther `Mocks:`), and what each mock returns. */
  mocks?: Array<{ name: string; returns: unknown }>;
  /** The rule's condition as this case sees it, where its mocks change it. */
  condition?: Condition;
  /** Why the case cannot be run (a mock of something the rule does not have). */
  skip?: string;
  span?: Span;
}

/** Panther's alerting settings, shown in the catalog. */
export interface AlertSettings {
  dedupPeriodMinutes?: number;
  threshold?: number;
  enabled: boolean;
}

/** A named part of the detection as written (Sigma: the condition and each selection). */
export interface Stage {
  name: string;
  /** The part's source text. */
  text: string;
  condition?: Condition;
  span?: Span;
}

export interface RuleRef {
  /** The id or name as written. */
  ref: string;
  /** The id it resolved to in the rule set. */
  id?: string;
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export type CompareOp = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface Correlation {
  type: CorrelationType;
  rules: RuleRef[];
  groupBy: string[];
  timespan: { text: string; seconds: number };
  /** Conjunction of thresholds on the count (or on the aggregated `field`). */
  condition: Array<{ op: CompareOp; value: number }>;
  field?: string;
  /** alias -> rule name -> field name */
  aliases: Record<string, Record<string, string>>;
  generate: boolean;
}

export interface FilterSpec {
  rules: RuleRef[] | 'any';
  condition: Condition;
}

export interface RuleSource {
  path: string;
  format: RuleFormat;
  /** Index of the document within a multi-document file (0-based). */
  document: number;
  line: number;
  col: number;
  /** The document's source text. */
  text: string;
}

export interface Rule {
  kind: RuleKind;
  id: string;
  /** Sigma's `name`, the handle correlations and filters may use instead of the id. */
  name?: string;
  title: string;
  description?: string;
  author?: string;
  date?: string;
  modified?: string;
  status?: string;
  level?: Level;
  references: string[];
  tags: string[];
  falsepositives: string[];
  /** What to do when the rule fires (Panther `Runbook`, Markdown). */
  runbook?: string;
  alerting?: AlertSettings;
  attack: AttackCoverage;
  logsource: LogSource;
  /** The detection condition; null for correlations, which combine other rules. */
  condition: Condition | null;
  /** `partial` when the condition holds `unknown` parts (see necessaryCondition). */
  extraction: 'complete' | 'partial';
  fields: OutputField[];
  tests: RuleTest[];
  stages: Stage[];
  correlation?: Correlation;
  filter?: FilterSpec;
  /** Ids of filter documents that were applied to this rule's condition. */
  appliedFilters?: string[];
  related?: Array<{ id: string; type: string }>;
  source: RuleSource;
}

/**
 * The outcome for one input rule document: a rule, diagnostics, or both; or, for a document
 * that is not a rule by design (a Panther policy, helper module or pack), why it was skipped.
 */
export interface RuleResult {
  path: string;
  document: number;
  ok: boolean;
  rule?: Rule;
  skipped?: string;
  diagnostics: Diagnostic[];
}

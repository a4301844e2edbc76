// The catalog index: everything the catalog's pages and machine-readable files show about a
// corpus, computed once. Every list is in a fixed order (documented on each field), so that
// the same rules give the same index, and the same pages, whatever order they were read in.

import type { AttackCoverage, Level, OutputField, Rule, RuleFormat, RuleKind } from '../ast/rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { IndicatorIdentity } from './indicators.js';

export type Platform = RuleFormat;
export const PLATFORMS: readonly Platform[] = ['sigma', 'panther'];

/** How lists refer to a rule: enough to link to its page and name it. */
export interface RuleRef {
  slug: string;
  id: string;
  title: string;
  platform: Platform;
}

export interface RuleIndicator extends IndicatorIdentity {
  /** The distinct indicator's slug (its page). */
  slug: string;
  /** The field and value as this rule writes them (the identity is normalized). */
  written: { field: string | null; value: string | null };
  /** Tested under a negation: what the rule excludes, not what it looks for. */
  exclusion: boolean;
  /** How many other rules of the catalog look for this indicator (test it positively). */
  corpusCount: number;
}

export interface RuleAction {
  family: string;
  familyTitle: string;
  /** The operation field and value as the rule writes them. */
  field: string;
  value: string;
  /** The action group's key and slug. */
  group: string;
  slug: string;
}

/** Another rule detecting an action this rule detects, with the groups they share. */
export interface SameActionRule {
  rule: RuleRef;
  groups: string[];
}

export interface CatalogRule extends RuleRef {
  kind: RuleKind;
  /** The file, relative to the index's `pathBase` where one was given, with `/` separators. */
  path: string;
  document: number;
  /** False when the rule was read with errors (see diagnostics). */
  ok: boolean;
  level?: Level;
  extraction: 'complete' | 'partial';
  attack: AttackCoverage;
  /** Keys of the log-source facet entries the rule is listed under. */
  logsources: string[];
  /** Looked-for indicators first, then exclusions, each in (field, op, value) order. */
  indicators: RuleIndicator[];
  /** In group key order. */
  actions: RuleAction[];
  /** Other rules detecting one of the same actions, by platform; each list in catalog order. */
  sameAction: { samePlatform: SameActionRule[]; otherPlatforms: SameActionRule[] };
  outputFields: OutputField[];
  diagnostics: Diagnostic[];
  /** The rule itself: condition, stages, tests and source text for the page. */
  rule: Rule;
}

/** An input document that did not give a rule: it still gets a page, with its diagnostics. */
export interface FailedEntry {
  slug: string;
  path: string;
  document: number;
  diagnostics: Diagnostic[];
}

/** A document that is not a rule by design (a Panther policy, helper or data model). */
export interface SkippedEntry {
  path: string;
  document: number;
  reason: string;
}

export interface CatalogIndicator extends IndicatorIdentity {
  slug: string;
  key: string;
  /** Rules that look for it, in catalog order. */
  rules: RuleRef[];
  /** Rules that exclude it, in catalog order. */
  excludedBy: RuleRef[];
}

export interface ActionGroup {
  key: string;
  slug: string;
  family: string;
  familyTitle: string;
  /** The spelling most of its rules write (ties: the first in code-unit order). */
  value: string;
  /** In catalog order. */
  rules: RuleRef[];
  platforms: Platform[];
}

/** One entry of an index page (a platform, log source or severity) and the rules under it. */
export interface FacetEntry {
  key: string;
  label: string;
  slug: string;
  count: number;
  rules: RuleRef[];
}

export interface TechniqueEntry {
  id: string;
  /** Absent when the ATT&CK table does not know the technique. */
  name?: string;
  slug: string;
  /** Tactic ids the rules cover it under, in matrix order. */
  tactics: string[];
  count: number;
  byPlatform: Record<Platform, number>;
  rules: RuleRef[];
}

export interface TacticEntry {
  id: string;
  name: string;
  shortname: string;
  slug: string;
  count: number;
  rules: RuleRef[];
  /** Techniques covered under this tactic, by id, each with the rules covering it here. */
  techniques: Array<{ id: string; name?: string; count: number; rules: RuleRef[] }>;
}

export interface AttackIndex {
  /** The ATT&CK version of the table the index was built with. */
  version: string;
  /** Every tactic of the table (covered or not) in matrix order, then unknown ones by id. */
  tactics: TacticEntry[];
  /** Covered techniques, by id. */
  techniques: TechniqueEntry[];
}

export interface CatalogTotals {
  /** Every result given: rules + failed + skipped. */
  inputs: number;
  rules: number;
  failed: number;
  skipped: number;
  /** Rules read with error diagnostics (counted in `rules`). */
  rulesWithErrors: number;
  partial: number;
  byPlatform: Record<Platform, number>;
  /** Distinct indicators, and those that more than one rule looks for. */
  indicators: number;
  sharedIndicators: number;
  rulesWithAction: number;
  actionGroups: number;
  /** Groups with two or more rules, and those with rules of two platforms. */
  sharedActionGroups: number;
  crossPlatformActionGroups: number;
  /** Pairs of rules of different platforms that detect a same action. */
  crossPlatformPairs: number;
  tactics: number;
  techniques: number;
}

export interface CatalogIndex {
  /** Rules by path, then document. */
  rules: CatalogRule[];
  /** By path, then document. */
  failed: FailedEntry[];
  skipped: SkippedEntry[];
  /** By key. */
  indicators: CatalogIndicator[];
  /** By key. */
  actions: ActionGroup[];
  attack: AttackIndex;
  /** Platforms in PLATFORMS order; log sources by key; severities from informational to critical, then `none`. */
  facets: { platforms: FacetEntry[]; logsources: FacetEntry[]; severities: FacetEntry[] };
  totals: CatalogTotals;
}

/** An incident-response playbook (Markdown, `--playbooks <dir>`), linked to the rules covering its techniques. */
export interface Playbook {
  slug: string;
  /** The file, relative to the playbooks folder, with `/` separators. */
  path: string;
  title: string;
  /** The Markdown source; the page renders it. */
  markdown: string;
  /** Incident-response phases in order (headings such as `Phase 2: Identification & Analysis`), each with its goal line if it has one. */
  phases: Array<{ title: string; goal?: string }>;
  /** The severity table's rows, header text → cell text; empty when the playbook has none. */
  severity: Array<Record<string, string>>;
  /** ATT&CK techniques it names, by id, with names and tactics from the ATT&CK table where known. */
  techniques: Array<{ id: string; name?: string; tactics: string[] }>;
  /** Rules covering one of its techniques (or a sub-technique of one), in catalog order. */
  rules: RuleRef[];
  diagnostics: Diagnostic[];
}

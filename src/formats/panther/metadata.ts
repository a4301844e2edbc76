// Panther YAML -> the Rule's metadata. The YAML is read as YAML 1.2 (core schema), as Panther's
// own tooling reads it: `off`, `on`, `yes` and `no` stay strings.

import type { AttackTable } from '../../attack/table.js';
import { coverageFromTacticTechniquePairs } from '../../attack/coverage.js';
import type { AttackCoverage, Level, RuleTest } from '../../ast/rule.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { asString, asStringList, get, toPlain, type YMap, type YNode } from '../yaml.js';

/** Analysis types that are rules; the others are recognised and reported as not converted. */
export const RULE_TYPES = new Set(['rule', 'scheduled_rule']);

const NOT_RULES: Record<string, string> = {
  policy: 'a Panther policy checks cloud resources, not events, and is not converted',
  correlation_rule: 'Panther correlation rules are not converted (their sequences have no equivalent here yet)',
  global: 'a global helper module, read by the rules that import it',
  datamodel: 'a data model, read by the rules of its log types',
  pack: 'a pack lists detections; nothing to convert',
  saved_query: 'a saved query is SQL, not a rule',
  scheduled_query: 'a scheduled query is SQL, not a rule',
  lookup_table: 'a lookup table holds data, not a rule',
};

const SEVERITY: Record<string, Level> = { info: 'informational', low: 'low', medium: 'medium', high: 'high', critical: 'critical' };

export interface PantherMetadata {
  analysisType: string;
  id: string;
  title: string;
  enabled: boolean;
  description?: string;
  runbook?: string;
  level?: Level;
  references: string[];
  tags: string[];
  attack: AttackCoverage;
  logTypes: string[];
  filename?: string;
  dedupPeriodMinutes?: number;
  threshold?: number;
  tests: RuleTest[];
  /** `Detection:` of a simple (YAML-only) detection, and `InlineFilters:`. */
  detection?: YNode;
  inlineFilters?: YNode;
}

export type MetadataResult = { kind: 'rule'; metadata: PantherMetadata; diagnostics: Diagnostic[] } | { kind: 'skipped'; reason: string; diagnostics: Diagnostic[] };

/** Reads a Panther analysis document (a YAML map). */
export function readPantherMetadata(tree: YMap, table: AttackTable): MetadataResult {
  const diagnostics: Diagnostic[] = [];
  const type = asString(get(tree, 'AnalysisType'))?.trim().toLowerCase() ?? 'rule';
  if (!RULE_TYPES.has(type)) {
    const reason = NOT_RULES[type] ?? `AnalysisType '${type}' is not a Panther type rulebridge knows`;
    if (!NOT_RULES[type]) diagnostics.push(diagnostic('unsupported-format', reason, get(tree, 'AnalysisType') ?? tree));
    return { kind: 'skipped', reason, diagnostics };
  }
  const id = asString(get(tree, 'RuleID'));
  if (!id) diagnostics.push(diagnostic('missing-attribute', 'a Panther rule needs a RuleID', tree));
  const reports = get(tree, 'Reports');
  const mitre = reports?.kind === 'map' ? asStringList(get(reports, 'MITRE ATT&CK')) : [];
  const attack = coverageFromTacticTechniquePairs(mitre, table);
  for (const entry of attack.unknown) diagnostics.push(diagnostic('unknown-attack-tag', `'${entry}' names no tactic or technique of the ATT&CK table`, reports ?? tree));

  const metadata: PantherMetadata = {
    analysisType: type,
    id: id ?? '',
    title: asString(get(tree, 'DisplayName')) ?? id ?? '',
    enabled: get(tree, 'Enabled')?.kind === 'scalar' ? (get(tree, 'Enabled') as { value: unknown }).value !== false : true,
    references: asStringList(get(tree, 'Reference')),
    tags: asStringList(get(tree, 'Tags')),
    attack: attack.coverage,
    logTypes: asStringList(get(tree, 'LogTypes')),
    tests: readTests(get(tree, 'Tests'), diagnostics),
  };
  const optional = (key: string) => asString(get(tree, key))?.trim() || undefined;
  const description = optional('Description');
  if (description) metadata.description = description;
  const runbook = optional('Runbook');
  if (runbook) metadata.runbook = runbook;
  const severity = optional('Severity');
  if (severity) {
    const level = SEVERITY[severity.toLowerCase()];
    if (level) metadata.level = level;
    else diagnostics.push(diagnostic('invalid-attribute', `Severity '${severity}' is none of Info, Low, Medium, High, Critical`, get(tree, 'Severity')!));
  }
  const filename = optional('Filename');
  if (filename) metadata.filename = filename;
  for (const [key, name] of [['DedupPeriodMinutes', 'dedupPeriodMinutes'], ['Threshold', 'threshold']] as const) {
    const node = get(tree, key);
    if (node?.kind === 'scalar' && typeof node.value === 'number') metadata[name] = node.value;
  }
  const detection = get(tree, 'Detection');
  if (detection) metadata.detection = detection;
  const inline = get(tree, 'InlineFilters');
  if (inline) metadata.inlineFilters = inline;
  return { kind: 'rule', metadata, diagnostics };
}

/** `Tests:` cases: each an event (`Log`) and whether the rule must alert on it. */
function readTests(node: YNode | undefined, diagnostics: Diagnostic[]): RuleTest[] {
  if (!node) return [];
  if (node.kind !== 'seq') {
    diagnostics.push(diagnostic('invalid-attribute', 'Tests must be a list of test cases', node));
    return [];
  }
  const tests: RuleTest[] = [];
  for (const item of node.items) {
    if (item.kind !== 'map') {
      diagnostics.push(diagnostic('invalid-attribute', 'a test case must be a map with Name, ExpectedResult and Log', item));
      continue;
    }
    const expected = get(item, 'ExpectedResult');
    const log = get(item, 'Log') ?? get(item, 'Resource');
    if (expected?.kind !== 'scalar' || typeof expected.value !== 'boolean' || !log) {
      diagnostics.push(diagnostic('invalid-attribute', 'a test case needs ExpectedResult (true or false) and Log', item));
      continue;
    }
    const test: RuleTest = { name: asString(get(item, 'Name')) ?? `test ${tests.length + 1}`, expected: expected.value, event: toPlain(log), span: { line: item.line, col: item.col } };
    const mocks = readMocks(get(item, 'Mocks'), diagnostics);
    if (mocks.length > 0) test.mocks = mocks;
    tests.push(test);
  }
  return tests;
}

/** `Mocks:` of a test case: `objectName` (a name in the rule module) and `returnValue`. */
function readMocks(node: YNode | undefined, diagnostics: Diagnostic[]): Array<{ name: string; returns: unknown }> {
  if (!node) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  const mocks: Array<{ name: string; returns: unknown }> = [];
  for (const item of items) {
    const name = item.kind === 'map' ? asString(get(item, 'objectName')) : undefined;
    if (item.kind !== 'map' || !name) {
      diagnostics.push(diagnostic('invalid-attribute', 'a mock needs an objectName (and a returnValue)', item));
      continue;
    }
    const value = get(item, 'returnValue');
    mocks.push({ name, returns: value ? toPlain(value) : null });
  }
  return mocks;
}

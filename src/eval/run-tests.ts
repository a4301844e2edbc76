// Runs rules against test events: a rule's own test cases (Panther's Tests), event sets that
// belong to it (SigmaHQ regression data, where at least `expectedMatches` events must match),
// and event sets for every rule (matches are counted, nothing is expected).

import type { RuleResult } from '../ast/rule.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EventSet } from '../events/read.js';
import { evaluate } from './evaluate.js';
import { containsUnknown } from '../ast/walk.js';

export interface SetOutcome {
  path: string;
  events: number;
  matched: number;
  /** Least number of events that must match; absent for events given to every rule. */
  expected?: number;
  passed?: boolean;
}

export interface CaseOutcome {
  name: string;
  expected: boolean;
  actual: boolean;
  passed: boolean;
  /**
   * A partially extracted rule matching an event it should not: its condition is only the
   * necessary part, so this neither passes nor fails the case.
   */
  inconclusive?: boolean;
  /** Why the case was not run (it counts as neither passed nor failed). */
  skipped?: string;
}

export type TestStatus = 'passed' | 'failed' | 'evaluated' | 'untested';

export interface RuleOutcome {
  result: RuleResult;
  status: TestStatus;
  sets: SetOutcome[];
  cases: CaseOutcome[];
  /** Why the rule failed without a test failing (it did not load, or cannot run on events). */
  reason?: string;
}

export interface TestRun {
  outcomes: RuleOutcome[];
  /** Event sets that name a rule the rule set does not have. */
  diagnostics: Diagnostic[];
}

export function runTests(results: RuleResult[], sets: EventSet[]): TestRun {
  const owned = new Map<string, EventSet[]>();
  const shared: EventSet[] = [];
  for (const set of sets) {
    if (set.ruleId) owned.set(set.ruleId, [...(owned.get(set.ruleId) ?? []), set]);
    else shared.push(set);
  }
  const claimed = new Set<string>();
  // Documents that are not rules by design (Panther policies, helpers) have nothing to test.
  const outcomes = results.filter((r) => !r.skipped).map((result): RuleOutcome => {
    const rule = result.rule;
    const mine = rule ? (owned.get(rule.id) ?? []) : [];
    if (rule && mine.length > 0) claimed.add(rule.id);
    const outcome: RuleOutcome = { result, status: 'untested', sets: [], cases: [] };
    if (!result.ok || !rule) {
      outcome.status = 'failed';
      outcome.reason = 'the rule did not load';
      return outcome;
    }
    if (!rule.condition) {
      if (mine.length > 0) {
        outcome.status = 'failed';
        outcome.reason = `a ${rule.kind} cannot be evaluated on single events`;
      }
      return outcome;
    }
    const condition = rule.condition;
    // Each format's own meaning: Panther conditions were read from Python.
    const options = { semantics: rule.source.format === 'panther' ? ('python' as const) : ('sigma' as const) };
    const evaluateOn = (event: unknown) => evaluate(condition, event, options);
    const runCase = (name: string, expected: boolean, event: unknown, own = condition) => {
      const actual = evaluate(own, event, options);
      const partial = own === condition ? rule.extraction === 'partial' : containsUnknown(own);
      const inconclusive = partial && actual && !expected;
      outcome.cases.push({ name, expected, actual, passed: actual === expected || inconclusive, ...(inconclusive ? { inconclusive } : {}) });
    };
    for (const test of rule.tests) {
      if (test.skip) outcome.cases.push({ name: test.name, expected: test.expected, actual: false, passed: false, skipped: test.skip });
      else runCase(test.name, test.expected, test.event, test.condition);
    }
    for (const set of mine) {
      if (set.cases) {
        for (const c of set.cases) runCase(c.name, c.expected, c.event);
        continue;
      }
      const matched = set.events.filter(evaluateOn).length;
      const expected = set.expectedMatches ?? 1;
      outcome.sets.push({ path: set.path, events: set.events.length, matched, expected, passed: matched >= expected });
    }
    for (const set of shared) {
      outcome.sets.push({ path: set.path, events: set.events.length, matched: set.events.filter(evaluateOn).length });
    }
    const checks = [...outcome.sets.flatMap((s) => (s.passed === undefined ? [] : [s.passed])), ...outcome.cases.filter((c) => !c.skipped).map((c) => c.passed)];
    if (checks.length > 0) outcome.status = checks.every(Boolean) ? 'passed' : 'failed';
    else if (outcome.sets.length > 0) outcome.status = 'evaluated';
    return outcome;
  });
  const diagnostics = [...owned.entries()]
    .filter(([id]) => !claimed.has(id))
    .flatMap(([id, list]) =>
      list.map((set) =>
        diagnostic('invalid-events', `these events belong to rule ${id}, which is not among the rules given`, { path: set.path }, 'warning'),
      ),
    );
  return { outcomes, diagnostics };
}

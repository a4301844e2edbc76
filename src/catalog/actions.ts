// A rule's actions: the values its log source's operation field is tested to equal, where the
// test is something the rule looks for (not under a negation). Which field that is comes from
// the action table; the value's key, from the family's case rule, is what "the same action"
// compares across rules and platforms.

import type { Condition, MatchNode } from '../ast/condition.js';
import type { LogSource, Rule } from '../ast/rule.js';
import { SIGMA_MATCH_KEYS, type ActionFamily, type ActionTable } from './action-table.js';

/** A family that applies to a rule, with the operation fields it reads there. */
export interface FamilyCandidate {
  id: string;
  title: string;
  caseInsensitive: boolean;
  /** The family as the table names it, before a Sigma log source fills its template. */
  family: ActionFamily;
  /** Lower-cased Panther log types that selected the family; empty for Sigma. */
  logTypes: string[];
}

export interface FoundAction {
  family: string;
  familyTitle: string;
  /** Field and value as the rule writes them. */
  field: string;
  value: string;
  /** What the same action compares by: `<family>:<value folded per the family's case rule>`. */
  key: string;
}

/** Reads actions with one table; log sources repeat across a corpus, so each is resolved once. */
export type ActionReader = (rule: Rule) => FoundAction[];

export function actionReader(table: ActionTable): ActionReader {
  const resolved = new Map<string, Map<string, FamilyCandidate[]>>();
  return (rule) => {
    if (!rule.condition) return [];
    const sourceKey = JSON.stringify([rule.source.format, logSourceKey(rule.logsource)]);
    let byField = resolved.get(sourceKey);
    if (!byField) resolved.set(sourceKey, (byField = candidatesByField(table, rule)));
    if (byField.size === 0) return [];
    return actionsOf(rule.condition, byField);
  };
}

function logSourceKey(ls: LogSource): unknown[] {
  return [ls.product, ls.category, ls.service, ls.logTypes].map((v) => (Array.isArray(v) ? v.map((t) => t.toLowerCase()) : v?.toLowerCase() ?? null));
}

/** Lower-cased operation field -> the families that read it for this rule's log source. */
export function candidatesByField(table: ActionTable, rule: Rule): Map<string, FamilyCandidate[]> {
  const out = new Map<string, FamilyCandidate[]>();
  const add = (field: string, candidate: FamilyCandidate) => {
    const key = field.toLowerCase();
    const list = out.get(key);
    const same = list?.find((c) => c.id === candidate.id);
    if (same) same.logTypes = [...new Set([...same.logTypes, ...candidate.logTypes])].sort();
    else if (list) list.push(candidate);
    else out.set(key, [candidate]);
  };
  const ls = rule.logsource;
  for (const family of table.families) {
    for (const source of family.sources) {
      if (source.platform === 'sigma' && rule.source.format === 'sigma') {
        if (!SIGMA_MATCH_KEYS.every((k) => matchesKey(source.match[k], ls[k]))) continue;
        const id = fill(family.id, ls);
        for (const field of source.fields) add(field, { id, title: fill(family.title, ls), caseInsensitive: family.caseInsensitive, family, logTypes: [] });
      } else if (source.platform === 'panther' && rule.source.format === 'panther') {
        const wanted = new Set(source.logTypes.map((t) => t.toLowerCase()));
        const logTypes = (ls.logTypes ?? []).map((t) => t.toLowerCase()).filter((t) => wanted.has(t));
        if (logTypes.length === 0) continue;
        for (const field of source.fields) add(field, { id: family.id, title: family.title, caseInsensitive: family.caseInsensitive, family, logTypes });
      }
    }
  }
  return out;
}

function matchesKey(want: string | undefined, have: string | undefined): boolean {
  if (want === undefined) return true;
  if (have === undefined || have === '') return false;
  return want === '*' || want.toLowerCase() === have.toLowerCase();
}

function fill(template: string, ls: LogSource): string {
  return template.replace(/\{(product|category|service)\}/g, (_m, key: 'product' | 'category' | 'service') => (ls[key] ?? '').toLowerCase());
}

/**
 * Panther rules for several log types branch on `p_log_type`; a test inside such a branch is
 * about that log type only, so an operation field two log types share (`action`, `type`) is
 * credited to the right family.
 */
function actionsOf(root: Condition, byField: Map<string, FamilyCandidate[]>): FoundAction[] {
  const found = new Map<string, FoundAction>();
  // Iterative, as everything that walks conditions: hostile rules nest thousands deep.
  const stack: Array<[Condition, boolean, Set<string> | null]> = [[root, false, null]];
  while (stack.length > 0) {
    const [node, negated, scope] = stack.pop()!;
    switch (node.kind) {
      case 'and': {
        let inner = scope;
        if (!negated) for (const child of node.children) inner = narrow(inner, logTypeTest(child));
        for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, negated, inner]);
        break;
      }
      case 'or':
        for (let i = node.children.length - 1; i >= 0; i--) stack.push([node.children[i]!, negated, scope]);
        break;
      case 'not':
        stack.push([node.child, !negated, scope]);
        break;
      case 'match':
        if (!negated && node.op === 'eq' && !node.part) record(node, byField, scope, found);
        break;
      // An `elements` node's fields are relative to an array element: never a log source's operation field.
      default:
        break;
    }
  }
  return [...found.values()];
}

function record(node: MatchNode, byField: Map<string, FamilyCandidate[]>, scope: Set<string> | null, found: Map<string, FoundAction>): void {
  const candidates = byField.get(node.field.toLowerCase());
  if (!candidates) return;
  for (const candidate of candidates) {
    if (scope && candidate.logTypes.length > 0 && !candidate.logTypes.some((t) => scope.has(t))) continue;
    for (const value of node.values) {
      if (value === null || typeof value === 'object') continue;
      const text = String(value);
      const key = `${candidate.id}:${candidate.caseInsensitive ? text.toLowerCase() : text}`;
      if (!found.has(key)) found.set(key, { family: candidate.id, familyTitle: candidate.title, field: node.field, value: text, key });
    }
  }
}

/** The log types a `p_log_type` equality test admits, lower-cased; null for any other node. */
function logTypeTest(node: Condition): Set<string> | null {
  if (node.kind !== 'match' || node.op !== 'eq' || node.field.toLowerCase() !== 'p_log_type') return null;
  if (!node.values.every((v) => typeof v === 'string')) return null;
  return new Set((node.values as string[]).map((v) => v.toLowerCase()));
}

function narrow(scope: Set<string> | null, test: Set<string> | null): Set<string> | null {
  if (!test) return scope;
  if (!scope) return test;
  return new Set([...scope].filter((t) => test.has(t)));
}


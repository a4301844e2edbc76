// Reading an extracted condition the way its author wrote the rule. Python code guards before it
// tests (`if name is None: return False`, `x = event.get(f) or ""`), and followed exactly each
// guard leaves a clause that the tests beside it already imply: `eventName eq "X"` holds only
// for a present, non-null eventName, so a guard that it is not null says nothing more. This
// pass drops such clauses, using what each conjunct implies about the fields its siblings
// test, and applies De Morgan to a negated `or` when that makes the condition smaller. Every
// step is an equivalence under Python semantics (src/eval/python.ts), so the meaning and the
// test results are unchanged.

import type { Condition, MatchNode } from '../../../ast/condition.js';
import { all, any, conditionId, neg } from './conditions.js';

/** What a true condition says about one field. */
interface Fact {
  present: boolean;
  notNull: boolean;
  truthy: boolean;
}

interface Facts {
  fields: ReadonlyMap<string, Fact>;
  /** Tests known to hold (by conditionId): the same test again is true, its negation false. */
  tests: ReadonlySet<number>;
}

const NONE: Facts = { fields: new Map(), tests: new Set() };

export function tidy(c: Condition): Condition {
  return under(c, NONE);
}

/** The condition rewritten for events where the facts hold. */
function under(c: Condition, facts: Facts): Condition {
  switch (c.kind) {
    case 'and':
      return c.list ? c : conjunction(c.children, facts);
    case 'or':
      return c.list ? c : any(mergeValueLists(c.children.map((d) => under(d, facts))));
    case 'not':
      if ((c.child.kind === 'match' || c.child.kind === 'exists') && facts.tests.has(conditionId(c.child))) return any([]);
      return negation(c.child, facts);
    case 'elements': {
      // inside, field names are relative to the element: the outer facts do not apply
      const inner = tidy(c.condition);
      return inner === c.condition ? c : { ...c, condition: inner };
    }
    case 'exists': {
      if (facts.tests.has(conditionId(c))) return all([]);
      const fact = facts.fields.get(c.field);
      return fact && (c.truthy ? fact.truthy : fact.present) ? all([]) : c;
    }
    case 'match':
      if (facts.tests.has(conditionId(c))) return all([]);
      return facts.fields.get(c.field)?.notNull ? withoutNull(c) : c;
    default:
      return c;
  }
}

/**
 * Each conjunct rewritten under what the others (as rewritten so far) imply. One conjunct at a
 * time, so that two conjuncts never remove each other: `a and a` keeps one `a`.
 */
function conjunction(children: Condition[], outer: Facts): Condition {
  const parts = [...children];
  for (let i = 0; i < parts.length; i++) {
    const fields = new Map(outer.fields);
    const tests = new Set(outer.tests);
    parts.forEach((p, j) => j !== i && learn(p, fields, tests));
    parts[i] = under(parts[i]!, { fields, tests });
  }
  return all(parts);
}

/** De Morgan (`not (a or b)` as `not a and not b`, and the dual) where that is smaller once tidied. */
function negation(child: Condition, facts: Facts): Condition {
  const plain = neg(under(child, facts));
  if ((child.kind !== 'or' && child.kind !== 'and') || child.list) return plain;
  const negated = child.children.map(neg);
  const pushed = under(child.kind === 'or' ? all(negated) : any(negated), facts);
  return size(pushed) < size(plain) ? positiveFirst(pushed) : plain;
}

/** `a eq "x" or a eq "y"` as `a in ["x", "y"]`: one test of a field against any of several values. */
function mergeValueLists(children: Condition[]): Condition[] {
  const out: Condition[] = [];
  const byTest = new Map<string, number>();
  for (const c of children) {
    if (c.kind !== 'match' || c.quantifier !== 'any' || c.part || c.expansion) {
      out.push(c);
      continue;
    }
    const key = JSON.stringify([c.field, c.op, c.cased, c.flags ?? '']);
    const at = byTest.get(key);
    if (at === undefined) {
      byTest.set(key, out.length);
      out.push(c);
      continue;
    }
    const merged = out[at] as MatchNode;
    out[at] = { ...merged, values: [...merged.values, ...c.values.filter((v) => !merged.values.includes(v))] };
  }
  return out;
}

/** What the rule looks for, then what it excludes: `user truthy and not user eq "unknown"`. */
function positiveFirst(c: Condition): Condition {
  if (c.kind !== 'and') return c;
  return { ...c, children: [...c.children.filter((d) => d.kind !== 'not'), ...c.children.filter((d) => d.kind === 'not')] };
}

/** `eq null` among other values can no longer hold for a field known to be non-null. */
function withoutNull(m: MatchNode): Condition {
  if (m.op !== 'eq' || !m.values.includes(null) || m.quantifier === 'all') return m;
  const values = m.values.filter((v) => v !== null);
  return values.length === 0 ? any([]) : { ...m, values };
}

/** Adds what a true condition implies about fields to the facts. */
function learn(c: Condition, facts: Map<string, Fact>, tests: Set<number>): void {
  if (c.kind === 'and' && !c.list) for (const child of c.children) learn(child, facts, tests);
  else if (c.kind === 'exists') {
    tests.add(conditionId(c));
    note(facts, c.field, { present: true, notNull: !!c.truthy, truthy: !!c.truthy });
  } else if (c.kind === 'match') {
    tests.add(conditionId(c));
    const fact = matchFact(c);
    if (fact) note(facts, c.field, fact);
  }
}

function note(facts: Map<string, Fact>, field: string, fact: Fact): void {
  const old = facts.get(field);
  facts.set(field, old ? { present: old.present || fact.present, notNull: old.notNull || fact.notNull, truthy: old.truthy || fact.truthy } : fact);
}

/** A test that holds only for a present, non-null value; and for one Python counts as true. */
function matchFact(m: MatchNode): Fact | undefined {
  if (m.part || m.values.length === 0 || m.values.some((v) => v === null || (typeof v === 'object' && v !== null))) return undefined;
  const truthy =
    m.op === 'cidr' ||
    (m.op === 'eq' && m.values.every((v) => v !== '' && v !== 0 && v !== false)) ||
    ((m.op === 'contains' || m.op === 'startswith' || m.op === 'endswith') && m.values.every((v) => v !== ''));
  return { present: true, notNull: true, truthy };
}

function size(c: Condition): number {
  switch (c.kind) {
    case 'and':
    case 'or':
      return 1 + c.children.reduce((n, d) => n + size(d), 0);
    case 'not':
      return 1 + size(c.child);
    case 'elements':
      return 1 + size(c.condition);
    default:
      return 1;
  }
}

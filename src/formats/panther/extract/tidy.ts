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

/** What is known to hold where a condition is evaluated. */
interface Facts {
  field(name: string): Fact | undefined;
  /** A test (by conditionId) known to hold: the same test again is true, its negation false. */
  holds(test: number): boolean;
}

const NONE: Facts = { field: () => undefined, holds: () => false };

/** What one conjunct, being true, tells its siblings. */
interface Learned {
  fields: Array<[string, Fact]>;
  tests: number[];
}

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
      if ((c.child.kind === 'match' || c.child.kind === 'exists') && facts.holds(conditionId(c.child))) return any([]);
      return negation(c.child, facts);
    case 'elements': {
      // inside, field names are relative to the element: the outer facts do not apply
      const inner = tidy(c.condition);
      return inner === c.condition ? c : { ...c, condition: inner };
    }
    case 'exists': {
      if (facts.holds(conditionId(c))) return all([]);
      const fact = facts.field(c.field);
      return fact && (c.truthy ? fact.truthy : fact.present) ? all([]) : c;
    }
    case 'match':
      if (facts.holds(conditionId(c))) return all([]);
      return facts.field(c.field)?.notNull ? withoutNull(c) : c;
    default:
      return c;
  }
}

/**
 * Each conjunct rewritten under what the others (as rewritten so far) imply. One conjunct at a
 * time, so that two conjuncts never remove each other: `a and a` keeps one `a`. What the
 * conjuncts imply is counted once for all of them, and a conjunct's own share taken out while
 * it is rewritten, so that a long conjunction costs linear time.
 */
function conjunction(children: Condition[], outer: Facts): Condition {
  const parts = [...children];
  const learned = parts.map((p) => learn(p));
  const fieldCounts = new Map<string, { present: number; notNull: number; truthy: number }>();
  const testCounts = new Map<number, number>();
  const count = (l: Learned, step: 1 | -1) => {
    for (const [name, fact] of l.fields) {
      const c = fieldCounts.get(name) ?? { present: 0, notNull: 0, truthy: 0 };
      c.present += fact.present ? step : 0;
      c.notNull += fact.notNull ? step : 0;
      c.truthy += fact.truthy ? step : 0;
      fieldCounts.set(name, c);
    }
    for (const t of l.tests) testCounts.set(t, (testCounts.get(t) ?? 0) + step);
  };
  for (const l of learned) count(l, 1);
  for (let i = 0; i < parts.length; i++) {
    const own = learned[i]!;
    count(own, -1);
    const facts: Facts = {
      field: (name) => {
        const c = fieldCounts.get(name);
        const o = outer.field(name);
        if (!c && !o) return undefined;
        return { present: (c?.present ?? 0) > 0 || !!o?.present, notNull: (c?.notNull ?? 0) > 0 || !!o?.notNull, truthy: (c?.truthy ?? 0) > 0 || !!o?.truthy };
      },
      holds: (test) => (testCounts.get(test) ?? 0) > 0 || outer.holds(test),
    };
    parts[i] = under(parts[i]!, facts);
    learned[i] = learn(parts[i]!);
    count(learned[i]!, 1);
  }
  return all(parts);
}

/** De Morgan (`not (a or b)` as `not a and not b`, and the dual) where that is smaller once tidied. */
function negation(child: Condition, facts: Facts): Condition {
  const tidied = under(child, facts);
  const plain = neg(tidied);
  if ((child.kind !== 'or' && child.kind !== 'and') || child.list) return plain;
  // Tidying the pushed-in spelling as well doubles the work at each nested negation: for a
  // large condition the tidied child's parts are negated as they are.
  const small = size(child) <= PUSH_RETIDY_LIMIT;
  const negated = small ? child.children.map(neg) : tidied.kind === child.kind ? (tidied as { children: Condition[] }).children.map(neg) : undefined;
  if (!negated) return plain;
  const junction = child.kind === 'or' ? all(negated) : any(negated);
  const pushed = small ? under(junction, facts) : junction;
  return size(pushed) < size(plain) ? positiveFirst(pushed) : plain;
}

/** Nodes under a negation small enough to tidy in both spellings. */
const PUSH_RETIDY_LIMIT = 48;

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

/** What a true condition implies about fields, and the tests it makes. */
function learn(c: Condition, into: Learned = { fields: [], tests: [] }): Learned {
  if (c.kind === 'and' && !c.list) for (const child of c.children) learn(child, into);
  else if (c.kind === 'exists') {
    into.tests.push(conditionId(c));
    into.fields.push([c.field, { present: true, notNull: !!c.truthy, truthy: !!c.truthy }]);
  } else if (c.kind === 'match') {
    into.tests.push(conditionId(c));
    const fact = matchFact(c);
    if (fact) into.fields.push([c.field, fact]);
  }
  return into;
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

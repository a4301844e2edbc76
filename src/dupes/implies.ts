// Sound implication between canonical conditions: `implies(a, b)` is true only where every
// event matching `a` matches `b`. It follows the structure first (a ⇒ b ∧ c where a ⇒ b and
// a ⇒ c; a ∨ b ⇒ c where both do; a ∧ b ⇒ c where either does; a ⇒ b ∨ c where a ⇒ either),
// then compares branches of the disjunctive normal forms: each branch of `a` must hold every
// literal of some branch of `b`. A literal follows from another by the tests' meaning
// (`eq x` ⇒ `contains x`, `startswith ab` ⇒ `startswith a`, a value list ⇒ a larger one,
// `not b` ⇒ `not a` where `a` ⇒ `b`). What it cannot show it does not claim: false means
// "not shown", never "shown not to hold".

import { isPlaceholder, type Condition, type MatchNode, type Value } from '../ast/condition.js';
import { networkContains, parseNetwork } from '../ast/cidr.js';
import { printCondition, printValue } from '../ast/print.js';
import { dnf, type Branch, type Literal } from './dnf.js';

export interface ImplicationOptions {
  /**
   * Either condition has Python's meaning (a Panther rule), where `contains` is also
   * membership in a list: one `contains` then implies another only of the same value.
   */
  python?: boolean;
}

/** Whether every event `a` matches, `b` matches (both canonical; see above). */
export function implies(a: Condition, b: Condition, options: ImplicationOptions = {}): boolean {
  return new Implication(options.python ?? false).holds(a, b);
}

// Canonical conditions live as long as the corpus and are compared many times: their texts
// and branches are kept with them.
const texts = new WeakMap<Condition, string>();
const branches = new WeakMap<Condition, Branch[] | null>();

class Implication {
  constructor(private readonly python: boolean) {}

  private readonly known = new WeakMap<Condition, Map<Condition, boolean>>();

  holds(a: Condition, b: Condition): boolean {
    let row = this.known.get(a);
    if (!row) this.known.set(a, (row = new Map()));
    const cached = row.get(b);
    if (cached !== undefined) return cached;
    const result = this.decide(a, b);
    row.set(b, result);
    return result;
  }

  private decide(a: Condition, b: Condition): boolean {
    if (this.text(a) === this.text(b)) return true;
    if (a.kind === 'const') return !a.value || (b.kind === 'const' && b.value);
    if (b.kind === 'const') return b.value;
    if (b.kind === 'and') return b.children.every((c) => this.holds(a, c));
    if (a.kind === 'or') return a.children.every((c) => this.holds(c, b));
    if (a.kind === 'and' && a.children.some((c) => this.holds(c, b))) return true;
    if (b.kind === 'or' && b.children.some((c) => this.holds(a, c))) return true;
    if (a.kind !== 'and' && b.kind !== 'or') return literalImplies(this.literal(a), this.literal(b), this.python);
    // What the structure does not show (a ∧ (b ∨ c) ⇒ (a ∧ b) ∨ (a ∧ c)), the branches may.
    const left = branchesOf(a);
    const right = left && branchesOf(b);
    return !!left && !!right && branchesImply(left, right, this.python);
  }

  private text(node: Condition): string {
    let text = texts.get(node);
    if (text === undefined) texts.set(node, (text = printCondition(node)));
    return text;
  }

  private literal(node: Condition): Literal {
    return node.kind === 'not' ? { negated: true, test: node.child, text: this.text(node) } : { negated: false, test: node, text: this.text(node) };
  }
}

function branchesOf(node: Condition): Branch[] | null {
  let found = branches.get(node);
  if (found === undefined) branches.set(node, (found = dnf(node)));
  return found;
}

function branchesImply(a: Branch[], b: Branch[], python = false): boolean {
  return a.every((left) => b.some((right) => branchImplies(left, right, python)));
}

/** A conjunction implies another when each of the other's literals follows from one of its own. */
function branchImplies(left: Branch, right: Branch, python = false): boolean {
  return right.every((m) => left.some((l) => literalImplies(l, m, python)));
}

function literalImplies(l: Literal, m: Literal, python = false): boolean {
  if (l.text === m.text) return true;
  if (l.negated !== m.negated) return false;
  // Contraposition: not x ⇒ not y exactly where y ⇒ x.
  return l.negated ? testImplies(m.test, l.test, python) : testImplies(l.test, m.test, python);
}

/** Keyword searches compare as tests of one field: anywhere in the event. */
const ANYWHERE = '\u0000keyword';

function testImplies(l: Condition, m: Condition, python: boolean): boolean {
  if (l.kind === 'match' && m.kind === 'match') return matchImplies(l, m, python);
  if (l.kind === 'keyword' && m.kind === 'keyword') return matchImplies({ ...l, kind: 'match', field: ANYWHERE }, { ...m, kind: 'match', field: ANYWHERE }, python);
  // A test of a field's value needs the field: it has one (a null test does not).
  if (l.kind === 'match' && m.kind === 'exists' && !m.truthy) return l.field === m.field && l.values.every((v) => v !== null);
  return false;
}

function matchImplies(l: MatchNode, m: MatchNode, python: boolean): boolean {
  if (l.field !== m.field || l.part !== m.part) return false;
  const atom = (v: Value, w: Value) => valueImplies(l, v, m, w, python);
  const lAll = l.quantifier === 'all' && l.values.length > 1;
  const mAll = m.quantifier === 'all' && m.values.length > 1;
  if (!lAll && !mAll) return l.values.every((v) => m.values.some((w) => atom(v, w)));
  if (lAll && !mAll) return l.values.some((v) => m.values.some((w) => atom(v, w)));
  if (!lAll && mAll) return l.values.every((v) => m.values.every((w) => atom(v, w)));
  return m.values.every((w) => l.values.some((v) => atom(v, w)));
}

const TEXT_OPS = new Set(['eq', 'contains', 'startswith', 'endswith']);
const RANGE_OPS = new Set(['lt', 'lte', 'gt', 'gte']);

/** Whether `l.op v` ⇒ `m.op w` for one value each. */
function valueImplies(l: MatchNode, v: Value, m: MatchNode, w: Value, python: boolean): boolean {
  if (isPlaceholder(v) || isPlaceholder(w)) return l.op === m.op && isPlaceholder(v) && isPlaceholder(w) && v.placeholder === w.placeholder && l.cased === m.cased;
  if (TEXT_OPS.has(l.op) && TEXT_OPS.has(m.op) && typeof v === 'string' && typeof w === 'string') return textImplies(l, v, m, w, python);
  if (RANGE_OPS.has(l.op) && RANGE_OPS.has(m.op) && typeof v === 'number' && typeof w === 'number') return rangeImplies(l.op, v, m.op, w);
  if (l.op === 'cidr' && m.op === 'cidr' && typeof v === 'string' && typeof w === 'string') return networkWithin(v, w);
  return l.op === m.op && l.cased === m.cased && (l.flags ?? '') === (m.flags ?? '') && printValue(v) === printValue(w);
}

function textImplies(l: MatchNode, v: string, m: MatchNode, w: string, python: boolean): boolean {
  let a = v;
  let b = w;
  // Lower-casing a part is not the part of the lower-cased text where Σ ends a word there and
  // not in the part (σ against ς): a cased part test with Σ says nothing of the uncased one.
  if (l.cased && !m.cased && l.op !== 'eq' && v.includes('\u03a3')) return false;
  if (!m.cased) {
    // Whatever `l` matches, lower-cased, matches `l`'s lower-cased value; that is what an
    // uncased `m` compares.
    a = v.toLowerCase();
    b = w.toLowerCase();
  } else if (!l.cased && !caseless(w)) return false;
  switch (l.op) {
    case 'eq':
      return m.op === 'eq' ? a === b : m.op === 'contains' ? a.includes(b) : m.op === 'startswith' ? a.startsWith(b) : a.endsWith(b);
    case 'contains':
      // In Python `x in value` is also membership in a list: only the same value is implied.
      return m.op === 'contains' && (python ? l.cased === m.cased && v === w : a.includes(b));
    case 'startswith':
      return (m.op === 'startswith' && a.startsWith(b)) || (m.op === 'contains' && a.includes(b));
    case 'endswith':
      return (m.op === 'endswith' && a.endsWith(b)) || (m.op === 'contains' && a.includes(b));
    default:
      return false;
  }
}

/** Text no case folding changes, so that a case-insensitive match of it is an exact one. */
function caseless(text: string): boolean {
  return /^[\x00-\x40\x5b-\x60\x7b-\x7f]*$/.test(text);
}

function rangeImplies(lop: string, v: number, mop: string, w: number): boolean {
  const lower = lop === 'gt' || lop === 'gte';
  if (lower !== (mop === 'gt' || mop === 'gte')) return false;
  // x > v (or ≥ v) ⇒ x > w where v ≥ w, strictly unless l excludes its own bound.
  if (lower) return mop === 'gte' || lop === 'gt' ? v >= w : v > w;
  return mop === 'lte' || lop === 'lt' ? v <= w : v < w;
}

/** A network lies within another when it is no larger and the other holds its address. */
function networkWithin(inner: string, outer: string): boolean {
  const a = parseNetwork(inner);
  const b = parseNetwork(outer);
  return a.ok && b.ok && a.network.prefix >= b.network.prefix && networkContains(b.network, a.network);
}

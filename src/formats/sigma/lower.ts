// A modified detection item (field, values, linking, negation) -> condition AST nodes.
// Consecutive values that test the same way share one match node, so a value list stays one
// node however long it is; the order of the values is the order written.

import {
  and,
  exists,
  fieldref,
  keyword,
  match,
  not,
  or,
  unknown,
  type Condition,
  type KeywordOp,
  type MatchOp,
  type Span,
  type TimePart,
  type Value,
} from '../../ast/condition.js';
import { escapeLiteral } from '../../ast/wildcard.js';
import { hasPlaceholder, isSpecial, placeholderNames, stringMatch, type SigmaString } from './strings.js';
import type { ItemState, SigmaValue } from './modifiers.js';

/** One value's test, before grouping. `node` is a finished test that never groups. */
type Leaf =
  | { kind: 'test'; op: MatchOp; value: Value; cased: boolean; flags?: string; part?: TimePart }
  | { kind: 'node'; node: Condition };

export interface LowerIssue {
  code: 'unresolved-placeholder';
  message: string;
}

export function lowerItem(state: ItemState, span: Span, issues: LowerIssue[]): Condition {
  if (state.values.length === 0) {
    // `field: []` has no value at all, which Sigma tools read as a null test.
    return negate(state, leafNode(state.field, { kind: 'test', op: 'eq', value: null, cased: false }, span));
  }
  // Written values that test the same way share a node; the variants a modifier generated from
  // one value (windash, base64offset) form a node of their own, alternatives even under `all`.
  const parts: Condition[] = [];
  let pending: Leaf[] = [];
  const flush = () => {
    parts.push(...group(state.field, pending, state.linking, span, false));
    pending = [];
  };
  for (const item of state.values) {
    if (item.kind === 'expansion') {
      flush();
      parts.push(or(group(state.field, item.values.map((v) => toLeaf(v, issues)), 'any', span, true), span));
    } else pending.push(toLeaf(item, issues));
  }
  flush();
  const list = state.linking === 'any' ? or(parts, span) : and(parts, span);
  if ((list.kind === 'or' || list.kind === 'and') && parts.every((p) => p.kind === 'match' && !p.expansion)) list.list = true;
  return negate(state, list);
}

function negate(state: ItemState, condition: Condition): Condition {
  return state.negated ? not(condition, condition.span) : condition;
}

function toLeaf(value: SigmaValue, issues: LowerIssue[]): Leaf {
  switch (value.kind) {
    case 'string':
      return stringLeaf(value, issues);
    case 'number':
      return { kind: 'test', op: 'eq', value: value.value, cased: false };
    case 'bool':
      return { kind: 'test', op: 'eq', value: value.value, cased: false };
    case 'null':
      return { kind: 'test', op: 'eq', value: null, cased: false };
    case 'regex':
      return value.flags
        ? { kind: 'test', op: 'regex', value: value.pattern, cased: false, flags: value.flags }
        : { kind: 'test', op: 'regex', value: value.pattern, cased: false };
    case 'cidr':
      return { kind: 'test', op: 'cidr', value: value.network, cased: false };
    case 'compare':
      return { kind: 'test', op: value.op, value: value.value, cased: false };
    case 'timepart':
      return { kind: 'test', op: 'eq', value: value.value, cased: false, part: value.part };
    case 'exists':
      return { kind: 'node', node: value.value ? exists('') : not(exists('')) };
    case 'fieldref': {
      const op = value.leading && value.trailing ? 'contains' : value.leading ? 'endswith' : value.trailing ? 'startswith' : 'eq';
      return { kind: 'node', node: fieldref('', op, value.ref) };
    }
  }
}

function stringLeaf(s: SigmaString, issues: LowerIssue[]): Leaf {
  if (hasPlaceholder(s)) {
    const inner = s.parts.filter((p) => !(isSpecial(p) && 'special' in p && p.special === '*'));
    const only = inner.length === 1 && isSpecial(inner[0]!) && 'placeholder' in inner[0]! ? inner[0] : undefined;
    const names = placeholderNames(s).map((n) => `%${n}%`).join(', ');
    issues.push({ code: 'unresolved-placeholder', message: `placeholder ${names} has no values; give them with --placeholders` });
    if (only && 'placeholder' in only) {
      const leading = s.parts[0] !== only;
      const trailing = s.parts[s.parts.length - 1] !== only;
      const op = leading && trailing ? 'contains' : leading ? 'endswith' : trailing ? 'startswith' : 'eq';
      return { kind: 'test', op, value: { placeholder: only.placeholder }, cased: s.cased };
    }
    return { kind: 'node', node: unknown(`placeholder ${names} inside a value needs its values (--placeholders)`) };
  }
  const m = stringMatch(s);
  return { kind: 'test', op: m.op, value: m.value, cased: s.cased };
}

/** Builds match (or keyword) nodes from runs of consecutive leaves that test the same way. */
function group(field: string | null, leaves: Leaf[], quantifier: 'any' | 'all', span: Span, expansion: boolean): Condition[] {
  const out: Condition[] = [];
  let run: Extract<Leaf, { kind: 'test' }>[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const first = run[0]!;
    out.push(testNode(field, first, run.map((l) => l.value), run.length > 1 ? quantifier : 'any', span, expansion));
    run = [];
  };
  for (const written of leaves) {
    const leaf = field === null ? keywordLeaf(written) : written;
    if (leaf.kind === 'node') {
      flush();
      out.push(leafNode(field, leaf, span));
      continue;
    }
    const last = run[run.length - 1];
    if (last && !sameTest(last, leaf)) flush();
    run.push(leaf);
  }
  flush();
  return out;
}

function sameTest(a: Extract<Leaf, { kind: 'test' }>, b: Extract<Leaf, { kind: 'test' }>): boolean {
  return a.op === b.op && a.cased === b.cased && a.flags === b.flags && a.part === b.part;
}

function leafNode(field: string | null, leaf: Leaf, span: Span): Condition {
  if (leaf.kind === 'test') return testNode(field, leaf, [leaf.value], 'any', span);
  return bindField(leaf.node, field ?? '', span);
}

/** exists and fieldref leaves are built without their field; this puts it in. */
function bindField(node: Condition, field: string, span: Span): Condition {
  switch (node.kind) {
    case 'exists':
      return exists(field, span);
    case 'fieldref':
      return fieldref(field, node.op, node.ref, node.cased, span);
    case 'not':
      return not(bindField(node.child, field, span), span);
    case 'unknown':
      return unknown(node.reason, span);
    default:
      return node;
  }
}

function testNode(
  field: string | null,
  leaf: Extract<Leaf, { kind: 'test' }>,
  values: Value[],
  quantifier: 'any' | 'all',
  span: Span,
  expansion = false,
): Condition {
  const options = { quantifier, cased: leaf.cased, expansion, span, ...(leaf.flags ? { flags: leaf.flags } : {}) };
  if (field === null) return keyword(leaf.op as KeywordOp, values, options);
  return match(field, leaf.op, values, leaf.part ? { ...options, part: leaf.part } : options);
}

/**
 * A keyword is searched for anywhere, so `x`, `x*` and `*x*` find the same; a written pattern is
 * kept as a pattern all the same, since search languages with term matching tell them apart.
 */
function keywordLeaf(leaf: Leaf): Leaf {
  if (leaf.kind !== 'test') return leaf;
  if (leaf.op === 'eq') return { ...leaf, op: 'contains' };
  if (typeof leaf.value !== 'string') return leaf;
  switch (leaf.op) {
    case 'contains':
    case 'startswith':
    case 'endswith': {
      const text = escapeLiteral(leaf.value);
      const pattern = leaf.op === 'contains' ? `*${text}*` : leaf.op === 'startswith' ? `${text}*` : `*${text}`;
      return { ...leaf, op: 'wildcard', value: pattern };
    }
    default:
      return leaf;
  }
}

// The shape query languages print: the condition AST with every value list opened up into a
// group of one-value tests. A match node with several values is an OR (AND under `all`) of
// single-value leaves, which is how Sigma tools lay out a query, and which lets a printer fold
// such groups into `IN (...)` lists where its language has them.

import {
  ELEMENT_SELF,
  isPlaceholder,
  type Condition,
  type FieldRefOp,
  type KeywordOp,
  type MatchOp,
  type TimePart,
  type Value,
} from '../ast/condition.js';

export type Leaf =
  | { type: 'match'; field: string; op: MatchOp; value: Value; cased: boolean; flags: string; part?: TimePart }
  | { type: 'keyword'; op: KeywordOp; value: Value; cased: boolean; flags: string }
  | { type: 'exists'; field: string }
  | { type: 'fieldref'; field: string; op: FieldRefOp; ref: string; cased: boolean }
  | { type: 'const'; value: boolean };

export type PNode =
  | { kind: 'and' | 'or'; children: PNode[]; expansion: boolean }
  | { kind: 'not'; child: PNode }
  | { kind: 'leaf'; leaf: Leaf };

/** A construct the target cannot express faithfully; the rule is refused with this reason. */
export class Unprintable extends Error {
  constructor(
    message: string,
    readonly code: 'unsupported-construct' | 'unsupported-correlation' = 'unsupported-construct',
  ) {
    super(message);
  }
}

/** The print tree of a condition; `unknown` and array quantifiers have no query form here. */
export function printTree(node: Condition): PNode {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const children = node.children.map(printTree);
      // A value list written with several kinds of test (`contains` values and a pattern) is
      // several match nodes; printed, it is again the one list of tests it was written as.
      if (node.list) return { kind: node.kind, children: children.flatMap((c) => (c.kind === node.kind ? c.children : [c])), expansion: false };
      return { kind: node.kind, children, expansion: false };
    }
    case 'not':
      return { kind: 'not', child: printTree(node.child) };
    case 'match': {
      const leaves = node.values.map(
        (value): PNode => ({
          kind: 'leaf',
          leaf: {
            type: 'match',
            field: node.field,
            op: node.op,
            value,
            cased: node.cased,
            flags: node.flags ?? '',
            ...(node.part ? { part: node.part } : {}),
          },
        }),
      );
      return valueGroup(leaves, node.quantifier, node.expansion === true);
    }
    case 'keyword': {
      const leaves = node.values.map(
        (value): PNode => ({ kind: 'leaf', leaf: { type: 'keyword', op: node.op, value, cased: node.cased, flags: node.flags ?? '' } }),
      );
      return valueGroup(leaves, node.quantifier, node.expansion === true);
    }
    case 'exists':
      return { kind: 'leaf', leaf: { type: 'exists', field: node.field } };
    case 'fieldref':
      return { kind: 'leaf', leaf: { type: 'fieldref', field: node.field, op: node.op, ref: node.ref, cased: node.cased } };
    case 'const':
      return { kind: 'leaf', leaf: { type: 'const', value: node.value } };
    case 'unknown':
      throw new Unprintable(`the condition has a part that could not be extracted (${node.reason})`);
    case 'elements':
      return printTree(elementsAsValues(node));
  }
}

/**
 * `any(F, test)` where the test is one test of an element (or an OR of such): the same test
 * on F's values, which the query languages read as "some value of the multi-valued field". A
 * conjunction or negation inside would then mix elements, so those are refused.
 */
function elementsAsValues(node: Extract<Condition, { kind: 'elements' }>): Condition {
  const refuse = () => new Unprintable(`${node.quantifier}() over the elements of ${node.field} with this test has no form in this query language`);
  if (node.quantifier !== 'any') throw refuse();
  const path = (field: string) => (field === ELEMENT_SELF ? node.field : `${node.field}.${field}`);
  const rewrite = (c: Condition): Condition => {
    switch (c.kind) {
      case 'or':
        return { ...c, children: c.children.map(rewrite) };
      case 'match':
      case 'exists':
        return { ...c, field: path(c.field) };
      default:
        throw refuse();
    }
  };
  return rewrite(node.condition);
}

function valueGroup(leaves: PNode[], quantifier: 'any' | 'all', expansion: boolean): PNode {
  // Generated variants stay a group even when there is one: printers treat them apart.
  if (leaves.length === 1 && !expansion) return leaves[0]!;
  return { kind: quantifier === 'all' ? 'and' : 'or', children: leaves, expansion };
}

/** Same-field leaves of a group, when the group is made of nothing else. */
export function sameFieldLeaves(node: PNode): Extract<Leaf, { type: 'match' }>[] | undefined {
  if (node.kind !== 'and' && node.kind !== 'or') return undefined;
  if (node.expansion) return undefined;
  const leaves: Extract<Leaf, { type: 'match' }>[] = [];
  for (const child of node.children) {
    if (child.kind !== 'leaf' || child.leaf.type !== 'match') return undefined;
    leaves.push(child.leaf);
  }
  const field = leaves[0]?.field;
  return leaves.every((l) => l.field === field) ? leaves : undefined;
}

export function hasPlaceholderValue(leaf: Leaf): boolean {
  return (leaf.type === 'match' || leaf.type === 'keyword') && isPlaceholder(leaf.value);
}

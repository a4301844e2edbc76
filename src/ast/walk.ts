// Small, reusable traversals over the condition AST. Everything that needs to look inside a
// condition goes through these instead of writing its own switch over node kinds.

import { and, constant, not, or, type Condition } from './condition.js';

/** The direct sub-conditions of a node (an `elements` node's condition included). */
export function childrenOf(node: Condition): Condition[] {
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children;
    case 'not':
      return [node.child];
    case 'elements':
      return [node.condition];
    default:
      return [];
  }
}

/**
 * Visits every node depth-first, parents before children. `negated` tells whether the node
 * sits under an odd number of `not`s, which is what decides whether a test is something the
 * rule looks for or something it excludes. Returning false from the visitor skips the subtree.
 */
export function visit(
  root: Condition,
  visitor: (node: Condition, negated: boolean, depth: number) => void | boolean,
): void {
  const stack: Array<[Condition, boolean, number]> = [[root, false, 0]];
  while (stack.length > 0) {
    const [node, negated, depth] = stack.pop()!;
    if (visitor(node, negated, depth) === false) continue;
    const inner = node.kind === 'not' ? !negated : negated;
    const kids = childrenOf(node);
    for (let i = kids.length - 1; i >= 0; i--) stack.push([kids[i]!, inner, depth + 1]);
  }
}

/**
 * Rebuilds a condition bottom-up, replacing each node by what `fn` returns for it. With
 * `intoElements: false` the condition inside an `elements` node is left as it is (its fields
 * are relative to the element, not the event's).
 */
export function mapCondition(node: Condition, fn: (node: Condition) => Condition, options: { intoElements?: boolean } = {}): Condition {
  switch (node.kind) {
    case 'and':
      return fn(and(node.children.map((c) => mapCondition(c, fn, options)), node.span));
    case 'or':
      return fn(or(node.children.map((c) => mapCondition(c, fn, options)), node.span));
    case 'not':
      return fn(not(mapCondition(node.child, fn, options), node.span));
    case 'elements':
      return fn(options.intoElements === false ? node : { ...node, condition: mapCondition(node.condition, fn, options) });
    default:
      return fn(node);
  }
}

/** Every field a condition names (array fields, not the fields of their elements). */
export function fieldsOf(node: Condition): Set<string> {
  const fields = new Set<string>();
  visit(node, (n) => {
    if (n.kind === 'match' || n.kind === 'exists' || n.kind === 'elements') fields.add(n.field);
    else if (n.kind === 'fieldref') fields.add(n.field).add(n.ref);
    return n.kind !== 'elements';
  });
  return fields;
}

export function containsUnknown(node: Condition): boolean {
  let found = false;
  visit(node, (n) => {
    if (n.kind === 'unknown') found = true;
    return !found;
  });
  return found;
}

/** The unknown parts of a condition, each reason and place once, in source order (the rule's own file first). */
export function unknownsOf(node: Condition): Array<{ reason: string; line: number | null; file?: string }> {
  const seen = new Map<string, { reason: string; line: number | null; file?: string }>();
  visit(node, (n) => {
    if (n.kind !== 'unknown') return;
    const line = n.span?.line ?? null;
    const file = n.span?.file;
    const key = `${file ?? ''}\u0000${line}\u0000${n.reason}`;
    if (!seen.has(key)) seen.set(key, file ? { reason: n.reason, line, file } : { reason: n.reason, line });
  });
  return [...seen.values()].sort((a, b) => compareText(a.file ?? '', b.file ?? '') || (a.line ?? 0) - (b.line ?? 0) || compareText(a.reason, b.reason));
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The necessary condition of a partial extraction: every `unknown` becomes true where it sits
 * under an even number of negations and false under an odd number, so whatever the rule
 * matches, this condition matches too.
 */
export function necessaryCondition(node: Condition): Condition {
  const rewrite = (n: Condition, negated: boolean): Condition => {
    switch (n.kind) {
      case 'unknown':
        return constant(!negated);
      case 'and':
        return and(n.children.map((c) => rewrite(c, negated)), n.span);
      case 'or':
        return or(n.children.map((c) => rewrite(c, negated)), n.span);
      case 'not':
        return not(rewrite(n.child, !negated), n.span);
      case 'elements':
        // `any` and `all` grow with their sub-condition, `none` shrinks as it grows, and `one`
        // is neither: there the whole quantifier is what stays unknown.
        if (!containsUnknown(n.condition)) return n;
        if (n.quantifier === 'one') return constant(!negated);
        return { ...n, condition: rewrite(n.condition, n.quantifier === 'none' ? !negated : negated) };
      default:
        return n;
    }
  };
  return rewrite(node, false);
}

/** Maximum nesting depth, computed without recursion so that hostile inputs cannot overflow. */
export function depthOf(root: Condition): number {
  let max = 0;
  visit(root, (_n, _neg, depth) => {
    if (depth > max) max = depth;
  });
  return max;
}

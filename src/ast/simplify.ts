// Constant folding: what is left of a condition once some of its parts are known to be true or
// false (a partial rule's necessary condition, a multi-log-type rule read for one log type).

import { constant, type Condition } from './condition.js';

export function simplify(node: Condition): Condition {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const absorbing = node.kind === 'or';
      const children: Condition[] = [];
      for (const child of node.children.map(simplify)) {
        if (child.kind === 'const') {
          if (child.value === absorbing) return constant(absorbing);
          continue;
        }
        if (child.kind === node.kind && !child.list) children.push(...child.children);
        else children.push(child);
      }
      if (children.length === 0) return constant(!absorbing);
      if (children.length === 1) return children[0]!;
      return { ...node, children };
    }
    case 'not': {
      const child = simplify(node.child);
      if (child.kind === 'const') return constant(!child.value);
      if (child.kind === 'not') return child.child;
      return child === node.child ? node : { ...node, child };
    }
    case 'elements': {
      const condition = simplify(node.condition);
      return condition === node.condition ? node : { ...node, condition };
    }
    default:
      return node;
  }
}

/** The condition for events whose `field` equals `value`: tests of that field become constants. */
export function assumeEquals(node: Condition, field: string, value: string): Condition {
  const rewrite = (n: Condition): Condition => {
    switch (n.kind) {
      case 'and':
      case 'or':
        return { ...n, children: n.children.map(rewrite) };
      case 'not':
        return { ...n, child: rewrite(n.child) };
      case 'match':
        if (n.field === field && n.op === 'eq' && !n.part) return constant(n.values.some((v) => (n.cased ? v === value : typeof v === 'string' && v.toLowerCase() === value.toLowerCase())));
        return n;
      case 'exists':
        return n.field === field ? constant(true) : n;
      default:
        return n;
    }
  };
  return simplify(rewrite(node));
}

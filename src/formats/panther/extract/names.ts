// Which names a block of statements binds, changes in place and reads: what a loop carries
// from one iteration to the next, and what is unknown after it.

import { at, child, nodes, type PyNode } from './syntax.js';

export function nameOf(target: PyNode): string | undefined {
  return target.type === 'Name' ? at<string>(target, 'id') : undefined;
}

export function assignedNames(stmts: PyNode[]): string[] {
  const out = new Set<string>();
  for (const stmt of stmts) {
    walkStatements(stmt, (s) => {
      const targets = s.type === 'Assign' ? nodes(s, 'targets') : s.type === 'AugAssign' ? [child(s, 'target')!] : [];
      for (const t of targets) if (t.type === 'Name') out.add(at<string>(t, 'id'));
    });
  }
  return [...out];
}

const MUTATORS = new Set(['append', 'extend', 'add', 'update', 'insert', 'pop', 'remove', 'discard', 'clear', 'setdefault', 'sort', 'reverse', 'popitem']);

/** Names whose list, set or dict a statement changes in place (`x.append(...)`, `x[k] = v`). */
export function mutatedNames(stmts: PyNode[]): string[] {
  const out = new Set<string>();
  const inExpression = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(inExpression);
    const n = node as PyNode;
    if (n.type === 'Call') {
      const fn = child(n, 'func');
      const base = fn?.type === 'Attribute' ? child(fn, 'value') : undefined;
      if (base?.type === 'Name' && MUTATORS.has(at<string>(fn!, 'attr'))) out.add(at<string>(base, 'id'));
    }
    for (const value of Object.values(n)) if (value && typeof value === 'object') inExpression(value);
  };
  for (const stmt of stmts) {
    walkStatements(stmt, (s) => {
      if (s.type === 'Expr') inExpression(child(s, 'value'));
      for (const t of s.type === 'Assign' ? nodes(s, 'targets') : []) {
        const base = t.type === 'Subscript' ? child(t, 'value') : undefined;
        if (base?.type === 'Name') out.add(at<string>(base, 'id'));
      }
    });
  }
  return [...out];
}

/** Names the statements read (load), anywhere in them. */
export function readNames(stmts: PyNode[]): Set<string> {
  const out = new Set<string>();
  const visit = (node: unknown): void => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach(visit);
    const n = node as PyNode;
    if (n.type === 'Name' && at<string>(n, 'ctx') !== 'Store') out.add(at<string>(n, 'id'));
    for (const value of Object.values(n)) if (value && typeof value === 'object') visit(value);
  };
  visit(stmts);
  return out;
}

export function walkStatements(stmt: PyNode, fn: (s: PyNode) => void): void {
  fn(stmt);
  for (const field of ['body', 'orelse', 'finalbody', 'handlers']) for (const s of nodes(stmt, field)) walkStatements(s, fn);
}

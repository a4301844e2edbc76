// The extractor's view of the Python AST (python/ast.ts mirrors CPython's `ast` module): node
// types by name, fields read through these accessors, operators in one spelling. Keeping the
// reading here lets the interpreter stay about meaning, not about the parser's shapes.

import type { Span } from '../../../ast/condition.js';

export interface PyNode {
  type: string;
  line: number;
  col: number;
  /** Set on the nodes of helper and data-model modules: their path from the rule set's root. */
  file?: string;
}

/** A node's child (or list of children, or plain value) by field name. */
export function at<T = unknown>(node: PyNode, field: string): T {
  return (node as unknown as Record<string, T>)[field]!;
}

export function nodes(node: PyNode, field: string): PyNode[] {
  const value = at<PyNode[] | null | undefined>(node, field);
  return Array.isArray(value) ? value : [];
}

export function child(node: PyNode, field: string): PyNode | undefined {
  const value = at<PyNode | null | undefined>(node, field);
  return value && typeof value === 'object' && 'type' in value ? value : undefined;
}

export function spanOf(node: PyNode): Span {
  return node.file ? { line: node.line, col: node.col, file: node.file } : { line: node.line, col: node.col };
}

/** Operators as Python writes them, whatever spelling the AST uses (`Eq` or `==`). */
const OPERATORS: Record<string, string> = {
  Eq: '==',
  NotEq: '!=',
  Lt: '<',
  LtE: '<=',
  Gt: '>',
  GtE: '>=',
  Is: 'is',
  IsNot: 'is not',
  In: 'in',
  NotIn: 'not in',
  And: 'and',
  Or: 'or',
  Not: 'not',
  USub: '-',
  UAdd: '+',
  Invert: '~',
  Add: '+',
  Sub: '-',
  Mult: '*',
  Div: '/',
  FloorDiv: '//',
  Mod: '%',
  Pow: '**',
  BitOr: '|',
  BitAnd: '&',
  BitXor: '^',
  LShift: '<<',
  RShift: '>>',
  MatMult: '@',
};

export function operator(value: unknown): string {
  if (typeof value === 'string') return OPERATORS[value] ?? value.toLowerCase().replace(/^notin$/, 'not in').replace(/^isnot$/, 'is not');
  if (value && typeof value === 'object' && 'type' in value) return operator((value as { type: string }).type);
  return String(value);
}

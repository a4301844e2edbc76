// The generic query printer. It walks a print tree (tree.ts) and owns everything the target
// languages share: junction tokens, when a group needs parentheses, negation, and folding
// same-field groups into lists. What a single test looks like is the dialect's business.

import type { Leaf, PNode } from './tree.js';
import { sameFieldLeaves } from './tree.js';

export type MatchLeaf = Extract<Leaf, { type: 'match' }>;
export type Group = Extract<PNode, { kind: 'and' | 'or' }>;

/** The boolean part of a language: tokens and grouping. */
export interface TokenTable {
  /** Text between the operands of a conjunction / disjunction. */
  and: string;
  or: string;
  /** How tightly each operator binds (higher is tighter): a looser group inside a tighter one is wrapped. */
  binding: { and: number; or: number; not: number };
  /**
   * Which nested groups get parentheses: those the binding requires, every one (KQL's style),
   * or every group inside a junction of the other kind (`a AND (b OR c)`, `(a AND b) OR c`).
   */
  nesting: 'binding' | 'always' | 'mixed';
  /** Junctions under which a group of generated variants (windash, base64offset) is wrapped. */
  wrapVariantsUnder: ReadonlyArray<'and' | 'or'>;
  group(text: string): string;
  /**
   * Longest run of operands one junction may chain; longer runs are grouped in parentheses
   * (same meaning), for parsers that limit nesting depth (Kusto's stops between 400 and 500).
   */
  maxChain?: number;
  /** Negation of an operand; `grouped` says whether the operand is a group of several tests. */
  not(text: string, grouped: boolean): string;
}

/** Where a test sits: its ancestors, innermost last. */
export interface LeafContext {
  ancestors: PNode[];
}

export interface Dialect {
  tokens: TokenTable;
  /** One test. `undefined` drops it from the expression (it is carried elsewhere, e.g. Splunk's `| regex`). */
  leaf(leaf: Leaf, context: LeafContext): string | undefined;
  /** A test under a direct negation, where the language negates tests in place (`f != "x"`). */
  negatedLeaf?(leaf: Leaf, context: LeafContext): string | undefined;
  /** A list form (`f IN (...)`) for a group of tests of one field, or undefined. */
  list?(group: Group, leaves: MatchLeaf[], context: LeafContext): string | undefined;
  /** The negation of such a list, where the language has a form of its own for it. */
  negatedList?(group: Group, leaves: MatchLeaf[], context: LeafContext): string | undefined;
  /** Whether a group counts as a single term for negation (KQL treats variant groups so). */
  isTerm?(node: PNode): boolean;
  /** A list form is one test and needs no parentheses of its own (Chronicle's regex alternatives). */
  listIsTerm?: boolean;
}

/** Prints a print tree; undefined when every test was carried elsewhere. */
export function printExpression(root: PNode, dialect: Dialect): string | undefined {
  return render(root, [], dialect)?.text;
}

/** A printed node, and whether it reads as one term (no parentheses needed around it). */
interface Printed {
  text: string;
  term: boolean;
}

function render(node: PNode, ancestors: PNode[], dialect: Dialect): Printed | undefined {
  const tokens = dialect.tokens;
  const term = (text: string | undefined): Printed | undefined => (text === undefined ? undefined : { text, term: true });
  switch (node.kind) {
    case 'leaf':
      return term(dialect.leaf(node.leaf, { ancestors }));
    case 'not': {
      const child = node.child;
      const inner = [...ancestors, node];
      if (child.kind === 'leaf' && dialect.negatedLeaf) {
        const negated = dialect.negatedLeaf(child.leaf, { ancestors: inner });
        if (negated !== undefined) return term(negated);
      }
      if ((child.kind === 'and' || child.kind === 'or') && dialect.negatedList) {
        const leaves = sameFieldLeaves(child);
        const list = leaves && dialect.negatedList(child, leaves, { ancestors: inner });
        if (list !== undefined) return term(list);
      }
      const printed = render(child, inner, dialect);
      if (printed === undefined) return undefined;
      const grouped = child.kind !== 'leaf' && !(dialect.isTerm?.(child) ?? false);
      return term(tokens.not(printed.text, grouped));
    }
    case 'and':
    case 'or': {
      const context = { ancestors };
      const leaves = dialect.list ? sameFieldLeaves(node) : undefined;
      if (leaves) {
        const list = dialect.list!(node, leaves, context);
        if (list !== undefined) return { text: list, term: dialect.listIsTerm ?? false };
      }
      const inner = [...ancestors, node];
      const parts: string[] = [];
      for (const child of node.children) {
        const printed = render(child, inner, dialect);
        if (printed === undefined) continue;
        const group = child.kind !== 'leaf' && !(printed.term && child.kind !== 'not') && needsGroup(child, node, dialect);
        parts.push(group ? tokens.group(printed.text) : printed.text);
      }
      if (parts.length === 0) return undefined;
      return { text: chain(parts, node.kind === 'and' ? tokens.and : tokens.or, tokens), term: parts.length === 1 };
    }
  }
}

/** Operands joined by a junction token, in parenthesised runs of at most `maxChain`. */
export function chain(parts: string[], junction: string, tokens: TokenTable): string {
  const max = tokens.maxChain;
  if (!max || parts.length <= max) return parts.join(junction);
  const runs: string[] = [];
  for (let i = 0; i < parts.length; i += max) runs.push(tokens.group(parts.slice(i, i + max).join(junction)));
  return chain(runs, junction, tokens);
}

function needsGroup(child: PNode, parent: Group, dialect: Dialect): boolean {
  const tokens = dialect.tokens;
  if (child.kind === 'leaf') return false;
  if (child.kind !== 'not' && child.expansion) return tokens.wrapVariantsUnder.includes(parent.kind);
  if (tokens.nesting === 'always') return true;
  if (tokens.nesting === 'mixed') return child.kind !== 'not' && child.kind !== parent.kind;
  return tokens.binding[child.kind] < tokens.binding[parent.kind];
}

// Disjunctive normal form of a canonical condition: a list of branches, each a list of
// literals (a test, or a negated test), any branch matching meaning the condition matches.
// Conditions whose form would grow past a bound get none: comparing them is left undecided
// rather than paid for exponentially.

import type { Condition } from '../ast/condition.js';
import { printCondition } from '../ast/print.js';

export interface Literal {
  negated: boolean;
  /** A test node: match, exists, keyword, fieldref, elements or unknown. */
  test: Condition;
  /** The literal's canonical text, negation included. */
  text: string;
}

export type Branch = Literal[];

/** Branches beyond which a condition is too large to compare branch by branch. */
const MAX_BRANCHES = 512;

/** The branches of a condition in canonical form (negations only on tests), or null when too many. */
export function dnf(node: Condition, limit = MAX_BRANCHES): Branch[] | null {
  switch (node.kind) {
    case 'const':
      return node.value ? [[]] : [];
    case 'or': {
      const out: Branch[] = [];
      for (const child of node.children) {
        const branches = dnf(child, limit);
        if (!branches) return null;
        out.push(...branches);
        if (out.length > limit) return null;
      }
      return out;
    }
    case 'and': {
      let out: Branch[] = [[]];
      for (const child of node.children) {
        const branches = dnf(child, limit);
        if (!branches) return null;
        if (out.length * branches.length > limit) return null;
        const next: Branch[] = [];
        for (const left of out) for (const right of branches) next.push([...left, ...right]);
        out = next;
      }
      return out;
    }
    case 'not':
      return [[{ negated: true, test: node.child, text: printCondition(node) }]];
    default:
      return [[{ negated: false, test: node, text: printCondition(node) }]];
  }
}

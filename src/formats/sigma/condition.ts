// Sigma's `condition` (grammars/sigma-condition.peggy) resolved against the rule's selections.

import { parse, SyntaxError as PeggySyntaxError } from '../../generated/sigma-condition.js';
import { and, not, or, type Condition } from '../../ast/condition.js';
import { diagnostic, type Diagnostic, type Position } from '../../diagnostics/diagnostic.js';

type RawCondition =
  | { type: 'and' | 'or'; args: RawCondition[] }
  | { type: 'not'; arg: RawCondition; offset: number }
  | { type: 'id'; name: string; offset: number }
  | { type: 'of'; quantifier: 'any' | 'all'; pattern: string; offset: number };

/** Deepest nesting of parentheses and `not`s a condition may have. */
export const MAX_CONDITION_DEPTH = 64;

export interface ConditionInput {
  text: string;
  /** Where the condition text starts in the file. */
  position: Position;
  selections: ReadonlyMap<string, Condition>;
  /** Receives the names of the selections the condition uses. */
  used: Set<string>;
  diagnostics: Diagnostic[];
}

export function resolveCondition(input: ConditionInput): Condition | undefined {
  const { text, position, diagnostics } = input;
  const at = (offset: number): Position => ({ line: position.line, col: position.col + offset });

  const aggregation = /\|\s*\w|\bnear\b/.exec(text);
  if (aggregation) {
    diagnostics.push(
      diagnostic(
        'deprecated-aggregation',
        `'${text.trim()}' uses the Sigma 1 aggregation syntax; write a correlation rule instead`,
        at(aggregation.index),
      ),
    );
    return undefined;
  }
  if (parenDepth(text) > MAX_CONDITION_DEPTH) {
    diagnostics.push(diagnostic('condition-too-deep', `the condition nests parentheses deeper than ${MAX_CONDITION_DEPTH} levels`, position));
    return undefined;
  }
  let raw: RawCondition;
  try {
    raw = parse(text) as RawCondition;
  } catch (error) {
    if (error instanceof PeggySyntaxError) {
      diagnostics.push(diagnostic('condition-syntax', `invalid condition '${text.trim()}': ${error.message}`, at(error.location.start.offset)));
      return undefined;
    }
    if (error instanceof RangeError) {
      diagnostics.push(diagnostic('condition-too-deep', 'the condition nests too deeply to parse', position));
      return undefined;
    }
    throw error;
  }
  if (rawDepth(raw) > MAX_CONDITION_DEPTH) {
    diagnostics.push(diagnostic('condition-too-deep', `the condition nests deeper than ${MAX_CONDITION_DEPTH} levels`, position));
    return undefined;
  }
  let failed = false;
  const resolve = (node: RawCondition): Condition => {
    switch (node.type) {
      case 'and':
        return and(node.args.map(resolve));
      case 'or':
        return or(node.args.map(resolve));
      case 'not':
        return not(resolve(node.arg));
      case 'id': {
        const selection = input.selections.get(node.name);
        if (!selection) {
          failed = true;
          diagnostics.push(diagnostic('unknown-selection', unknownSelectionMessage(node.name, input.selections), at(node.offset)));
          return and([]);
        }
        input.used.add(node.name);
        return selection;
      }
      case 'of': {
        const names = matchingSelections(node.pattern, [...input.selections.keys()]);
        if (names.length === 0) {
          failed = true;
          diagnostics.push(
            diagnostic('empty-pattern', `'${node.quantifier === 'all' ? 'all' : '1'} of ${node.pattern}' matches no selection`, at(node.offset)),
          );
          return and([]);
        }
        for (const n of names) input.used.add(n);
        const parts = names.map((n) => input.selections.get(n)!);
        return node.quantifier === 'all' ? and(parts) : or(parts);
      }
    }
  };
  const condition = resolve(raw);
  return failed ? undefined : condition;
}

/**
 * Names a `x of pattern` covers: `*` matches any run of characters; `them` is every selection.
 * Names starting with `_` are left out unless the pattern itself starts with `_`.
 */
export function matchingSelections(pattern: string, names: string[]): string[] {
  const re = pattern === 'them' ? /^.*$/s : new RegExp(`^${pattern.split('*').map(escape).join('.*')}$`, 's');
  return names.filter((n) => re.test(n) && (pattern.startsWith('_') || !n.startsWith('_')));
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function parenDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (const c of text) {
    if (c === '(') max = Math.max(max, ++depth);
    else if (c === ')') depth--;
  }
  return max;
}

function rawDepth(root: RawCondition): number {
  let max = 0;
  const stack: Array<[RawCondition, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    max = Math.max(max, depth);
    if (node.type === 'and' || node.type === 'or') for (const a of node.args) stack.push([a, depth + 1]);
    else if (node.type === 'not') stack.push([node.arg, depth + 1]);
  }
  return max;
}

function unknownSelectionMessage(name: string, selections: ReadonlyMap<string, Condition>): string {
  const lower = name.toLowerCase();
  if (['and', 'or', 'not', 'of'].includes(lower)) return `'${name}' is not a selection; condition keywords are lower-case`;
  const near = [...selections.keys()].find((s) => s.toLowerCase() === lower || s.replace(/s$/, '') === name.replace(/s$/, ''));
  const list = [...selections.keys()].join(', ') || 'none';
  return `the condition names '${name}', which is not a selection${near ? ` (did you mean '${near}'?)` : ` (selections: ${list})`}`;
}

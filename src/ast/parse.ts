// Reads rulebridge's condition text (grammars/condition.peggy) back into the AST.

import { parse as parseGenerated, SyntaxError as PeggySyntaxError } from '../generated/condition.js';
import {
  and,
  constant,
  elements,
  exists,
  fieldref,
  keyword,
  match,
  not,
  or,
  unknown,
  type Condition,
  type ElementQuantifier,
  type FieldRefOp,
  type KeywordOp,
  type MatchOp,
  type MatchOptions,
  type Span,
  type Value,
} from './condition.js';
import { RESERVED_WORDS } from './print.js';

export type ParseResult =
  | { ok: true; condition: Condition }
  | { ok: false; message: string; line: number; col: number };

/** How the text reads string tests that say neither `cased` nor `nocase` (see print.ts). */
export interface TextOptions {
  cased?: boolean;
}

const builder = (defaultCased: boolean) => ({
  and: (children: Condition[]) => and(children),
  or: (children: Condition[]) => or(children),
  not: (child: Condition) => not(child),
  constant: (value: boolean) => constant(value),
  unknown: (reason: string, span: Span | null) => unknown(reason, span ?? undefined),
  exists: (field: string, truthy: boolean) => exists(field, undefined, truthy),
  match: (field: string, op: MatchOp, values: Value[], options: MatchOptions) => match(field, op, values, { cased: defaultCased, ...options }),
  keyword: (op: KeywordOp, values: Value[], options: MatchOptions) => keyword(op, values, { cased: defaultCased, ...options }),
  fieldref: (field: string, op: FieldRefOp, ref: string, cased: boolean | undefined) => fieldref(field, op, ref, cased ?? defaultCased),
  elements: (field: string, quantifier: ElementQuantifier, condition: Condition) => elements(field, quantifier, condition),
});
const builders = [builder(false), builder(true)];

export function parseConditionText(text: string, options: TextOptions = {}): ParseResult {
  try {
    const build = builders[options.cased ? 1 : 0];
    const condition = parseGenerated(text, { build, reserved: RESERVED_WORDS } as never) as Condition;
    return { ok: true, condition };
  } catch (error) {
    if (error instanceof PeggySyntaxError) {
      return {
        ok: false,
        message: error.message,
        line: error.location.start.line,
        col: error.location.start.column,
      };
    }
    if (error instanceof RangeError) {
      return { ok: false, message: 'condition is nested too deeply to parse', line: 1, col: 1 };
    }
    throw error;
  }
}

// The common condition AST. Every front end produces it, every backend, the evaluator, the
// catalog and the duplicate check consume it. Its meaning is defined in docs/semantics.md and
// enforced by src/eval/evaluate.ts.

/** A literal value. `null` tests for a missing or null field. */
export type Scalar = string | number | boolean | null;

/** A Sigma `expand` placeholder (`%Workstations%`) that a user-supplied list resolves later. */
export interface Placeholder {
  placeholder: string;
}

export type Value = Scalar | Placeholder;

export type MatchOp =
  | 'eq'
  | 'contains'
  | 'startswith'
  | 'endswith'
  | 'wildcard'
  | 'regex'
  | 'cidr'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'is';

export const MATCH_OPS: readonly MatchOp[] = [
  'eq',
  'contains',
  'startswith',
  'endswith',
  'wildcard',
  'regex',
  'cidr',
  'lt',
  'lte',
  'gt',
  'gte',
  'is',
];

/** The JSON types an `is` test names (Python's isinstance of an event value). */
export type JsonType = 'list' | 'object' | 'string' | 'number' | 'boolean' | 'null';
export const JSON_TYPES: readonly JsonType[] = ['list', 'object', 'string', 'number', 'boolean', 'null'];

export type KeywordOp = 'contains' | 'wildcard' | 'regex';
export type FieldRefOp = 'eq' | 'contains' | 'startswith' | 'endswith';

/** How a list of values combines: any one of them, or all of them. */
export type Quantifier = 'any' | 'all';

/** How an array field's elements must satisfy a sub-condition. */
export type ElementQuantifier = 'any' | 'all' | 'none' | 'one';

export type TimePart = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';
export const TIME_PARTS: readonly TimePart[] = ['minute', 'hour', 'day', 'week', 'month', 'year'];

/** Where a node came from in its source file (1-based). */
export interface Span {
  line: number;
  col: number;
  /** The file, where it is not the rule's own (a Panther helper module the rule calls). */
  file?: string;
}

export interface AndNode {
  kind: 'and';
  children: Condition[];
  /** As OrNode.list (a value list under `all`). */
  list?: true;
  span?: Span;
}

export interface OrNode {
  kind: 'or';
  children: Condition[];
  /**
   * The children are one value list the source wrote, split by kind of test (`contains` values
   * and patterns). Meaning is unchanged; query printers print it as the one list it was.
   */
  list?: true;
  span?: Span;
}

export interface NotNode {
  kind: 'not';
  child: Condition;
  span?: Span;
}

/**
 * A test of one field against one or more values. `cased` applies to string operators;
 * regular expressions carry their case-insensitivity in `flags` (`i`, `m`, `s`, sorted).
 * `part` compares a component of a timestamp instead of the field value itself. `is` tests the
 * JSON type of the value (its values are JsonType names); only Panther's isinstance makes one.
 */
export interface MatchNode {
  kind: 'match';
  field: string;
  op: MatchOp;
  values: Value[];
  quantifier: Quantifier;
  cased: boolean;
  flags?: string;
  part?: TimePart;
  /**
   * The values are variants a modifier generated from one written value (Sigma windash,
   * base64offset). Meaning is unchanged; query printers keep such lists apart from lists the
   * author wrote, as Sigma tools do.
   */
  expansion?: true;
  span?: Span;
}

/**
 * The field is present. With `truthy`, present with a value Python counts as true: not null,
 * false, zero, an empty string, an empty list or an empty object (Panther's `if event.get(f)`).
 */
export interface ExistsNode {
  kind: 'exists';
  field: string;
  truthy?: true;
  span?: Span;
}

/** Unbound search: a value anywhere in the event (Sigma keyword lists). */
export interface KeywordNode {
  kind: 'keyword';
  op: KeywordOp;
  values: Value[];
  quantifier: Quantifier;
  cased: boolean;
  flags?: string;
  /** As MatchNode.expansion. */
  expansion?: true;
  span?: Span;
}

/** Compares a field with another field of the same event. */
export interface FieldRefNode {
  kind: 'fieldref';
  field: string;
  op: FieldRefOp;
  ref: string;
  cased: boolean;
  span?: Span;
}

/**
 * Array quantifier: the elements of `field` satisfy `condition`. Inside it, field names are
 * relative to the element and `@` is the element itself.
 */
export interface ElementsNode {
  kind: 'elements';
  field: string;
  quantifier: ElementQuantifier;
  condition: Condition;
  span?: Span;
}

export interface ConstNode {
  kind: 'const';
  value: boolean;
  span?: Span;
}

/** Logic that could not be extracted; the rule holding it is a partial extraction. */
export interface UnknownNode {
  kind: 'unknown';
  reason: string;
  span?: Span;
}

export type Condition =
  | AndNode
  | OrNode
  | NotNode
  | MatchNode
  | ExistsNode
  | KeywordNode
  | FieldRefNode
  | ElementsNode
  | ConstNode
  | UnknownNode;

/** The field name that stands for an array element itself inside an `elements` node. */
export const ELEMENT_SELF = '@';

export const TRUE: ConstNode = Object.freeze({ kind: 'const', value: true }) as ConstNode;
export const FALSE: ConstNode = Object.freeze({ kind: 'const', value: false }) as ConstNode;

export function isPlaceholder(value: Value): value is Placeholder {
  return typeof value === 'object' && value !== null;
}

/**
 * Conjunction. An empty one is `true` and a single operand stands for itself. Nesting is kept
 * as the source wrote it (a selection inside a condition stays its own node), because query
 * printers group by it; canonical.ts flattens for comparison.
 */
export function and(children: Condition[], span?: Span): Condition {
  if (children.length === 0) return TRUE;
  if (children.length === 1) return children[0]!;
  return span ? { kind: 'and', children, span } : { kind: 'and', children };
}

/** Disjunction; the mirror image of `and`. An empty disjunction is `false`. */
export function or(children: Condition[], span?: Span): Condition {
  if (children.length === 0) return FALSE;
  if (children.length === 1) return children[0]!;
  return span ? { kind: 'or', children, span } : { kind: 'or', children };
}

export function not(child: Condition, span?: Span): NotNode {
  return span ? { kind: 'not', child, span } : { kind: 'not', child };
}

export interface MatchOptions {
  quantifier?: Quantifier;
  cased?: boolean;
  flags?: string;
  part?: TimePart;
  expansion?: boolean;
  span?: Span;
}

export function match(field: string, op: MatchOp, values: Value[], options: MatchOptions = {}): MatchNode {
  const node: MatchNode = {
    kind: 'match',
    field,
    op,
    values,
    quantifier: options.quantifier ?? 'any',
    cased: options.cased ?? false,
  };
  if (options.flags) node.flags = normalizeFlags(options.flags);
  if (options.part) node.part = options.part;
  if (options.expansion) node.expansion = true;
  if (options.span) node.span = options.span;
  return node;
}

export function exists(field: string, span?: Span, truthy = false): ExistsNode {
  const node: ExistsNode = { kind: 'exists', field };
  if (truthy) node.truthy = true;
  if (span) node.span = span;
  return node;
}

export function keyword(
  op: KeywordOp,
  values: Value[],
  options: { quantifier?: Quantifier; cased?: boolean; flags?: string; expansion?: boolean; span?: Span } = {},
): KeywordNode {
  const node: KeywordNode = {
    kind: 'keyword',
    op,
    values,
    quantifier: options.quantifier ?? 'any',
    cased: options.cased ?? false,
  };
  if (options.flags) node.flags = normalizeFlags(options.flags);
  if (options.expansion) node.expansion = true;
  if (options.span) node.span = options.span;
  return node;
}

export function fieldref(field: string, op: FieldRefOp, ref: string, cased = false, span?: Span): FieldRefNode {
  const node: FieldRefNode = { kind: 'fieldref', field, op, ref, cased };
  if (span) node.span = span;
  return node;
}

export function elements(field: string, quantifier: ElementQuantifier, condition: Condition, span?: Span): ElementsNode {
  const node: ElementsNode = { kind: 'elements', field, quantifier, condition };
  if (span) node.span = span;
  return node;
}

export function constant(value: boolean): ConstNode {
  return value ? TRUE : FALSE;
}

export function unknown(reason: string, span?: Span): UnknownNode {
  return span ? { kind: 'unknown', reason, span } : { kind: 'unknown', reason };
}

/** Regex flags as a sorted, de-duplicated string of `i`, `m`, `s`. */
export function normalizeFlags(flags: string): string {
  return [...new Set(flags)].filter((f) => f === 'i' || f === 'm' || f === 's').sort().join('');
}

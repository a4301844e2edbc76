// A test-only model of KQL: it walks the syntax tree Microsoft's parser gives for a query that
// rulebridge emitted and decides whether the query keeps one row. The differential test compares
// it with rulebridge's evaluator (src/eval/evaluate.ts) on the same events. It is a model, not
// Kusto, so every assumption is written down here, and whatever lies outside the model throws
// KqlUnsupported rather than being guessed at.
//
// Rows
// - A row is a JSON object. Each top-level key is a column of type `dynamic` (a table of JSON
//   events with no schema); a column the row lacks holds dynamic null.
// - rowOf(event) presents an event as a row. A top-level key `a.b` whose parts are all
//   identifiers becomes nested objects, so {"a.b": 1} and {"a": {"b": 1}} are the same row. That
//   is how the printer reads such a name when it has no schema: `a.b` is a path into column `a`.
//   Other keys stay column names (`['cs-uri-query']`). A key that collides with another is refused.
//
// Values are string, long, real and bool (the last three nullable), plus dynamic (any JSON value,
// null included). Booleans are three-valued: true, false, null.
//
// Null (Microsoft's "Null values" page for KQL)
// - `==` between null and a non-null value is false, and `!=` is true. Between two nulls, both
//   give null. `<` `<=` `>` `>=` give null when either side is null.
// - `and` and `or` are three-valued (Kleene): false and null is false, true or null is true.
//   not(null) is null. `where` keeps a row only when the predicate is true.
// - isnull is true for dynamic null and for a null long, real or bool, never for a string.
//   isempty is true for "" and for null. ipv4_is_in_range and ipv6_is_in_range give null when an
//   argument is not an address (as their pages say). The IPv6 functions read IPv4 text as
//   IPv4-mapped IPv6, as parse_ipv6's page describes. coalesce gives its first non-null argument.
//
// Strings
// - String operators read their left operand as text, i.e. tostring(). These are =~ !~ contains
//   startswith endswith has, their _cs and negated forms, in~ !in~ and `matches regex`.
//   tostring(null) is "". Integers print in decimal; a real is refused, because its format is not
//   modelled. Booleans print as true/false. Arrays and property bags print as compact JSON, with
//   JSON.stringify's escapes and keys in their order (assumed).
// - `==`, `!=`, `in` and `!in` with a string operand compare text, case-sensitively, and a null
//   counts as "". If the other operand is a dynamic holding a number, bool, array or bag, the
//   comparison is refused: KQL does not document whether it converts. With a number or bool
//   operand they compare numbers or booleans, and a dynamic holding text is refused. Two dynamic
//   operands follow the null rules above.
// - The case-insensitive operators fold each code point to its simple upper case, one code point
//   to one, as a model of .NET's OrdinalIgnoreCase. So `=~` does not equate "ß" and "SS".
// - An empty needle is assumed to match every text, "" included: contains "", startswith "" and
//   endswith "" are true, like substring tests. `has ""` is refused.
// - has matches where the needle starts and ends on term boundaries. A term is a run of letters
//   and digits. The index rules for short terms are not modelled.
// - `matches regex` takes RE2 syntax and translates it to a JavaScript RegExp with the `u` flag:
//   * a leading (?flags) group with i, m and s sets the behaviour;
//   * `.` without s excludes only \n, and `^` and `$` under m treat only \n as a line end;
//   * \s is [\t\n\f\r ], as in RE2.
//   Lookaround, backreferences, flag groups mid-pattern, \p classes, \Q..\E, \C, octal escapes,
//   POSIX classes and unknown escapes are refused.
// - `* contains "x"` is true when some column's text contains x.
// - pack_all() is the row as a property bag, columns in row order.

import { errorsOf, kindOf, parseKql, syntaxKindName, type KustoNode } from './kusto.js';

export class KqlUnsupported extends Error {
  override name = 'KqlUnsupported';
}

export type Json = null | string | number | boolean | Json[] | { [key: string]: Json };
export type Row = Record<string, Json>;

export type KqlValue =
  | { type: 'string'; value: string }
  | { type: 'long' | 'real'; value: number | null }
  | { type: 'bool'; value: boolean | null }
  | { type: 'dynamic'; value: Json };

type Expr = (row: Row) => KqlValue;
type Verdict = boolean | null;

export interface KqlQuery {
  text: string;
  /** True when every `where` of the query is true for the row. */
  keeps(row: Row): boolean;
}

/**
 * Compiles a query: a bare where-expression (rulebridge without a mapping), `Table | where ...`
 * or `union * | where ...`, with any number of `where` and `project` operators.
 */
export function compileKqlQuery(text: string): KqlQuery {
  const filters = queryFilters(statementOf(text));
  return { text, keeps: (row) => filters.every((f) => f(row) === true) };
}

/** Compiles one scalar expression (for unit tests and for reading single predicates). */
export function compileKqlExpression(text: string): (row: Row) => KqlValue {
  return compile(statementOf(text));
}

function statementOf(text: string): KustoNode {
  const code = parseKql(text);
  const errors = errorsOf(code);
  if (errors.length > 0) throw new Error(`the query does not parse: ${errors[0]!.code} ${errors[0]!.message}`);
  const statements = code.Syntax.Statements as { Count: number; getItem(i: number): { Element: KustoNode } };
  if (statements.Count !== 1) throw new KqlUnsupported(`${statements.Count} statements`);
  const statement = statements.getItem(0).Element;
  if (kindOf(statement) !== 'ExpressionStatement') throw new KqlUnsupported(`statement ${kindOf(statement)}`);
  return child(statement, 'Expression');
}

// ---- query shape ----

function queryFilters(node: KustoNode): Array<(row: Row) => Verdict> {
  if (kindOf(node) !== 'PipeExpression') return [predicate(node)];
  const source = child(node, 'Expression');
  const operator = child(node, 'Operator');
  const before = kindOf(source) === 'PipeExpression' ? queryFilters(source) : sourceFilters(source);
  switch (kindOf(operator)) {
    case 'FilterOperator':
      return [...before, predicate(child(operator, 'Condition'))];
    case 'ProjectOperator':
      // Chooses columns; every row stays.
      return before;
    default:
      throw new KqlUnsupported(`query operator ${kindOf(operator)}`);
  }
}

/** The left end of a pipe: a table (every row is a candidate) or a bare where-expression. */
function sourceFilters(node: KustoNode): Array<(row: Row) => Verdict> {
  const kind = kindOf(node);
  if (kind === 'NameReference') return [];
  if (kind === 'UnionOperator') {
    if (textOfNode(node).replace(/\s+/g, '') !== 'union*') throw new KqlUnsupported(`${textOfNode(node)} (only union * is read)`);
    return [];
  }
  return [predicate(node)];
}

function predicate(node: KustoNode): (row: Row) => Verdict {
  const expr = compile(node);
  return (row) => boolOf(expr(row));
}

// ---- expressions ----

function compile(node: KustoNode): Expr {
  switch (kindOf(node)) {
    case 'ParenthesizedExpression':
      return compile(child(node, 'Expression'));
    case 'LiteralExpression':
    case 'PrefixUnaryExpression': {
      const value = constantOf(node);
      return () => value;
    }
    case 'NameReference': {
      const name = String(node.SimpleName);
      return (row) => dynamic(Object.hasOwn(row, name) ? row[name]! : null);
    }
    case 'PathExpression':
      return compilePath(node);
    case 'ElementExpression':
      return compileElement(node);
    case 'BinaryExpression':
      return compileBinary(node);
    case 'InExpression':
      return compileIn(node);
    case 'FunctionCallExpression':
      return compileCall(node);
    default:
      throw new KqlUnsupported(`syntax ${kindOf(node)}: ${textOfNode(node)}`);
  }
}

/** A literal, or a signed numeric literal (`-5`). */
function constantOf(node: KustoNode): KqlValue {
  const kind = kindOf(node);
  if (kind === 'PrefixUnaryExpression') {
    const sign = (child(node, 'Operator') as KustoNode).Text;
    const operand = constantOf(child(node, 'Expression'));
    if ((sign !== '-' && sign !== '+') || (operand.type !== 'long' && operand.type !== 'real') || operand.value === null) {
      throw new KqlUnsupported(`unary ${sign} on ${operand.type}`);
    }
    return { type: operand.type, value: sign === '-' ? -operand.value : operand.value };
  }
  if (kind !== 'LiteralExpression') throw new KqlUnsupported(`expected a literal, found ${kind}: ${textOfNode(node)}`);
  const text = (child(node, 'Token') as KustoNode).Text;
  switch (syntaxKindName(node.Kind)) {
    case 'StringLiteralExpression':
      // The parser decodes escapes and verbatim strings; its reading is the reference.
      return { type: 'string', value: String(node.LiteralValue) };
    case 'LongLiteralExpression':
    case 'IntLiteralExpression': {
      const n = Number(text);
      if (!Number.isSafeInteger(n)) throw new KqlUnsupported(`integer literal ${text}`);
      return { type: 'long', value: n };
    }
    case 'RealLiteralExpression': {
      const n = Number(text);
      if (!Number.isFinite(n)) throw new KqlUnsupported(`real literal ${text}`);
      return { type: 'real', value: n };
    }
    case 'BooleanLiteralExpression':
      return { type: 'bool', value: text === 'true' };
    default:
      throw new KqlUnsupported(`literal ${syntaxKindName(node.Kind)}: ${text}`);
  }
}

function compilePath(node: KustoNode): Expr {
  const base = compile(child(node, 'Expression'));
  const selector = child(node, 'Selector');
  if (kindOf(selector) !== 'NameReference') throw new KqlUnsupported(`path selector ${kindOf(selector)}`);
  const key = String(selector.SimpleName);
  return (row) => member(base(row), key);
}

/** `a['b']` (a property) or `a[0]` (an array element). */
function compileElement(node: KustoNode): Expr {
  const base = compile(child(node, 'Expression'));
  const selector = child(node, 'Selector');
  if (kindOf(selector) !== 'BracketedExpression') throw new KqlUnsupported(`element selector ${kindOf(selector)}`);
  const key = constantOf(child(selector, 'Expression'));
  if (key.type === 'string') return (row) => member(base(row), key.value);
  if (key.type === 'long' && key.value !== null) {
    const index = key.value;
    return (row) => {
      const v = base(row);
      if (v.type !== 'dynamic') throw new KqlUnsupported(`index into a ${v.type}`);
      const at = Array.isArray(v.value) ? v.value[index < 0 ? v.value.length + index : index] : undefined;
      return dynamic(at ?? null);
    };
  }
  throw new KqlUnsupported(`element selector of type ${key.type}`);
}

/** A property of a bag; null for a missing property or for anything that is not a bag. */
function member(value: KqlValue, key: string): KqlValue {
  if (value.type !== 'dynamic') throw new KqlUnsupported(`property ${key} of a ${value.type}`);
  const v = value.value;
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return dynamic(null);
  return dynamic(Object.hasOwn(v, key) ? v[key]! : null);
}

// ---- binary operators ----

type TextTest = (text: string, needle: string) => boolean;

/** Positive string operators; `!op` is the negation of `op`. */
const TEXT_TESTS: Record<string, { test: TextTest; cased: boolean }> = {
  '=~': { test: (t, n) => t === n, cased: false },
  contains: { test: (t, n) => t.includes(n), cased: false },
  contains_cs: { test: (t, n) => t.includes(n), cased: true },
  startswith: { test: (t, n) => t.startsWith(n), cased: false },
  startswith_cs: { test: (t, n) => t.startsWith(n), cased: true },
  endswith: { test: (t, n) => t.endsWith(n), cased: false },
  endswith_cs: { test: (t, n) => t.endsWith(n), cased: true },
  has: { test: hasTerm, cased: false },
  has_cs: { test: hasTerm, cased: true },
};

const NEGATED: Record<string, string> = {
  '!~': '=~',
  '!contains': 'contains',
  '!contains_cs': 'contains_cs',
  '!startswith': 'startswith',
  '!startswith_cs': 'startswith_cs',
  '!endswith': 'endswith',
  '!endswith_cs': 'endswith_cs',
  '!has': 'has',
  '!has_cs': 'has_cs',
};

const COMPARISONS: Record<string, (a: number, b: number) => boolean> = {
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function compileBinary(node: KustoNode): Expr {
  const op = (child(node, 'Operator') as KustoNode).Text;
  const leftNode = child(node, 'Left');
  const rightNode = child(node, 'Right');
  if (kindOf(leftNode) === 'StarExpression') return compileAnyColumn(op, rightNode);
  if (op === 'and' || op === 'or') return compileLogical(op, chainOperands(node, op).map(compile));
  if (op === 'matches regex') return compileRegex(compile(leftNode), rightNode);
  const positive = NEGATED[op] ?? op;
  const textTest = TEXT_TESTS[positive];
  if (textTest) {
    const test = textPredicate(textTest, compile(leftNode), compile(rightNode));
    return positive === op ? (row) => bool(test(row)) : (row) => bool(!test(row));
  }
  const left = compile(leftNode);
  const right = compile(rightNode);
  if (op === '==' || op === '!=') {
    return (row) => {
      const equal = equals(left(row), right(row));
      return bool(equal === null ? null : op === '==' ? equal : !equal);
    };
  }
  const compare = COMPARISONS[op];
  if (compare) {
    return (row) => {
      const a = numberOf(left(row));
      const b = numberOf(right(row));
      return bool(a === null || b === null ? null : compare(a, b));
    };
  }
  throw new KqlUnsupported(`operator ${op}`);
}

/**
 * The operands of a chain of one logical operator. The parser nests `a or b or c` to the left, and
 * the corpus has chains of thousands, too deep to follow by recursion.
 */
function chainOperands(node: KustoNode, op: string): KustoNode[] {
  const operands: KustoNode[] = [];
  let current = node;
  while (kindOf(current) === 'BinaryExpression' && (child(current, 'Operator') as KustoNode).Text === op) {
    operands.push(child(current, 'Right'));
    current = child(current, 'Left');
  }
  operands.push(current);
  return operands.reverse();
}

/**
 * Three-valued `and` / `or` over n operands. One false operand decides `and` (one true decides
 * `or`) whatever the others are, so an operand the model cannot decide only matters when nothing
 * else decides.
 */
function compileLogical(op: 'and' | 'or', operands: Expr[]): Expr {
  const decisive = op === 'or';
  return (row) => {
    let sawNull = false;
    let refused: KqlUnsupported | undefined;
    for (const operand of operands) {
      let v: Verdict;
      try {
        v = boolOf(operand(row));
      } catch (error) {
        if (!(error instanceof KqlUnsupported)) throw error;
        refused ??= error;
        continue;
      }
      if (v === decisive) return bool(decisive);
      if (v === null) sawNull = true;
    }
    if (refused) throw refused;
    return bool(sawNull ? null : !decisive);
  };
}

/** A string test; a constant needle is folded once, not per row. */
function textPredicate(spec: { test: TextTest; cased: boolean }, left: Expr, right: Expr): (row: Row) => boolean {
  const fold = spec.cased ? (s: string) => s : foldCase;
  const needle = constantText(right);
  if (needle !== undefined) {
    const n = fold(needle);
    return (row) => spec.test(fold(textOf(left(row))), n);
  }
  return (row) => spec.test(fold(textOf(left(row))), fold(textOf(right(row))));
}

/** The text of an expression that does not depend on the row, if it is one. */
function constantText(expr: Expr): string | undefined {
  try {
    const v = expr({});
    return v.type === 'string' ? v.value : undefined;
  } catch {
    return undefined;
  }
}

/** `* op "x"`: some column passes the string test. */
function compileAnyColumn(op: string, rightNode: KustoNode): Expr {
  const spec = TEXT_TESTS[op];
  if (!spec || op === '=~') throw new KqlUnsupported(`* ${op}`);
  const needle = constantOf(rightNode);
  if (needle.type !== 'string') throw new KqlUnsupported(`* ${op} with a ${needle.type}`);
  const n = spec.cased ? needle.value : foldCase(needle.value);
  return (row) =>
    bool(
      Object.keys(row).some((column) => {
        const text = textOf(dynamic(row[column]!));
        return spec.test(spec.cased ? text : foldCase(text), n);
      }),
    );
}

function compileRegex(left: Expr, rightNode: KustoNode): Expr {
  const pattern = constantOf(rightNode);
  if (pattern.type !== 'string') throw new KqlUnsupported(`matches regex with a ${pattern.type}`);
  const regexp = re2RegExp(pattern.value);
  return (row) => bool(regexp.test(textOf(left(row))));
}

// ---- in ----

function compileIn(node: KustoNode): Expr {
  const op = (child(node, 'Operator') as KustoNode).Text;
  const left = compile(child(node, 'Left'));
  const list = listOf(child(node, 'Right')).map(constantOf);
  const negate = op.startsWith('!');
  const positive = negate ? op.slice(1) : op;
  let test: (row: Row) => Verdict;
  if (list.every((v) => v.type === 'string')) {
    const texts = list.map((v) => v.value as string);
    if (positive === 'in~') {
      const folded = new Set(texts.map(foldCase));
      test = (row) => folded.has(foldCase(textOf(left(row))));
    } else if (positive === 'in') {
      const set = new Set(texts);
      test = (row) => set.has(textForEquality(left(row)));
    } else throw new KqlUnsupported(`operator ${op}`);
  } else if (positive === 'in' && list.every((v) => (v.type === 'long' || v.type === 'real') && v.value !== null)) {
    const numbers = new Set(list.map((v) => v.value as number));
    test = (row) => {
      const n = numberOf(left(row));
      // `null in (1, 2)` is not documented.
      if (n === null) throw new KqlUnsupported('null on the left of a numeric in-list');
      return numbers.has(n);
    };
  } else throw new KqlUnsupported(`${op} with a list of ${[...new Set(list.map((v) => v.type))].join(', ')}`);
  return (row) => {
    const v = test(row);
    return bool(v === null ? null : negate ? !v : v);
  };
}

function listOf(node: KustoNode): KustoNode[] {
  if (kindOf(node) !== 'ExpressionList') throw new KqlUnsupported(`in-list ${kindOf(node)}`);
  const items = node.Expressions as { Count: number; getItem(i: number): { Element: KustoNode } };
  return Array.from({ length: items.Count }, (_, i) => items.getItem(i).Element);
}

// ---- functions ----

function compileCall(node: KustoNode): Expr {
  const name = String(child(node, 'Name').SimpleName);
  const args = listOf(child(node, 'ArgumentList')).map(compile);
  const arity = (n: number) => {
    if (args.length !== n) throw new KqlUnsupported(`${name} with ${args.length} arguments`);
  };
  switch (name) {
    case 'not': {
      arity(1);
      return (row) => {
        const v = boolOf(args[0]!(row));
        return bool(v === null ? null : !v);
      };
    }
    case 'coalesce': {
      // The first argument that is not null (Microsoft's coalesce page); rulebridge passes a
      // bool and false.
      if (args.length < 2) throw new KqlUnsupported(`coalesce with ${args.length} arguments`);
      return (row) => {
        let last: KqlValue = bool(null);
        for (const arg of args) {
          last = arg(row);
          if (!isNull(last)) return last;
        }
        return last;
      };
    }
    case 'isnull':
    case 'isnotnull': {
      arity(1);
      return (row) => bool(isNull(args[0]!(row)) === (name === 'isnull'));
    }
    case 'isempty':
    case 'isnotempty': {
      arity(1);
      return (row) => bool(isEmpty(args[0]!(row)) === (name === 'isempty'));
    }
    case 'tostring':
      arity(1);
      return (row) => ({ type: 'string', value: textOf(args[0]!(row)) });
    case 'todouble':
      arity(1);
      return (row) => ({ type: 'real', value: toDouble(args[0]!(row)) });
    case 'parse_json':
      arity(1);
      return (row) => parseJson(args[0]!(row));
    case 'pack_all':
      arity(0);
      return (row) => dynamic(row);
    case 'ipv4_is_in_range':
      arity(2);
      return (row) => bool(ipv4InRange(textOf(args[0]!(row)), textOf(args[1]!(row))));
    case 'ipv6_is_in_range':
      arity(2);
      return (row) => bool(ipv6InRange(textOf(args[0]!(row)), textOf(args[1]!(row))));
    default:
      throw new KqlUnsupported(`function ${name}()`);
  }
}

function isNull(v: KqlValue): boolean {
  return v.type !== 'string' && v.value === null;
}

function isEmpty(v: KqlValue): boolean {
  if (v.value === null) return true;
  if (v.type === 'string' || (v.type === 'dynamic' && typeof v.value === 'string')) return v.value === '';
  if (v.type === 'dynamic' && typeof v.value === 'object') throw new KqlUnsupported('isempty of an array or bag');
  return false;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function toDouble(v: KqlValue): number | null {
  if (v.type === 'long' || v.type === 'real') return v.value;
  const raw = v.type === 'string' ? v.value : v.type === 'dynamic' ? v.value : undefined;
  if (raw === null) return null;
  if (typeof raw === 'number') return raw;
  if (typeof raw === 'string') {
    if (DECIMAL.test(raw)) return Number(raw);
    if (raw === '' || !/\s|inf|nan/i.test(raw)) return null;
  }
  throw new KqlUnsupported(`todouble of ${JSON.stringify(raw)}`);
}

function parseJson(v: KqlValue): KqlValue {
  // A dynamic holding text may or may not be parsed again; that is not documented.
  if (v.type === 'dynamic' && typeof v.value === 'string') throw new KqlUnsupported('parse_json of a dynamic string');
  if (v.type === 'dynamic') return v;
  if (v.type !== 'string') throw new KqlUnsupported(`parse_json of a ${v.type}`);
  try {
    return dynamic(JSON.parse(v.value) as Json);
  } catch {
    throw new KqlUnsupported(`parse_json of text that is not JSON: ${JSON.stringify(v.value.slice(0, 40))}`);
  }
}

// ---- values ----

function dynamic(value: Json): KqlValue {
  return { type: 'dynamic', value };
}

function bool(value: boolean | null): KqlValue {
  return { type: 'bool', value };
}

function boolOf(v: KqlValue): Verdict {
  if (v.type === 'bool') return v.value;
  throw new KqlUnsupported(`a ${v.type} where a bool is needed`);
}

/** tostring(): the text string operators see. */
export function textOf(v: KqlValue): string {
  switch (v.type) {
    case 'string':
      return v.value;
    case 'long':
    case 'real':
      return v.value === null ? '' : numberText(v.value);
    case 'bool':
      return v.value === null ? '' : String(v.value);
    case 'dynamic': {
      const value = v.value;
      if (value === null) return '';
      if (typeof value === 'string') return value;
      if (typeof value === 'number') return numberText(value);
      if (typeof value === 'boolean') return String(value);
      return jsonText(value);
    }
  }
}

function numberText(n: number): string {
  if (Number.isSafeInteger(n)) return String(n);
  throw new KqlUnsupported(`text of the real number ${n}`);
}

function jsonText(value: Json): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
    .join(',')}}`;
}

type Scalar = { kind: 'null' } | { kind: 'number'; value: number } | { kind: 'bool'; value: boolean } | { kind: 'text'; value: string } | { kind: 'complex' };

function scalarOf(v: KqlValue): Scalar {
  if (v.type === 'string') return { kind: 'text', value: v.value };
  const value = v.value;
  if (value === null) return { kind: 'null' };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'bool', value };
  if (typeof value === 'string') return { kind: 'text', value };
  return { kind: 'complex' };
}

/** `==`: null when both sides are null, false when one is. */
function equals(a: KqlValue, b: KqlValue): Verdict {
  if (a.type === 'string' || b.type === 'string') return textForEquality(a) === textForEquality(b);
  const x = scalarOf(a);
  const y = scalarOf(b);
  if (x.kind === 'null' && y.kind === 'null') return null;
  if (x.kind === 'null' || y.kind === 'null') return false;
  if (x.kind === 'complex' || y.kind === 'complex' || x.kind !== y.kind) {
    throw new KqlUnsupported(`== between a ${describe(a)} and a ${describe(b)}`);
  }
  return x.value === (y as typeof x).value;
}

/** The text `==` and `in` compare against a string: text itself, or "" for null. */
function textForEquality(v: KqlValue): string {
  const s = scalarOf(v);
  if (s.kind === 'text') return s.value;
  if (s.kind === 'null') return '';
  throw new KqlUnsupported(`string equality with a ${describe(v)}`);
}

function numberOf(v: KqlValue): number | null {
  const s = scalarOf(v);
  if (s.kind === 'null') return null;
  if (s.kind === 'number') return s.value;
  throw new KqlUnsupported(`a number expected, found a ${describe(v)}`);
}

function describe(v: KqlValue): string {
  if (v.type !== 'dynamic') return v.type;
  const value = v.value;
  return `dynamic ${value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'object' ? 'bag' : typeof value}`;
}

// ---- case and terms ----

let lastFoldIn = '';
let lastFoldOut = '';

/** Simple upper-case folding, one code point to one (OrdinalIgnoreCase). */
export function foldCase(text: string): string {
  // The same text is folded again and again by long `or` chains over one column.
  if (text === lastFoldIn) return lastFoldOut;
  let out: string;
  if (/^[\x00-\x7f]*$/.test(text)) out = text.toUpperCase();
  else {
    out = '';
    for (const ch of text) {
      const upper = ch.toUpperCase();
      out += upper.length === ch.length ? upper : ch;
    }
  }
  lastFoldIn = text;
  lastFoldOut = out;
  return out;
}

const TERM = /[\p{L}\p{N}]/u;

function hasTerm(text: string, needle: string): boolean {
  if (needle === '') throw new KqlUnsupported('has ""');
  const first = String.fromCodePoint(needle.codePointAt(0)!);
  const last = [...needle].pop()!;
  const startsWord = TERM.test(first);
  const endsWord = TERM.test(last);
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = at > 0 ? lastCodePoint(text.slice(0, at)) : '';
    const rest = text.slice(at + needle.length);
    const after = rest === '' ? '' : String.fromCodePoint(rest.codePointAt(0)!);
    if ((!startsWord || !TERM.test(before)) && (!endsWord || !TERM.test(after))) return true;
  }
  return false;
}

function lastCodePoint(text: string): string {
  const code = text.codePointAt(text.length - 1)!;
  // A low surrogate: the code point starts one unit earlier.
  return code >= 0xdc00 && code <= 0xdfff && text.length > 1 ? String.fromCodePoint(text.codePointAt(text.length - 2)!) : String.fromCharCode(code);
}

// ---- RE2 ----

const regexCache = new Map<string, RegExp>();

/** An RE2 pattern as a JavaScript RegExp with the same matches (see the header for the limits). */
export function re2RegExp(pattern: string): RegExp {
  let re = regexCache.get(pattern);
  if (re) return re;
  const lead = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  const flags = lead ? lead[1]! : '';
  if (!/^[ims]*$/.test(flags)) throw new KqlUnsupported(`regex flags (?${flags})`);
  const source = translateRe2(lead ? pattern.slice(lead[0].length) : pattern, flags.includes('s'), flags.includes('m'));
  try {
    re = new RegExp(source, flags.includes('i') ? 'iu' : 'u');
  } catch (error) {
    throw new KqlUnsupported(`regex /${pattern}/ has no JavaScript form: ${(error as Error).message}`);
  }
  regexCache.set(pattern, re);
  return re;
}

function translateRe2(body: string, dotAll: boolean, multiline: boolean): string {
  let out = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '\\') {
      out += re2Escape(body, i, false);
      i += escapeLength(body, i);
    } else if (c === '[') {
      const [js, length] = re2Class(body, i);
      out += js;
      i += length;
    } else if (c === '(') {
      const [js, length] = re2Group(body, i);
      out += js;
      i += length;
    } else if (c === '{') {
      const repeat = /^\{(\d+)(?:,(\d*))?\}/.exec(body.slice(i));
      if (repeat && Math.max(Number(repeat[1]), Number(repeat[2] || 0)) > 1000) throw new KqlUnsupported('repetition over 1000');
      // RE2 reads a brace that does not open a repetition as a literal.
      out += repeat ? repeat[0] : '\\{';
      i += repeat ? repeat[0].length : 1;
    } else {
      out += c === '.' ? (dotAll ? '[\\s\\S]' : '[^\\n]')
        : c === '^' ? (multiline ? '(?<![^\\n])' : '(?<![\\s\\S])')
        : c === '$' ? (multiline ? '(?![^\\n])' : '(?![\\s\\S])')
        : c === '}' || c === ']' ? `\\${c}`
        : c;
      if ((c === '*' || c === '+' || c === '?' || c === '}') && body[i + 1] === '+') throw new KqlUnsupported('possessive quantifier');
      i++;
    }
  }
  return out;
}

function escapeLength(body: string, i: number): number {
  const hex = /^\\x(\{[0-9a-fA-F]+\}|[0-9a-fA-F]{2})/.exec(body.slice(i, i + 12));
  return hex ? hex[0].length : 2;
}

/** One RE2 escape as JavaScript (inside a class, as class members). */
function re2Escape(body: string, i: number, inClass: boolean): string {
  const next = body[i + 1];
  if (next === undefined) throw new KqlUnsupported('trailing backslash');
  if ('dDwW'.includes(next)) return `\\${next}`;
  if (next === 's') return inClass ? '\\t\\n\\f\\r ' : '[\\t\\n\\f\\r ]';
  if (next === 'S' && !inClass) return '[^\\t\\n\\f\\r ]';
  if ((next === 'b' || next === 'B') && !inClass) return `\\${next}`;
  if (next === 'A' && !inClass) return '(?<![\\s\\S])';
  if (next === 'z' && !inClass) return '(?![\\s\\S])';
  if ('tnrfv'.includes(next)) return `\\${next}`;
  if (next === 'a') return '\\x07';
  if (next === 'x') {
    const hex = /^\\x(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/.exec(body.slice(i, i + 12));
    if (!hex) throw new KqlUnsupported('malformed \\x escape');
    return `\\u{${hex[1] ?? hex[2]}}`;
  }
  // RE2 escapes punctuation to itself and refuses other escapes it does not know.
  if (/[!-/:-@[-`{-~]/.test(next)) return `\\u{${next.codePointAt(0)!.toString(16)}}`;
  throw new KqlUnsupported(`regex escape \\${next}`);
}

function re2Class(body: string, start: number): [string, number] {
  let i = start + 1;
  let out = '[';
  if (body[i] === '^') {
    out += '^';
    i++;
  }
  if (body[i] === ']') {
    out += '\\]';
    i++;
  }
  while (i < body.length && body[i] !== ']') {
    const c = body[i]!;
    if (c === '\\') {
      if (body[i + 1] === 's' && body[i + 2] === '-' && body[i + 3] !== ']') throw new KqlUnsupported('range from \\s');
      out += re2Escape(body, i, true);
      i += escapeLength(body, i);
    } else if (c === '[') {
      if (body[i + 1] === ':') throw new KqlUnsupported('POSIX character class');
      out += '\\[';
      i++;
    } else {
      out += c;
      i++;
    }
  }
  if (i >= body.length) throw new KqlUnsupported('unterminated character class');
  return [`${out}]`, i + 1 - start];
}

function re2Group(body: string, start: number): [string, number] {
  if (body[start + 1] !== '?') return ['(', 1];
  const rest = body.slice(start + 2);
  if (rest.startsWith(':')) return ['(?:', 3];
  const named = /^P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(rest);
  if (named) return [`(?<${named[1]}>`, 2 + named[0].length];
  throw new KqlUnsupported(`regex group (?${rest.slice(0, 3)}`);
}

// ---- IP ranges ----

/** An IPv4 address as a number, null when the text is not one. Leading zeros are refused. */
function ipv4Of(text: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!m) {
    if (/^\s|\s$/.test(text)) throw new KqlUnsupported(`address with spaces: ${JSON.stringify(text)}`);
    return null;
  }
  let n = 0;
  for (const part of m.slice(1)) {
    if (part.length > 1 && part.startsWith('0')) throw new KqlUnsupported(`IPv4 part with a leading zero: ${text}`);
    const v = Number(part);
    if (v > 255) return null;
    n = n * 256 + v;
  }
  return n;
}

/** `a.b.c.d` or `a.b.c.d/n` as (network, prefix). */
function ipv4Range(text: string): { ip: number; prefix: number } | null {
  const [address, prefixText, extra] = text.split('/');
  if (extra !== undefined) return null;
  const ip = ipv4Of(address!);
  const prefix = prefixText === undefined ? 32 : /^\d{1,2}$/.test(prefixText) ? Number(prefixText) : NaN;
  return ip === null || !(prefix >= 0 && prefix <= 32) ? null : { ip, prefix };
}

function ipv4InRange(address: string, range: string): Verdict {
  if (address.includes('/')) throw new KqlUnsupported('an address with a prefix');
  const ip = ipv4Of(address);
  const network = ipv4Range(range);
  if (ip === null || network === null) return null;
  const shift = 32 - network.prefix;
  return Math.floor(ip / 2 ** shift) === Math.floor(network.ip / 2 ** shift);
}

/** An IPv6 address (or IPv4 text, mapped) as a 128-bit number; null when it is neither. */
function ipv6Of(text: string): bigint | null {
  if (text.includes('%')) throw new KqlUnsupported('IPv6 zone index');
  const v4 = text.includes(':') ? null : ipv4Of(text);
  if (v4 !== null) return (0xffffn << 32n) | BigInt(v4);
  const halves = text.split('::');
  if (halves.length > 2) return null;
  const head = ipv6Groups(halves[0]!);
  const tail = halves.length === 2 ? ipv6Groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const gap = 8 - head.length - tail.length;
  if (halves.length === 2 ? gap < 1 : gap !== 0) return null;
  return [...head, ...new Array<number>(gap).fill(0), ...tail].reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

function ipv6Groups(text: string): number[] | null {
  if (text === '') return [];
  const out: number[] = [];
  const pieces = text.split(':');
  for (const [i, piece] of pieces.entries()) {
    if (i === pieces.length - 1 && piece.includes('.')) {
      const v4 = ipv4Of(piece);
      if (v4 === null) return null;
      out.push(Math.floor(v4 / 65536), v4 % 65536);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(piece)) out.push(parseInt(piece, 16));
    else return null;
  }
  return out;
}

function ipv6InRange(address: string, range: string): Verdict {
  if (address.includes('/')) throw new KqlUnsupported('an address with a prefix');
  const ip = ipv6Of(address);
  const [base, prefixText, extra] = range.split('/');
  const network = ipv6Of(base!);
  const isV4 = !base!.includes(':');
  let prefix = prefixText === undefined ? 128 : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (isV4 && prefixText !== undefined) prefix = prefix <= 32 ? prefix + 96 : NaN;
  if (ip === null || network === null || extra !== undefined || !(prefix >= 0 && prefix <= 128)) return null;
  const shift = BigInt(128 - prefix);
  return ip >> shift === network >> shift;
}

// ---- rows ----

const IDENTIFIER = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/** An event as a row (see the header): dotted keys of identifiers become nested bags. */
export function rowOf(event: unknown): Row {
  if (event === null || typeof event !== 'object' || Array.isArray(event)) throw new KqlUnsupported('an event that is not an object');
  const row: Row = {};
  const nested = new Set<string>();
  for (const [key, value] of Object.entries(event as Record<string, Json>)) {
    const parts = key.split('.');
    if (parts.length === 1 || !parts.every((p) => IDENTIFIER.test(p))) {
      if (Object.hasOwn(row, key)) throw new KqlUnsupported(`column ${key} given twice`);
      row[key] = value;
      continue;
    }
    let bag: Row = row;
    for (const [i, part] of parts.entries()) {
      const path = parts.slice(0, i + 1).join('.');
      if (i === parts.length - 1) {
        if (Object.hasOwn(bag, part)) throw new KqlUnsupported(`event key ${key} collides with ${path}`);
        bag[part] = value;
      } else {
        if (!Object.hasOwn(bag, part)) {
          bag[part] = {};
          nested.add(path);
        } else if (!nested.has(path)) throw new KqlUnsupported(`event key ${key} collides with ${path}`);
        bag = bag[part] as Row;
      }
    }
  }
  return row;
}

// ---- syntax helpers ----

function child(node: KustoNode, name: string): KustoNode {
  const value = node[name];
  if (value === null || value === undefined) throw new KqlUnsupported(`${kindOf(node)} without ${name}`);
  return value as KustoNode;
}

/** The node's source text, as written (the bridge's toString keeps the spacing). */
function textOfNode(node: KustoNode): string {
  return String(node.toString()).trim();
}

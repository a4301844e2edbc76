// The Python syntax tree that rulebridge analyses. Node names and field names are those of
// CPython's `ast` module (3.11), so that Python's documentation describes them and a
// differential test can compare the two trees field by field. Departures from CPython:
//
// - positions: every node, including those CPython leaves unpositioned (`arguments`,
//   `comprehension`, `withitem`, `match_case`), has `line` (1-based) and `col` (1-based, in
//   UTF-16 code units of the original line, as elsewhere in rulebridge) of its first
//   character. CPython's `col_offset` counts UTF-8 bytes from 0. End positions are not kept.
// - constant values: see `ConstantValue`.
// - ExceptHandler's `type` field is `type_`, since `type` names the node kind.
// - type comments (`type_comment`, `type_ignores`) are not read; they are comments.

export interface Position {
  line: number;
  col: number;
}

export type ExprContext = 'Load' | 'Store' | 'Del';

export type BoolOperator = 'And' | 'Or';
export type Operator =
  | 'Add'
  | 'Sub'
  | 'Mult'
  | 'MatMult'
  | 'Div'
  | 'Mod'
  | 'Pow'
  | 'LShift'
  | 'RShift'
  | 'BitOr'
  | 'BitXor'
  | 'BitAnd'
  | 'FloorDiv';
export type UnaryOperator = 'Invert' | 'Not' | 'UAdd' | 'USub';
export type CompareOperator = 'Eq' | 'NotEq' | 'Lt' | 'LtE' | 'Gt' | 'GtE' | 'Is' | 'IsNot' | 'In' | 'NotIn';

/** Python's float: tagged so that `1.0` stays distinct from the int `1`. */
export interface FloatValue {
  kind: 'float';
  value: number;
}
/** An imaginary literal such as `2j` (Python literals have no real part). */
export interface ComplexValue {
  kind: 'complex';
  imag: number;
}
export interface EllipsisValue {
  kind: 'ellipsis';
}

/**
 * The value of a `Constant`:
 * - `str` → string; `bytes` → Uint8Array;
 * - `int` → number when it is a safe integer, else bigint (so `typeof v === 'number'` and
 *   `typeof v === 'bigint'` both mean int);
 * - `float` → FloatValue, imaginary → ComplexValue, `...` → EllipsisValue;
 * - `True`/`False` → boolean, `None` → null.
 * Tagged objects use `kind`, never `type`, so a walker looking for nodes passes them by.
 */
export type ConstantValue = string | Uint8Array | number | bigint | boolean | null | FloatValue | ComplexValue | EllipsisValue;

// ---- module and statements ----

export interface Module extends Position {
  type: 'Module';
  body: Stmt[];
}

interface FunctionFields extends Position {
  name: string;
  args: Arguments;
  body: Stmt[];
  decorator_list: Expr[];
  returns: Expr | null;
}
export interface FunctionDef extends FunctionFields {
  type: 'FunctionDef';
}
export interface AsyncFunctionDef extends FunctionFields {
  type: 'AsyncFunctionDef';
}

export interface ClassDef extends Position {
  type: 'ClassDef';
  name: string;
  bases: Expr[];
  keywords: Keyword[];
  body: Stmt[];
  decorator_list: Expr[];
}

export interface Return extends Position {
  type: 'Return';
  value: Expr | null;
}

export interface Delete extends Position {
  type: 'Delete';
  targets: Expr[];
}

export interface Assign extends Position {
  type: 'Assign';
  targets: Expr[];
  value: Expr;
}

export interface AugAssign extends Position {
  type: 'AugAssign';
  target: Name | Attribute | Subscript;
  op: Operator;
  value: Expr;
}

export interface AnnAssign extends Position {
  type: 'AnnAssign';
  target: Name | Attribute | Subscript;
  annotation: Expr;
  value: Expr | null;
  /** 1 when the target is a bare name (not parenthesised), as in CPython. */
  simple: 0 | 1;
}

interface ForFields extends Position {
  target: Expr;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface For extends ForFields {
  type: 'For';
}
export interface AsyncFor extends ForFields {
  type: 'AsyncFor';
}

export interface While extends Position {
  type: 'While';
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}

export interface If extends Position {
  type: 'If';
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}

interface WithFields extends Position {
  items: WithItem[];
  body: Stmt[];
}
export interface With extends WithFields {
  type: 'With';
}
export interface AsyncWith extends WithFields {
  type: 'AsyncWith';
}

export interface Match extends Position {
  type: 'Match';
  subject: Expr;
  cases: MatchCase[];
}

export interface Raise extends Position {
  type: 'Raise';
  exc: Expr | null;
  cause: Expr | null;
}

interface TryFields extends Position {
  body: Stmt[];
  handlers: ExceptHandler[];
  orelse: Stmt[];
  finalbody: Stmt[];
}
export interface Try extends TryFields {
  type: 'Try';
}
/** `try` with `except*` handlers. */
export interface TryStar extends TryFields {
  type: 'TryStar';
}

export interface Assert extends Position {
  type: 'Assert';
  test: Expr;
  msg: Expr | null;
}

export interface Import extends Position {
  type: 'Import';
  names: Alias[];
}

export interface ImportFrom extends Position {
  type: 'ImportFrom';
  module: string | null;
  names: Alias[];
  level: number;
}

export interface Global extends Position {
  type: 'Global';
  names: string[];
}

export interface Nonlocal extends Position {
  type: 'Nonlocal';
  names: string[];
}

export interface ExprStmt extends Position {
  type: 'Expr';
  value: Expr;
}

export interface Pass extends Position {
  type: 'Pass';
}

export interface Break extends Position {
  type: 'Break';
}

export interface Continue extends Position {
  type: 'Continue';
}

export type Stmt =
  | FunctionDef
  | AsyncFunctionDef
  | ClassDef
  | Return
  | Delete
  | Assign
  | AugAssign
  | AnnAssign
  | For
  | AsyncFor
  | While
  | If
  | With
  | AsyncWith
  | Match
  | Raise
  | Try
  | TryStar
  | Assert
  | Import
  | ImportFrom
  | Global
  | Nonlocal
  | ExprStmt
  | Pass
  | Break
  | Continue;

// ---- expressions ----

export interface BoolOp extends Position {
  type: 'BoolOp';
  op: BoolOperator;
  values: Expr[];
}

export interface NamedExpr extends Position {
  type: 'NamedExpr';
  target: Name;
  value: Expr;
}

export interface BinOp extends Position {
  type: 'BinOp';
  left: Expr;
  op: Operator;
  right: Expr;
}

export interface UnaryOp extends Position {
  type: 'UnaryOp';
  op: UnaryOperator;
  operand: Expr;
}

export interface Lambda extends Position {
  type: 'Lambda';
  args: Arguments;
  body: Expr;
}

export interface IfExp extends Position {
  type: 'IfExp';
  test: Expr;
  body: Expr;
  orelse: Expr;
}

export interface Dict extends Position {
  type: 'Dict';
  /** null where the entry is `**mapping`, whose mapping is the matching value. */
  keys: Array<Expr | null>;
  values: Expr[];
}

export interface Set extends Position {
  type: 'Set';
  elts: Expr[];
}

interface ComprehensionFields extends Position {
  elt: Expr;
  generators: Comprehension[];
}
export interface ListComp extends ComprehensionFields {
  type: 'ListComp';
}
export interface SetComp extends ComprehensionFields {
  type: 'SetComp';
}
export interface GeneratorExp extends ComprehensionFields {
  type: 'GeneratorExp';
}

export interface DictComp extends Position {
  type: 'DictComp';
  key: Expr;
  value: Expr;
  generators: Comprehension[];
}

export interface Await extends Position {
  type: 'Await';
  value: Expr;
}

export interface YieldFrom extends Position {
  type: 'YieldFrom';
  value: Expr;
}

export interface Yield extends Position {
  type: 'Yield';
  value: Expr | null;
}

export interface Compare extends Position {
  type: 'Compare';
  left: Expr;
  ops: CompareOperator[];
  comparators: Expr[];
}

export interface Call extends Position {
  type: 'Call';
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
}

export interface FormattedValue extends Position {
  type: 'FormattedValue';
  value: Expr;
  /** -1 for none, else the character code of `s`, `r` or `a` (as CPython). */
  conversion: number;
  format_spec: JoinedStr | null;
}

export interface JoinedStr extends Position {
  type: 'JoinedStr';
  values: Array<Constant | FormattedValue>;
}

export interface Constant extends Position {
  type: 'Constant';
  value: ConstantValue;
  /** 'u' when the first string of the literal had the `u` prefix. */
  kind: 'u' | null;
}

export interface Attribute extends Position {
  type: 'Attribute';
  value: Expr;
  attr: string;
  ctx: ExprContext;
}

export interface Subscript extends Position {
  type: 'Subscript';
  value: Expr;
  slice: Expr;
  ctx: ExprContext;
}

export interface Starred extends Position {
  type: 'Starred';
  value: Expr;
  ctx: ExprContext;
}

export interface Name extends Position {
  type: 'Name';
  id: string;
  ctx: ExprContext;
}

export interface List extends Position {
  type: 'List';
  elts: Expr[];
  ctx: ExprContext;
}

export interface Tuple extends Position {
  type: 'Tuple';
  elts: Expr[];
  ctx: ExprContext;
}

export interface Slice extends Position {
  type: 'Slice';
  lower: Expr | null;
  upper: Expr | null;
  step: Expr | null;
}

export type Expr =
  | BoolOp
  | NamedExpr
  | BinOp
  | UnaryOp
  | Lambda
  | IfExp
  | Dict
  | Set
  | ListComp
  | SetComp
  | GeneratorExp
  | DictComp
  | Await
  | Yield
  | YieldFrom
  | Compare
  | Call
  | FormattedValue
  | JoinedStr
  | Constant
  | Attribute
  | Subscript
  | Starred
  | Name
  | List
  | Tuple
  | Slice;

// ---- helper nodes ----

export interface Comprehension extends Position {
  type: 'comprehension';
  target: Expr;
  iter: Expr;
  ifs: Expr[];
  is_async: 0 | 1;
}

export interface ExceptHandler extends Position {
  type: 'ExceptHandler';
  /** CPython's `type` field, renamed because `type` is the node kind here. */
  type_: Expr | null;
  name: string | null;
  body: Stmt[];
}

export interface Arguments extends Position {
  type: 'arguments';
  posonlyargs: Arg[];
  args: Arg[];
  vararg: Arg | null;
  kwonlyargs: Arg[];
  /** One entry per keyword-only parameter; null where it has no default. */
  kw_defaults: Array<Expr | null>;
  kwarg: Arg | null;
  /** Defaults of the last positional parameters (posonlyargs then args). */
  defaults: Expr[];
}

export interface Arg extends Position {
  type: 'arg';
  arg: string;
  annotation: Expr | null;
}

export interface Keyword extends Position {
  type: 'keyword';
  /** null for `**mapping`. */
  arg: string | null;
  value: Expr;
}

export interface Alias extends Position {
  type: 'alias';
  name: string;
  asname: string | null;
}

export interface WithItem extends Position {
  type: 'withitem';
  context_expr: Expr;
  optional_vars: Expr | null;
}

export interface MatchCase extends Position {
  type: 'match_case';
  pattern: Pattern;
  guard: Expr | null;
  body: Stmt[];
}

// ---- patterns (match statements) ----

export interface MatchValue extends Position {
  type: 'MatchValue';
  value: Expr;
}

export interface MatchSingleton extends Position {
  type: 'MatchSingleton';
  value: true | false | null;
}

export interface MatchSequence extends Position {
  type: 'MatchSequence';
  patterns: Pattern[];
}

export interface MatchMapping extends Position {
  type: 'MatchMapping';
  keys: Expr[];
  patterns: Pattern[];
  rest: string | null;
}

export interface MatchClass extends Position {
  type: 'MatchClass';
  cls: Expr;
  patterns: Pattern[];
  kwd_attrs: string[];
  kwd_patterns: Pattern[];
}

export interface MatchStar extends Position {
  type: 'MatchStar';
  name: string | null;
}

export interface MatchAs extends Position {
  type: 'MatchAs';
  pattern: Pattern | null;
  name: string | null;
}

export interface MatchOr extends Position {
  type: 'MatchOr';
  patterns: Pattern[];
}

export type Pattern = MatchValue | MatchSingleton | MatchSequence | MatchMapping | MatchClass | MatchStar | MatchAs | MatchOr;

export type Node = Module | Stmt | Expr | Comprehension | ExceptHandler | Arguments | Arg | Keyword | Alias | WithItem | MatchCase | Pattern;

// Node construction for grammars/python.peggy. The grammar recognises the shapes; this
// builder turns them into CPython-shaped nodes with source positions, and checks the rules
// CPython's grammar states with extra alternatives (valid assignment targets, parameter
// order, argument order, literal patterns). A violation throws PythonSyntaxError, which
// parse.ts reports like any syntax error.

import type * as ast from './ast.js';
import { decodeString, firstNonAscii, LiteralError, numberValue, toBytes } from './literals.js';
import type { SourceMap } from './source-map.js';

export class PythonSyntaxError extends Error {
  constructor(
    message: string,
    /** Offset in the laid-out text. */
    readonly offset: number,
  ) {
    super(message);
  }
}

const KEYWORDS = new Set([
  'False', 'None', 'True', 'and', 'as', 'assert', 'async', 'await', 'break', 'class', 'continue', 'def', 'del', 'elif',
  'else', 'except', 'finally', 'for', 'from', 'global', 'if', 'import', 'in', 'is', 'lambda', 'nonlocal', 'not', 'or',
  'pass', 'raise', 'return', 'try', 'while', 'with', 'yield',
]);

const AUGMENTED: Record<string, ast.Operator> = {
  '+=': 'Add', '-=': 'Sub', '*=': 'Mult', '@=': 'MatMult', '/=': 'Div', '%=': 'Mod', '&=': 'BitAnd', '|=': 'BitOr',
  '^=': 'BitXor', '<<=': 'LShift', '>>=': 'RShift', '**=': 'Pow', '//=': 'FloorDiv',
};

// Binding strength of the operators the grammar reads as one chain (higher binds tighter).
const PRECEDENCE: Record<string, number> = {
  BitOr: 1, BitXor: 2, BitAnd: 3, LShift: 4, RShift: 4, Add: 5, Sub: 5, Mult: 6, MatMult: 6, Div: 6, FloorDiv: 6, Mod: 6, Pow: 7,
};

/** What CPython calls an expression in "cannot assign to …" messages. */
const DESCRIPTIONS: Partial<Record<ast.Expr['type'], string>> = {
  BoolOp: 'expression', NamedExpr: 'named expression', BinOp: 'expression', UnaryOp: 'expression', Lambda: 'lambda',
  IfExp: 'conditional expression', Dict: 'dict literal', Set: 'set display', ListComp: 'list comprehension',
  SetComp: 'set comprehension', DictComp: 'dict comprehension', GeneratorExp: 'generator expression',
  Await: 'await expression', Yield: 'yield expression', YieldFrom: 'yield expression', Compare: 'comparison',
  Call: 'function call', FormattedValue: 'f-string expression', JoinedStr: 'f-string expression', Constant: 'literal',
  Slice: 'slice',
};

type Fields = Record<string, unknown>;

/** A string literal as the grammar read it: plain, or an f-string's parts. */
type StringPiece = { prefix: string; at: number; body: string } | { prefix: string; at: number; parts: Array<string | FieldPart> };

/** A replacement field: its node, and the `expr=` text that precedes it when it has one. */
interface FieldPart {
  node: ast.FormattedValue;
  debugText: string | null;
}

interface FieldHead {
  value: ast.Expr;
  start: number;
  debug: number | null;
  conversion: string | null;
  at: number;
}

type Trailer = { kind: 'attribute'; name: string } | { kind: 'call'; args: ArgumentItem[] | null; at: number } | { kind: 'subscript'; slice: ast.Expr };

type ArgumentItem = ast.Expr | ast.Keyword | { generatorArgument: true; elt: ast.Expr; generators: ast.Comprehension[] };

type ParameterItem =
  | { kind: 'slash'; at: number }
  | { kind: 'star'; at: number }
  | { kind: 'vararg' | 'kwarg'; arg: ast.Arg; at: number }
  | { kind: 'plain'; arg: ast.Arg; value: ast.Expr | null; at: number };

type DisplayRest = { generators: ast.Comprehension[] } | { elts: ast.Expr[]; comma: boolean };
type DictRest = { generators: ast.Comprehension[] } | { items: DictItem[] };
type DictItem = [ast.Expr | null, ast.Expr];

type AssignmentRest =
  | { kind: 'annotated'; annotation: ast.Expr; value: ast.Expr | null }
  | { kind: 'augmented'; op: ast.Operator; value: ast.Expr }
  | { kind: 'assign'; values: ast.Expr[] };

export class Builder {
  /**
   * Expressions written inside their own parentheses, with the position of the outermost
   * `(`: a node that starts with such an expression (`(a or b) and c`) starts at the `(`.
   */
  private readonly parenthesisedNodes = new WeakMap<object, ast.Position>();

  constructor(
    private readonly map: SourceMap,
    /** The laid-out text the grammar reads (for the source text of `f"{x=}"`). */
    private readonly text: string,
  ) {}

  // ---- positions and plain nodes ----

  private line = 1;
  private col = 1;

  private locate(offset: number): void {
    const source = this.map.toSource(offset);
    const index = this.map.lineIndex(source);
    this.line = index + 1;
    this.col = source - this.map.lineStart(index) + 1;
  }

  /** Places a node, given without its position, at a laid-out offset. */
  at(offset: number, node: Fields): ast.Node {
    this.locate(offset);
    node.line = this.line;
    node.col = this.col;
    return node as unknown as ast.Node;
  }

  /** Places a node where another node's text starts (a binary operation at its left operand). */
  private atStartOf(first: ast.Position, node: Fields): ast.Node {
    const start = this.parenthesisedNodes.get(first) ?? first;
    node.line = start.line;
    node.col = start.col;
    return node as unknown as ast.Node;
  }

  /** A block's statements: compound ones come alone, simple ones in lines of one or more. */
  statements(list: Array<ast.Stmt | ast.Stmt[]>): ast.Stmt[] {
    const out: ast.Stmt[] = [];
    for (const item of list) {
      if (Array.isArray(item)) for (const s of item) out.push(s);
      else out.push(item);
    }
    return out;
  }

  module(body: ast.Stmt[]): ast.Module {
    return { type: 'Module', body, line: 1, col: 1 };
  }

  isKeyword(id: string): boolean {
    return KEYWORDS.has(id);
  }

  /** Keywords that cannot start an atom (True, False and None can). */
  isReserved(id: string): boolean {
    return KEYWORDS.has(id) && id !== 'True' && id !== 'False' && id !== 'None';
  }

  /** Python compares identifiers in NFKC form. */
  identifier(id: string): string {
    for (let i = 0; i < id.length; i++) if (id.charCodeAt(i) > 127) return id.normalize('NFKC');
    return id;
  }

  name(offset: number, id: string, ctx: ast.ExprContext): ast.Name {
    return this.at(offset, { type: 'Name', id, ctx }) as ast.Name;
  }

  nameAtom(offset: number, id: string): ast.Name | ast.Constant {
    if (id === 'True') return this.constant(offset, true);
    if (id === 'False') return this.constant(offset, false);
    if (id === 'None') return this.constant(offset, null);
    return this.name(offset, this.identifier(id), 'Load');
  }

  constant(offset: number, value: ast.ConstantValue, kind: 'u' | null = null): ast.Constant {
    return this.at(offset, { type: 'Constant', value, kind }) as ast.Constant;
  }

  number(offset: number, text: string): ast.Constant {
    try {
      return this.constant(offset, numberValue(text));
    } catch (error) {
      if (error instanceof LiteralError) throw new PythonSyntaxError(error.message, offset);
      throw error;
    }
  }

  starred(offset: number, value: ast.Expr): ast.Starred {
    return this.at(offset, { type: 'Starred', value, ctx: 'Load' }) as ast.Starred;
  }

  tuple(offset: number, elts: ast.Expr[], parenthesised: boolean): ast.Tuple {
    const node = this.at(offset, { type: 'Tuple', elts, ctx: 'Load' }) as ast.Tuple;
    if (parenthesised) this.parenthesisedNodes.set(node, node);
    return node;
  }

  namedExpression(offset: number, name: string, value: ast.Expr): ast.NamedExpr {
    const target = this.name(offset, name, 'Store');
    return this.atStartOf(target, { type: 'NamedExpr', target, value }) as ast.NamedExpr;
  }

  /** An expression that may not be a bare starred one (`*a` outside a display or call). */
  plainValue(expr: ast.Expr): ast.Expr {
    if (expr.type === 'Starred') throw new PythonSyntaxError('cannot use starred expression here', this.offsetOf(expr));
    return expr;
  }

  // ---- operators ----

  /** Groups a chain `a or b and c …`: `and` binds tighter, and runs of one operator make one node. */
  booleans(head: ast.Expr, tail: Array<[ast.BoolOperator, ast.Expr]>): ast.Expr {
    const alternatives: ast.Expr[] = [];
    let conjunction: ast.Expr[] = [head];
    const closeConjunction = (): void => {
      const first = conjunction[0]!;
      alternatives.push(conjunction.length === 1 ? first : (this.atStartOf(first, { type: 'BoolOp', op: 'And', values: conjunction }) as ast.BoolOp));
    };
    for (const [op, operand] of tail) {
      if (op === 'And') conjunction.push(operand);
      else {
        closeConjunction();
        conjunction = [operand];
      }
    }
    closeConjunction();
    return alternatives.length === 1 ? alternatives[0]! : (this.atStartOf(head, { type: 'BoolOp', op: 'Or', values: alternatives }) as ast.BoolOp);
  }

  /** `base ** exponent`: the tightest binary operator, read apart from the chain. */
  power(base: ast.Expr, exponent: ast.Expr | null): ast.Expr {
    return exponent === null ? base : (this.atStartOf(base, { type: 'BinOp', left: base, op: 'Pow', right: exponent }) as ast.BinOp);
  }

  compare(head: ast.Expr, tail: Array<[ast.CompareOperator, ast.Expr]>): ast.Compare {
    return this.atStartOf(head, { type: 'Compare', left: head, ops: tail.map((t) => t[0]), comparators: tail.map((t) => t[1]) }) as ast.Compare;
  }

  /** Arranges a chain `a op b op c …` by operator precedence; all these operators group to the left. */
  binary(head: ast.Expr, tail: Array<[ast.Operator, ast.Expr]>): ast.Expr {
    const operands: ast.Expr[] = [head];
    const operators: ast.Operator[] = [];
    const reduce = (): void => {
      const right = operands.pop()!;
      const left = operands.pop()!;
      operands.push(this.atStartOf(left, { type: 'BinOp', left, op: operators.pop()!, right }) as ast.BinOp);
    };
    for (const [op, operand] of tail) {
      const strength = PRECEDENCE[op]!;
      while (operators.length && PRECEDENCE[operators[operators.length - 1]!]! >= strength) reduce();
      operators.push(op);
      operands.push(operand);
    }
    while (operators.length) reduce();
    return operands[0]!;
  }

  augmentedOperator(text: string): ast.Operator {
    return AUGMENTED[text]!;
  }

  // ---- primaries ----

  trailers(head: ast.Expr, trailers: Trailer[]): ast.Expr {
    let value = head;
    for (const t of trailers) {
      if (t.kind === 'attribute') value = this.atStartOf(head, { type: 'Attribute', value, attr: t.name, ctx: 'Load' }) as ast.Attribute;
      else if (t.kind === 'subscript') value = this.atStartOf(head, { type: 'Subscript', value, slice: t.slice, ctx: 'Load' }) as ast.Subscript;
      else {
        const { args, keywords } = this.callArguments(t.args ?? [], t.at);
        value = this.atStartOf(head, { type: 'Call', func: value, args, keywords }) as ast.Call;
      }
    }
    return value;
  }

  /** Splits call arguments into positional ones and keywords, in the order Python allows. */
  callArguments(items: ArgumentItem[], parenthesis = 0): { args: ast.Expr[]; keywords: ast.Keyword[] } {
    const args: ast.Expr[] = [];
    const keywords: ast.Keyword[] = [];
    let sawKeyword = false;
    let sawMapping = false;
    for (const item of items) {
      if ('generatorArgument' in item) {
        if (items.length > 1) throw new PythonSyntaxError('Generator expression must be parenthesized', this.offsetOf(item.elt));
        const elt = this.plainValue(item.elt);
        args.push(this.at(parenthesis, { type: 'GeneratorExp', elt, generators: item.generators }) as ast.GeneratorExp);
      } else if (item.type === 'keyword') {
        if (item.arg === null) sawMapping = true;
        else sawKeyword = true;
        keywords.push(item);
      } else if (item.type === 'Starred') {
        if (sawMapping) throw new PythonSyntaxError('iterable argument unpacking follows keyword argument unpacking', this.offsetOf(item));
        args.push(item);
      } else {
        if (sawMapping) throw new PythonSyntaxError('positional argument follows keyword argument unpacking', this.offsetOf(item));
        if (sawKeyword) throw new PythonSyntaxError('positional argument follows keyword argument', this.offsetOf(item));
        args.push(item);
      }
    }
    return { args, keywords };
  }

  attributes(head: ast.Name, names: string[]): ast.Expr {
    let value: ast.Expr = head;
    for (const attr of names) value = this.atStartOf(head, { type: 'Attribute', value, attr, ctx: 'Load' }) as ast.Attribute;
    return value;
  }

  // ---- displays ----

  parenthesised(offset: number, value: ast.Expr): ast.Expr {
    this.locate(offset);
    this.parenthesisedNodes.set(value, { line: this.line, col: this.col });
    return value;
  }

  parenthesisedDisplay(offset: number, head: ast.Expr, rest: DisplayRest): ast.Expr {
    if ('generators' in rest) return this.at(offset, { type: 'GeneratorExp', elt: this.plainValue(head), generators: rest.generators }) as ast.GeneratorExp;
    if (!rest.elts.length && !rest.comma) return this.parenthesised(offset, this.plainValue(head));
    rest.elts.unshift(head);
    return this.tuple(offset, rest.elts, true);
  }

  listDisplay(offset: number, head: ast.Expr, rest: DisplayRest): ast.Expr {
    if ('generators' in rest) return this.at(offset, { type: 'ListComp', elt: this.plainValue(head), generators: rest.generators }) as ast.ListComp;
    rest.elts.unshift(head);
    return this.at(offset, { type: 'List', elts: rest.elts, ctx: 'Load' }) as ast.List;
  }

  setDisplay(offset: number, head: ast.Expr, rest: DisplayRest): ast.Expr {
    if ('generators' in rest) return this.at(offset, { type: 'SetComp', elt: this.plainValue(head), generators: rest.generators }) as ast.SetComp;
    rest.elts.unshift(head);
    return this.at(offset, { type: 'Set', elts: rest.elts }) as ast.Set;
  }

  /** `{` then a first expression: a dict when a colon follows it, else a set. */
  braceDisplay(offset: number, head: ast.Expr, rest: DisplayRest | { value: ast.Expr; rest: DictRest }): ast.Expr {
    if (!('value' in rest)) return this.setDisplay(offset, head, rest);
    if (head.type === 'Starred' || (head.type === 'NamedExpr' && !this.parenthesisedNodes.has(head))) {
      throw new PythonSyntaxError('invalid syntax', this.offsetOf(head));
    }
    return this.dictDisplay(offset, [head, rest.value], rest.rest);
  }

  dictDisplay(offset: number, head: DictItem, rest: DictRest): ast.Expr {
    if ('generators' in rest) {
      if (head[0] === null) throw new PythonSyntaxError('dict unpacking cannot be used in dict comprehension', offset);
      return this.at(offset, { type: 'DictComp', key: head[0], value: head[1], generators: rest.generators }) as ast.DictComp;
    }
    rest.items.unshift(head);
    return this.at(offset, { type: 'Dict', keys: rest.items.map((i) => i[0]), values: rest.items.map((i) => i[1]) }) as ast.Dict;
  }

  // ---- statements ----

  expressionStatement(offset: number, first: ast.Expr, rest: AssignmentRest | null): ast.Stmt {
    if (rest === null) return this.atStartOf(first, { type: 'Expr', value: first }) as ast.ExprStmt;
    if (rest.kind === 'annotated') {
      if (first.type === 'Tuple' && !this.parenthesisedNodes.has(first)) {
        throw new PythonSyntaxError('only single target (not tuple) can be annotated', offset);
      }
      if (first.type !== 'Name' && first.type !== 'Attribute' && first.type !== 'Subscript') {
        throw new PythonSyntaxError(`illegal target for annotation`, offset);
      }
      const target = this.target(first, 'Store') as ast.Name | ast.Attribute | ast.Subscript;
      const simple = first.type === 'Name' && !this.parenthesisedNodes.has(first) ? 1 : 0;
      return this.atStartOf(first, { type: 'AnnAssign', target, annotation: rest.annotation, value: rest.value, simple }) as ast.AnnAssign;
    }
    if (rest.kind === 'augmented') {
      if (first.type !== 'Name' && first.type !== 'Attribute' && first.type !== 'Subscript') {
        throw new PythonSyntaxError(`'${this.describe(first)}' is an illegal expression for augmented assignment`, offset);
      }
      const target = this.target(first, 'Store') as ast.Name | ast.Attribute | ast.Subscript;
      return this.atStartOf(first, { type: 'AugAssign', target, op: rest.op, value: rest.value }) as ast.AugAssign;
    }
    const targets = rest.values;
    const value = targets.pop()!;
    targets.unshift(first);
    for (const t of targets) this.target(t, 'Store');
    return this.atStartOf(first, { type: 'Assign', targets, value }) as ast.Assign;
  }

  /** Checks that an expression can be assigned to (or deleted) and marks it so. */
  target(expr: ast.Expr, ctx: 'Store' | 'Del'): ast.Expr {
    switch (expr.type) {
      case 'Name':
      case 'Attribute':
      case 'Subscript':
        expr.ctx = ctx;
        return expr;
      case 'Starred':
        if (ctx === 'Del') throw new PythonSyntaxError('cannot delete starred', this.offsetOf(expr));
        expr.ctx = ctx;
        this.target(expr.value, ctx);
        return expr;
      case 'Tuple':
      case 'List':
        expr.ctx = ctx;
        for (const e of expr.elts) this.target(e, ctx);
        return expr;
      default: {
        const verb = ctx === 'Del' ? 'delete' : 'assign to';
        throw new PythonSyntaxError(`cannot ${verb} ${this.describe(expr)}`, this.offsetOf(expr));
      }
    }
  }

  private describe(expr: ast.Expr): string {
    if (expr.type === 'Constant') {
      if (expr.value === true || expr.value === false || expr.value === null) return String(expr.value === null ? 'None' : expr.value ? 'True' : 'False');
      if (typeof expr.value === 'object' && expr.value !== null && 'kind' in expr.value && expr.value.kind === 'ellipsis') return 'ellipsis';
    }
    if (expr.type === 'Name' || expr.type === 'Attribute' || expr.type === 'Subscript') return expr.type.toLowerCase();
    if (expr.type === 'Tuple' || expr.type === 'List' || expr.type === 'Starred') return expr.type.toLowerCase();
    return DESCRIPTIONS[expr.type] ?? 'expression';
  }

  alias(offset: number, name: string, asname: string | null): ast.Alias {
    return this.at(offset, { type: 'alias', name, asname }) as ast.Alias;
  }

  importFrom(offset: number, module: string | null, names: ast.Alias[], level: number): ast.ImportFrom {
    return this.at(offset, { type: 'ImportFrom', module, names, level }) as ast.ImportFrom;
  }

  noArguments(offset: number): ast.Arguments {
    return this.at(offset, { type: 'arguments',
      posonlyargs: [], args: [], vararg: null, kwonlyargs: [], kw_defaults: [], kwarg: null, defaults: [],
    }) as ast.Arguments;
  }

  /** Sorts a parameter list into CPython's `arguments`, rejecting orders Python rejects. */
  parameters(offset: number, items: ParameterItem[]): ast.Arguments {
    const result = this.noArguments(offset);
    let positional: ast.Arg[] = result.args;
    let keywordOnly = false;
    let sawSlash = false;
    let sawDefault = false;
    let bareStar: number | null = null;
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (result.kwarg) throw new PythonSyntaxError('arguments cannot follow var-keyword argument', item.at);
      switch (item.kind) {
        case 'slash':
          if (sawSlash) throw new PythonSyntaxError('/ may appear only once', item.at);
          if (keywordOnly) throw new PythonSyntaxError('/ must be ahead of *', item.at);
          if (!result.args.length) throw new PythonSyntaxError('at least one argument must precede /', item.at);
          sawSlash = true;
          result.posonlyargs = result.args;
          result.args = positional = [];
          break;
        case 'star':
        case 'vararg':
          if (keywordOnly) throw new PythonSyntaxError('* argument may appear only once', item.at);
          keywordOnly = true;
          if (item.kind === 'vararg') result.vararg = item.arg;
          else bareStar = item.at;
          break;
        case 'kwarg':
          if (bareStar !== null && !result.kwonlyargs.length) throw new PythonSyntaxError('named arguments must follow bare *', bareStar);
          result.kwarg = item.arg;
          break;
        case 'plain':
          if (keywordOnly) {
            result.kwonlyargs.push(item.arg);
            result.kw_defaults.push(item.value);
          } else {
            if (item.value) {
              sawDefault = true;
              result.defaults.push(item.value);
            } else if (sawDefault) throw new PythonSyntaxError('non-default argument follows default argument', item.at);
            positional.push(item.arg);
          }
          break;
      }
    }
    if (bareStar !== null && !result.kwonlyargs.length) throw new PythonSyntaxError('named arguments must follow bare *', bareStar);
    const first = items[0];
    if (first && 'arg' in first) {
      result.line = first.arg.line;
      result.col = first.arg.col;
    }
    return result;
  }

  // ---- strings ----

  /** Joins adjacent string literals into one Constant, or a JoinedStr when any is an f-string. */
  strings(offset: number, pieces: StringPiece[]): ast.Constant | ast.JoinedStr {
    const bytes = /b/i.test(pieces[0]!.prefix);
    // CPython marks only a lower-case `u` prefix
    const kind = pieces[0]!.prefix === 'u' ? 'u' : null;
    let formatted = false;
    for (const piece of pieces) {
      if (/b/i.test(piece.prefix) !== bytes) throw new PythonSyntaxError('cannot mix bytes and nonbytes literals', piece.at);
      if ('parts' in piece) formatted = true;
    }
    if (!formatted) {
      let text = '';
      for (const piece of pieces) text += this.decode(piece as { prefix: string; at: number; body: string });
      return this.constant(offset, bytes ? toBytes(text) : text, kind);
    }
    const values: Array<ast.Constant | ast.FormattedValue> = [];
    let literal = '';
    let literalAt = offset;
    const flush = (): void => {
      if (literal) values.push(this.constant(literalAt, literal, kind));
      literal = '';
    };
    for (const piece of pieces) {
      if (!('parts' in piece)) {
        if (!literal) literalAt = piece.at;
        literal += this.decode(piece);
        continue;
      }
      const raw = /r/i.test(piece.prefix);
      for (const part of piece.parts) {
        if (typeof part === 'string') {
          if (!literal) literalAt = piece.at;
          literal += this.decodeFormatted(part, raw, piece.at);
        } else {
          if (part.debugText !== null) {
            if (!literal) literalAt = piece.at;
            literal += part.debugText;
          }
          flush();
          values.push(part.node);
        }
      }
    }
    flush();
    return this.at(offset, { type: 'JoinedStr', values }) as ast.JoinedStr;
  }

  private decode(piece: { prefix: string; at: number; body: string }): string {
    const bytes = /b/i.test(piece.prefix);
    if (bytes) {
      const bad = firstNonAscii(piece.body);
      if (bad >= 0) throw new PythonSyntaxError('bytes can only contain ASCII literal characters', piece.at);
    }
    try {
      return decodeString(piece.body, { raw: /r/i.test(piece.prefix), bytes, formatted: false });
    } catch (error) {
      if (error instanceof LiteralError) throw new PythonSyntaxError(error.message, piece.at);
      throw error;
    }
  }

  private decodeFormatted(text: string, raw: boolean, at: number): string {
    try {
      return decodeString(text, { raw, bytes: false, formatted: true });
    } catch (error) {
      if (error instanceof LiteralError) throw new PythonSyntaxError(error.message, at);
      throw error;
    }
  }

  /** A replacement field `{value=!r:spec}`; `raw` when it is in a raw f-string, whose spec is raw too. */
  field(head: FieldHead, spec: Array<string | FieldPart> | null, raw: boolean): FieldPart {
    let conversion = -1;
    if (head.conversion !== null) {
      if (head.conversion !== 's' && head.conversion !== 'r' && head.conversion !== 'a') {
        throw new PythonSyntaxError("f-string: invalid conversion character: expected 's', 'r', or 'a'", head.at);
      }
      conversion = head.conversion.charCodeAt(0);
    }
    let debugText: string | null = null;
    if (head.debug !== null) {
      debugText = this.sourceText(head.start, head.debug);
      if (head.conversion === null && spec === null) conversion = 'r'.charCodeAt(0);
    }
    const formatSpec = spec === null ? null : this.formatSpec(spec, raw, head.at);
    const node = this.at(head.start - 1, { type: 'FormattedValue', value: head.value, conversion, format_spec: formatSpec }) as ast.FormattedValue;
    return { node, debugText };
  }

  private formatSpec(spec: Array<string | FieldPart>, raw: boolean, at: number): ast.JoinedStr {
    const values: Array<ast.Constant | ast.FormattedValue> = [];
    for (const part of spec) {
      if (typeof part === 'string') {
        const text = this.decodeFormatted(part, raw, at);
        if (text) values.push(this.constant(at, text));
      } else {
        if (part.debugText) values.push(this.constant(at, part.debugText));
        values.push(part.node);
      }
    }
    return this.at(at, { type: 'JoinedStr', values }) as ast.JoinedStr;
  }

  /** Source text between two laid-out offsets, as Python would read it (universal newlines). */
  private sourceText(from: number, to: number): string {
    const source = this.map.source.slice(this.map.toSource(from), this.map.toSource(to));
    return source.replace(/\r\n?/g, '\n');
  }

  // ---- patterns ----

  /** A pattern standing alone, where a star pattern is not allowed. */
  plainPattern(pattern: ast.Pattern): ast.Pattern {
    if (pattern.type === 'MatchStar') throw new PythonSyntaxError('star patterns are only allowed in sequence patterns', this.offsetOf(pattern));
    return pattern;
  }

  literalPatternString(value: ast.Constant | ast.JoinedStr): ast.Constant {
    if (value.type === 'JoinedStr') throw new PythonSyntaxError('patterns may only match literals and attribute lookups', this.offsetOf(value));
    return value;
  }

  complexPattern(real: ast.Expr, op: 'Add' | 'Sub', imag: ast.Constant): ast.BinOp {
    const value = imag.value;
    if (typeof value !== 'object' || value === null || !('kind' in value) || value.kind !== 'complex') {
      throw new PythonSyntaxError('imaginary number required in complex literal', this.offsetOf(imag));
    }
    return this.atStartOf(real, { type: 'BinOp', left: real, op, right: imag }) as ast.BinOp;
  }

  mappingPattern(offset: number, items: Array<{ rest: string } | { key: ast.Expr; pattern: ast.Pattern }>): ast.MatchMapping {
    const keys: ast.Expr[] = [];
    const patterns: ast.Pattern[] = [];
    let rest: string | null = null;
    for (const item of items) {
      if (rest !== null) throw new PythonSyntaxError('double star pattern must be last in a mapping pattern', offset);
      if ('rest' in item) rest = item.rest;
      else {
        keys.push(item.key);
        patterns.push(this.plainPattern(item.pattern));
      }
    }
    return this.at(offset, { type: 'MatchMapping', keys, patterns, rest }) as ast.MatchMapping;
  }

  classPattern(offset: number, cls: ast.Expr, items: Array<{ name: string | null; pattern: ast.Pattern; at: number }>): ast.MatchClass {
    const patterns: ast.Pattern[] = [];
    const kwdAttrs: string[] = [];
    const kwdPatterns: ast.Pattern[] = [];
    for (const item of items) {
      if (item.name === null) {
        if (kwdAttrs.length) throw new PythonSyntaxError('positional patterns follow keyword patterns', item.at);
        patterns.push(this.plainPattern(item.pattern));
      } else {
        kwdAttrs.push(item.name);
        kwdPatterns.push(this.plainPattern(item.pattern));
      }
    }
    return this.at(offset, { type: 'MatchClass', cls, patterns, kwd_attrs: kwdAttrs, kwd_patterns: kwdPatterns }) as ast.MatchClass;
  }

  // ---- error positions ----

  /** A laid-out offset for a node's start, for error reports. */
  private offsetOf(node: ast.Position): number {
    return this.offsetAt(node.line, node.col);
  }

  private offsetAt(line: number, col: number): number {
    // Errors are rare: search the laid-out text for the offset that maps to the position.
    const target = this.map.lineStart(line - 1) + col - 1;
    let lo = 0;
    let hi = this.text.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.map.toSource(mid) < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

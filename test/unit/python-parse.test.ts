// The Python parser (src/formats/panther/python): one focused case per construct, the values
// of literals, source positions, and the diagnostics for code Python rejects.
import { describe, expect, test } from 'vitest';
import type * as ast from '../../src/formats/panther/python/ast.js';
import { DEDENT, INDENT, layOut, NEWLINE } from '../../src/formats/panther/python/layout.js';
import { parsePython } from '../../src/formats/panther/python/parse.js';

function parse(source: string): ast.Module {
  const result = parsePython(source, 'test.py');
  if (!result.ok) throw new Error(`${result.diagnostic.line}:${result.diagnostic.col}: ${result.diagnostic.message}`);
  return result.module;
}

function statements(source: string): ast.Stmt[] {
  return parse(source).body;
}

function statement(source: string): ast.Stmt {
  const body = statements(source);
  expect(body).toHaveLength(1);
  return body[0]!;
}

function expression(source: string): ast.Expr {
  const s = statement(source);
  if (s.type !== 'Expr') throw new Error(`not an expression statement: ${s.type}`);
  return s.value;
}

/** The diagnostic for source Python rejects. */
function failure(source: string): { line: number; col: number; message: string } {
  const result = parsePython(source, 'bad.py');
  if (result.ok) throw new Error(`parsed: ${JSON.stringify(source)}`);
  const d = result.diagnostic;
  expect(d.code).toBe('python-syntax');
  expect(d.severity).toBe('error');
  expect(d.path).toBe('bad.py');
  return { line: d.line!, col: d.col!, message: d.message };
}

function name(id: string, ctx: ast.ExprContext = 'Load') {
  return { type: 'Name', id, ctx };
}

function constant(value: ast.ConstantValue) {
  return { type: 'Constant', value };
}

/** A compact picture of an expression tree, for precedence tests. */
function shape(e: ast.Expr | null): string {
  if (e === null) return '_';
  switch (e.type) {
    case 'Name':
      return e.id;
    case 'Constant':
      return typeof e.value === 'string' ? JSON.stringify(e.value) : String(e.value);
    case 'BinOp':
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case 'UnaryOp':
      return `(${e.op} ${shape(e.operand)})`;
    case 'BoolOp':
      return `(${e.op} ${e.values.map(shape).join(' ')})`;
    case 'Compare':
      return `(${shape(e.left)} ${e.ops.map((op, i) => `${op} ${shape(e.comparators[i]!)}`).join(' ')})`;
    case 'IfExp':
      return `(${shape(e.body)} if ${shape(e.test)} else ${shape(e.orelse)})`;
    case 'Await':
      return `(await ${shape(e.value)})`;
    case 'Attribute':
      return `${shape(e.value)}.${e.attr}`;
    case 'Call':
      return `${shape(e.func)}(${e.args.map(shape).join(', ')})`;
    case 'Lambda':
      return `(lambda ${shape(e.body)})`;
    case 'NamedExpr':
      return `(${e.target.id} := ${shape(e.value)})`;
    case 'Tuple':
      return `tuple[${e.elts.map(shape).join(', ')}]`;
    case 'Starred':
      return `*${shape(e.value)}`;
    default:
      return e.type;
  }
}

describe('statements', () => {
  test('assignments: plain, chained, unpacking, targets', () => {
    expect(statement('x = 1\n')).toMatchObject({ type: 'Assign', targets: [name('x', 'Store')], value: constant(1) });
    expect(statement('a = b = c\n')).toMatchObject({ targets: [name('a', 'Store'), name('b', 'Store')], value: name('c') });
    expect(statement('a, *b = c\n')).toMatchObject({
      targets: [{ type: 'Tuple', ctx: 'Store', elts: [name('a', 'Store'), { type: 'Starred', ctx: 'Store', value: name('b', 'Store') }] }],
    });
    expect(statement('[a, (b, c)] = d\n')).toMatchObject({
      targets: [{ type: 'List', ctx: 'Store', elts: [name('a', 'Store'), { type: 'Tuple', ctx: 'Store' }] }],
    });
    expect(statement('x.y[0] = 1\n')).toMatchObject({
      targets: [{ type: 'Subscript', ctx: 'Store', value: { type: 'Attribute', ctx: 'Load', attr: 'y' } }],
    });
    expect(statement('x = yield\n')).toMatchObject({ value: { type: 'Yield', value: null } });
  });

  test('augmented assignment with every operator', () => {
    const ops: Array<[string, ast.Operator]> = [
      ['+=', 'Add'], ['-=', 'Sub'], ['*=', 'Mult'], ['@=', 'MatMult'], ['/=', 'Div'], ['%=', 'Mod'], ['&=', 'BitAnd'],
      ['|=', 'BitOr'], ['^=', 'BitXor'], ['<<=', 'LShift'], ['>>=', 'RShift'], ['**=', 'Pow'], ['//=', 'FloorDiv'],
    ];
    for (const [text, op] of ops) {
      expect(statement(`x ${text} 2\n`)).toMatchObject({ type: 'AugAssign', target: name('x', 'Store'), op, value: constant(2) });
    }
  });

  test('annotated assignment', () => {
    expect(statement('x: int = 1\n')).toMatchObject({ type: 'AnnAssign', target: name('x', 'Store'), annotation: name('int'), value: constant(1), simple: 1 });
    expect(statement('(x): int\n')).toMatchObject({ type: 'AnnAssign', value: null, simple: 0 });
    expect(statement('a.b: "T"\n')).toMatchObject({ target: { type: 'Attribute', ctx: 'Store' }, simple: 0 });
  });

  test('function definitions: defaults, *args, keyword-only, positional-only, annotations, decorators', () => {
    const f = statement('@decorator\n@other(1)\ndef f(a, b: int = 1, /, c=2, *args: str, d, e=3, **kw) -> bool:\n    return a\n');
    expect(f).toMatchObject({
      type: 'FunctionDef',
      name: 'f',
      decorator_list: [name('decorator'), { type: 'Call' }],
      returns: name('bool'),
      line: 3,
      col: 1,
    });
    const args = (f as ast.FunctionDef).args;
    expect(args.posonlyargs.map((a) => a.arg)).toEqual(['a', 'b']);
    expect(args.args.map((a) => a.arg)).toEqual(['c']);
    expect(args.vararg).toMatchObject({ arg: 'args', annotation: name('str') });
    expect(args.kwonlyargs.map((a) => a.arg)).toEqual(['d', 'e']);
    expect(args.kw_defaults).toMatchObject([null, constant(3)]);
    expect(args.kwarg).toMatchObject({ arg: 'kw', annotation: null });
    expect(args.defaults).toMatchObject([constant(1), constant(2)]);
    expect(args.posonlyargs[1]!.annotation).toMatchObject(name('int'));
    expect(statement('def g(*, k): pass\n')).toMatchObject({ args: { vararg: null, kwonlyargs: [{ arg: 'k' }], kw_defaults: [null] } });
    expect(statement('async def h(): await x\n')).toMatchObject({ type: 'AsyncFunctionDef', body: [{ type: 'Expr', value: { type: 'Await' } }] });
  });

  test('class definitions', () => {
    expect(statement('class A(B, *mixins, metaclass=M, **kw):\n    x = 1\n')).toMatchObject({
      type: 'ClassDef',
      name: 'A',
      bases: [name('B'), { type: 'Starred' }],
      keywords: [{ arg: 'metaclass', value: name('M') }, { arg: null, value: name('kw') }],
      body: [{ type: 'Assign' }],
    });
    expect(statement('class A: pass\n')).toMatchObject({ bases: [], keywords: [], body: [{ type: 'Pass' }] });
  });

  test('if, elif, else', () => {
    const s = statement('if a:\n    x\nelif b:\n    y\nelif c:\n    z\nelse:\n    w\n') as ast.If;
    expect(s.test).toMatchObject(name('a'));
    expect(s.orelse).toMatchObject([{ type: 'If', test: name('b'), line: 3, col: 1, orelse: [{ type: 'If', test: name('c'), orelse: [{ type: 'Expr' }] }] }]);
  });

  test('for and while with else, async for, break and continue', () => {
    expect(statement('for k, v in d.items():\n    continue\nelse:\n    break\n')).toMatchObject({
      type: 'For',
      target: { type: 'Tuple', ctx: 'Store' },
      body: [{ type: 'Continue' }],
      orelse: [{ type: 'Break' }],
    });
    expect(statement('for x in *a, b: pass\n')).toMatchObject({ iter: { type: 'Tuple', elts: [{ type: 'Starred' }, name('b')] } });
    expect(statement('while x := f():\n    pass\nelse:\n    pass\n')).toMatchObject({ type: 'While', test: { type: 'NamedExpr' }, orelse: [{ type: 'Pass' }] });
    expect(statements('async def f():\n    async for x in y: pass\n    async with a as b: pass\n')[0]).toMatchObject({
      body: [{ type: 'AsyncFor' }, { type: 'AsyncWith', items: [{ optional_vars: name('b', 'Store') }] }],
    });
  });

  test('try, except (as), else, finally, except*', () => {
    expect(statement('try:\n    a\nexcept (E, F) as e:\n    b\nexcept G:\n    c\nexcept:\n    d\nelse:\n    e\nfinally:\n    f\n')).toMatchObject({
      type: 'Try',
      handlers: [
        { type: 'ExceptHandler', type_: { type: 'Tuple' }, name: 'e', line: 3, col: 1 },
        { type_: name('G'), name: null },
        { type_: null, name: null },
      ],
      orelse: [{ type: 'Expr' }],
      finalbody: [{ type: 'Expr' }],
    });
    expect(statement('try:\n    a\nfinally:\n    b\n')).toMatchObject({ type: 'Try', handlers: [], finalbody: [{ type: 'Expr' }] });
    expect(statement('try:\n    a\nexcept* E as g:\n    b\n')).toMatchObject({ type: 'TryStar', handlers: [{ name: 'g' }] });
  });

  test('with: several items, parenthesised items, targets', () => {
    expect(statement('with a as b, c:\n    pass\n')).toMatchObject({ items: [{ context_expr: name('a'), optional_vars: name('b', 'Store') }, { optional_vars: null }] });
    expect(statement('with (a as b, c as d,):\n    pass\n')).toMatchObject({ items: [{ optional_vars: name('b', 'Store') }, { optional_vars: name('d', 'Store') }] });
    expect(statement('with (a, b):\n    pass\n')).toMatchObject({ items: [{ context_expr: name('a') }, { context_expr: name('b') }] });
    expect(statement('with (a, b) as c:\n    pass\n')).toMatchObject({ items: [{ context_expr: { type: 'Tuple' }, optional_vars: name('c', 'Store') }] });
    expect(statement('with f() as (x, y):\n    pass\n')).toMatchObject({ items: [{ optional_vars: { type: 'Tuple', ctx: 'Store' } }] });
  });

  test('return, raise (from), pass, global, nonlocal, assert, del', () => {
    expect(statement('return\n')).toMatchObject({ type: 'Return', value: null });
    expect(statement('return 1, 2\n')).toMatchObject({ value: { type: 'Tuple' } });
    expect(statement('raise\n')).toMatchObject({ type: 'Raise', exc: null, cause: null });
    expect(statement('raise E("x") from err\n')).toMatchObject({ exc: { type: 'Call' }, cause: name('err') });
    expect(statement('global a, b\n')).toMatchObject({ type: 'Global', names: ['a', 'b'] });
    expect(statement('nonlocal c\n')).toMatchObject({ type: 'Nonlocal', names: ['c'] });
    expect(statement('assert x, "msg"\n')).toMatchObject({ type: 'Assert', test: name('x'), msg: constant('msg') });
    expect(statement('del a, b.c, d[0]\n')).toMatchObject({
      type: 'Delete',
      targets: [name('a', 'Del'), { type: 'Attribute', ctx: 'Del' }, { type: 'Subscript', ctx: 'Del' }],
    });
    expect(statement('del (a, b),\n')).toMatchObject({ targets: [{ type: 'Tuple', ctx: 'Del', elts: [name('a', 'Del'), name('b', 'Del')] }] });
  });

  test('import and from-import, relative and starred', () => {
    expect(statement('import a.b.c as d, e\n')).toMatchObject({
      type: 'Import',
      names: [{ type: 'alias', name: 'a.b.c', asname: 'd', col: 8 }, { name: 'e', asname: null }],
    });
    expect(statement('from .. import x\n')).toMatchObject({ type: 'ImportFrom', module: null, level: 2, names: [{ name: 'x' }] });
    expect(statement('from ...pkg.mod import (a as b, c,)\n')).toMatchObject({ module: 'pkg.mod', level: 3, names: [{ name: 'a', asname: 'b' }, { name: 'c' }] });
    expect(statement('from m import *\n')).toMatchObject({ module: 'm', level: 0, names: [{ name: '*', col: 15 }] });
  });

  test('simple statements on one line, and blocks on the same line', () => {
    expect(statements('a = 1; b = 2;\n').map((s) => s.type)).toEqual(['Assign', 'Assign']);
    expect(statement('if x: a; b\n')).toMatchObject({ body: [{ type: 'Expr' }, { type: 'Expr' }] });
  });

  test('match statements with every kind of pattern', () => {
    const m = statement(
      'match p:\n' +
        '    case 1 | -2 | 3.5 | 1 + 2j | "s" | b"b" | None | True:\n        pass\n' +
        '    case [a, *rest] | (a, b) | ():\n        pass\n' +
        '    case {"k": v, **others}:\n        pass\n' +
        '    case Point(1, y=2) as pt if pt:\n        pass\n' +
        '    case Color.RED:\n        pass\n' +
        '    case _:\n        pass\n',
    ) as ast.Match;
    expect(m.subject).toMatchObject(name('p'));
    expect(m.cases[0]!.pattern).toMatchObject({
      type: 'MatchOr',
      patterns: [
        { type: 'MatchValue', value: constant(1) },
        { type: 'MatchValue', value: { type: 'UnaryOp', op: 'USub' } },
        { type: 'MatchValue', value: constant({ kind: 'float', value: 3.5 }) },
        { type: 'MatchValue', value: { type: 'BinOp', op: 'Add' } },
        { type: 'MatchValue', value: constant('s') },
        { type: 'MatchValue', value: { type: 'Constant' } },
        { type: 'MatchSingleton', value: null },
        { type: 'MatchSingleton', value: true },
      ],
    });
    expect(m.cases[1]!.pattern).toMatchObject({
      type: 'MatchOr',
      patterns: [
        { type: 'MatchSequence', patterns: [{ type: 'MatchAs', name: 'a', pattern: null }, { type: 'MatchStar', name: 'rest' }] },
        { type: 'MatchSequence', patterns: [{ name: 'a' }, { name: 'b' }] },
        { type: 'MatchSequence', patterns: [] },
      ],
    });
    expect(m.cases[2]!.pattern).toMatchObject({ type: 'MatchMapping', keys: [constant('k')], patterns: [{ type: 'MatchAs', name: 'v' }], rest: 'others' });
    expect(m.cases[3]).toMatchObject({
      pattern: { type: 'MatchAs', name: 'pt', pattern: { type: 'MatchClass', cls: name('Point'), patterns: [{ type: 'MatchValue' }], kwd_attrs: ['y'] } },
      guard: name('pt'),
    });
    expect(m.cases[4]!.pattern).toMatchObject({ type: 'MatchValue', value: { type: 'Attribute', attr: 'RED' } });
    expect(m.cases[5]!.pattern).toMatchObject({ type: 'MatchAs', pattern: null, name: null });
  });

  test('match, case and _ stay names outside match statements', () => {
    expect(statements('match = 1\nmatch(x)\ncase.y = 2\n_ = match\n').map((s) => s.type)).toEqual(['Assign', 'Expr', 'Assign', 'Assign']);
    expect(statement('match x, y:\n    case a, b: pass\n')).toMatchObject({ subject: { type: 'Tuple' }, cases: [{ pattern: { type: 'MatchSequence' } }] });
  });
});

describe('expressions', () => {
  test('Python precedence, from lambda down to await and **', () => {
    const cases: Array<[string, string]> = [
      ['a or b and not c', '(Or a (And b (Not c)))'],
      ['a and b or c and d', '(Or (And a b) (And c d))'],
      ['a or b or c', '(Or a b c)'],
      ['not a == b', '(Not (a Eq b))'],
      ['a < b <= c != d', '(a Lt b LtE c NotEq d)'],
      ['a in b not in c is d is not e', '(a In b NotIn c Is d IsNot e)'],
      ['a | b ^ c & d << e + f * g', '(a BitOr (b BitXor (c BitAnd (d LShift (e Add (f Mult g))))))'],
      ['a * b + c * d', '((a Mult b) Add (c Mult d))'],
      ['a - b - c', '((a Sub b) Sub c)'],
      ['a // b % c @ d / e', '((((a FloorDiv b) Mod c) MatMult d) Div e)'],
      ['a >> b << c', '((a RShift b) LShift c)'],
      ['-a ** -b', '(USub (a Pow (USub b)))'],
      ['a ** b ** c', '(a Pow (b Pow c))'],
      ['~a + +b', '((Invert a) Add (UAdd b))'],
      ['a if b else c if d else e', '(a if b else (c if d else e))'],
      ['lambda: a if b else c', '(lambda (a if b else c))'],
      ['x.y(z).w', 'x.y(z).w'],
      ['(a or b) and c', '(And (Or a b) c)'],
      ['a + (b + c)', '(a Add (b Add c))'],
      ['(x := 1)', '(x := 1)'],
    ];
    for (const [source, expected] of cases) expect(shape(expression(`${source}\n`)), source).toBe(expected);
  });

  test('await binds tighter than **', () => {
    const f = statement('async def f():\n    return await a ** b\n') as ast.AsyncFunctionDef;
    expect(shape((f.body[0] as ast.Return).value)).toBe('((await a) Pow b)');
  });

  test('calls: positional, keywords, *args, **kwargs, generator argument', () => {
    expect(expression('f(a, *b, c=1, **d)\n')).toMatchObject({
      type: 'Call',
      func: name('f'),
      args: [name('a'), { type: 'Starred', value: name('b'), col: 6 }],
      keywords: [{ type: 'keyword', arg: 'c', value: constant(1), col: 10 }, { arg: null, value: name('d'), col: 15 }],
    });
    expect(expression('f(a=1, *b)\n')).toMatchObject({ args: [{ type: 'Starred' }], keywords: [{ arg: 'a' }] });
    expect(expression('sum(x for x in y)\n')).toMatchObject({ args: [{ type: 'GeneratorExp', col: 4 }] });
    expect(expression('f(a,)\n')).toMatchObject({ args: [name('a')] });
    expect(expression('f()\n')).toMatchObject({ args: [], keywords: [] });
  });

  test('subscripts: slices, tuples of slices, starred', () => {
    expect(expression('a[1:2:3]\n')).toMatchObject({ slice: { type: 'Slice', lower: constant(1), upper: constant(2), step: constant(3) } });
    expect(expression('a[:]\n')).toMatchObject({ slice: { type: 'Slice', lower: null, upper: null, step: null } });
    expect(expression('a[::2]\n')).toMatchObject({ slice: { type: 'Slice', lower: null, upper: null, step: constant(2) } });
    expect(expression('a[1:2, ...]\n')).toMatchObject({ slice: { type: 'Tuple', elts: [{ type: 'Slice' }, constant({ kind: 'ellipsis' })] } });
    expect(expression('a[1,]\n')).toMatchObject({ slice: { type: 'Tuple', elts: [constant(1)] } });
    expect(expression('a[*b]\n')).toMatchObject({ slice: { type: 'Tuple', elts: [{ type: 'Starred' }] } });
    expect(expression('a["k"]\n')).toMatchObject({ slice: constant('k') });
  });

  test('displays: tuples, lists, sets, dicts with unpacking', () => {
    expect(expression('()\n')).toMatchObject({ type: 'Tuple', elts: [] });
    expect(expression('(1,)\n')).toMatchObject({ type: 'Tuple', elts: [constant(1)], col: 1 });
    expect(expression('1, 2\n')).toMatchObject({ type: 'Tuple', elts: [constant(1), constant(2)] });
    expect(expression('[1, *a]\n')).toMatchObject({ type: 'List', elts: [constant(1), { type: 'Starred' }] });
    expect(expression('{1, *a}\n')).toMatchObject({ type: 'Set', elts: [constant(1), { type: 'Starred' }] });
    expect(expression('{}\n')).toMatchObject({ type: 'Dict', keys: [], values: [] });
    expect(expression('{"a": 1, **b}\n')).toMatchObject({ type: 'Dict', keys: [constant('a'), null], values: [constant(1), name('b')] });
    expect(expression('{**b, "a": 1,}\n')).toMatchObject({ keys: [null, constant('a')] });
  });

  test('comprehensions: list, set, dict, generator, nested, async', () => {
    expect(expression('[x for x in y if x if not z for w in x]\n')).toMatchObject({
      type: 'ListComp',
      elt: name('x'),
      generators: [
        { type: 'comprehension', target: name('x', 'Store'), iter: name('y'), ifs: [name('x'), { type: 'UnaryOp' }], is_async: 0 },
        { target: name('w', 'Store') },
      ],
    });
    expect(expression('{x for x in y}\n')).toMatchObject({ type: 'SetComp' });
    expect(expression('{k: v for k, v in y}\n')).toMatchObject({ type: 'DictComp', key: name('k'), value: name('v'), generators: [{ target: { type: 'Tuple', ctx: 'Store' } }] });
    expect(expression('(x for x in y)\n')).toMatchObject({ type: 'GeneratorExp', col: 1 });
    const f = statement('async def f():\n    return [x async for x in y]\n') as ast.AsyncFunctionDef;
    expect((f.body[0] as ast.Return).value).toMatchObject({ type: 'ListComp', generators: [{ is_async: 1 }] });
  });

  test('lambda parameters', () => {
    expect(expression('lambda a, b=1, *c, d, **e: a\n')).toMatchObject({
      type: 'Lambda',
      args: { args: [{ arg: 'a' }, { arg: 'b' }], defaults: [constant(1)], vararg: { arg: 'c' }, kwonlyargs: [{ arg: 'd' }], kwarg: { arg: 'e' } },
    });
    expect(expression('lambda: 0\n')).toMatchObject({ args: { args: [] }, body: constant(0) });
    expect(expression('lambda a, /, b: 0\n')).toMatchObject({ args: { posonlyargs: [{ arg: 'a' }], args: [{ arg: 'b' }] } });
  });

  test('walrus, starred, ellipsis, yield and yield from', () => {
    expect(expression('(y := f(x))\n')).toMatchObject({ type: 'NamedExpr', target: name('y', 'Store'), value: { type: 'Call' } });
    expect(expression('...\n')).toMatchObject(constant({ kind: 'ellipsis' }));
    expect(statement('def g():\n    yield from x\n')).toMatchObject({ body: [{ type: 'Expr', value: { type: 'YieldFrom', value: name('x') } }] });
    expect(statement('def g():\n    yield 1, 2\n')).toMatchObject({ body: [{ value: { type: 'Yield', value: { type: 'Tuple' } } }] });
  });

  test('soft keywords and keywords as attributes', () => {
    expect(expression('obj.match.case._\n')).toMatchObject({ type: 'Attribute', attr: '_' });
    expect(expression('print\n')).toMatchObject(name('print'));
    expect(expression('True, False, None\n')).toMatchObject({ elts: [constant(true), constant(false), constant(null)] });
  });
});

describe('literals', () => {
  test('integers: decimal, hex, octal, binary, underscores, beyond 2**53', () => {
    const values = (expression('0, 7, 1_000, 0x1F, 0o17, 0b101, 00, 9007199254740993\n') as ast.Tuple).elts.map((e) => (e as ast.Constant).value);
    expect(values).toEqual([0, 7, 1000, 31, 15, 5, 0, 9007199254740993n]);
  });

  test('floats and imaginary numbers keep their kind', () => {
    const values = (expression('1.5, 1., .5, 1e3, 1_0.5e-1, 2j, 1.5J, 1e999\n') as ast.Tuple).elts.map((e) => (e as ast.Constant).value);
    expect(values).toEqual([
      { kind: 'float', value: 1.5 },
      { kind: 'float', value: 1 },
      { kind: 'float', value: 0.5 },
      { kind: 'float', value: 1000 },
      { kind: 'float', value: 1.05 },
      { kind: 'complex', imag: 2 },
      { kind: 'complex', imag: 1.5 },
      { kind: 'float', value: Infinity },
    ]);
  });

  test('string prefixes in any case, quotes and triple quotes', () => {
    const values = (expression(`'a', "b", '''c''', """d""", r'\\n', R"\\t", u'e', U"f", rb'\\d', Br"x", BR'y'\n`) as ast.Tuple).elts.map(
      (e) => (e as ast.Constant).value,
    );
    expect(values.slice(0, 8)).toEqual(['a', 'b', 'c', 'd', '\\n', '\\t', 'e', 'f']);
    expect(values.slice(8).map((v) => Buffer.from(v as Uint8Array).toString('latin1'))).toEqual(['\\d', 'x', 'y']);
    expect(expression('u"x"\n')).toMatchObject({ kind: 'u' });
    expect(expression('U"x"\n')).toMatchObject({ kind: null });
  });

  test('escape sequences decoded as Python does', () => {
    expect(expression(String.raw`"\\ \' \" \a \b \f \n \r \t \v \0 \12 \1234 \x41 \u00e9 \U0001F600 \d"` + '\n')).toMatchObject(
      constant('\\ \' " \x07 \b \f \n \r \t \v \0 \n S4 A é 😀 \\d'),
    );
    expect(expression('"a\\\nb"\n')).toMatchObject(constant('ab'));
    const bytes = expression(String.raw`b"\x41\777\u00e9\n"` + '\n') as ast.Constant;
    expect(Buffer.from(bytes.value as Uint8Array).toString('latin1')).toBe('A\xff\\u00e9\n');
  });

  test('triple-quoted strings span lines; CRLF inside them reads as LF', () => {
    expect(expression('"""a\n\tb\n"""\n')).toMatchObject(constant('a\n\tb\n'));
    expect(expression('"""a\r\nb"""\r\n')).toMatchObject(constant('a\nb'));
  });

  test('implicit concatenation', () => {
    expect(expression('"a" \'b\' """c"""\n')).toMatchObject(constant('abc'));
    expect(expression('("a"\n "b")\n')).toMatchObject(constant('ab'));
    const bytes = expression('b"a" rb"\\b"\n') as ast.Constant;
    expect(Buffer.from(bytes.value as Uint8Array).toString('latin1')).toBe('a\\b');
  });

  test('f-strings: fields, conversions, format specs, nested fields, debug text, braces', () => {
    expect(expression('f"a{b!r:>{w}}c" "d"\n')).toMatchObject({
      type: 'JoinedStr',
      values: [
        constant('a'),
        {
          type: 'FormattedValue',
          value: name('b'),
          conversion: 114,
          format_spec: { type: 'JoinedStr', values: [constant('>'), { type: 'FormattedValue', value: name('w'), conversion: -1, format_spec: null }] },
        },
        constant('cd'),
      ],
    });
    expect(expression('f"{x=}"\n')).toMatchObject({ values: [constant('x='), { type: 'FormattedValue', conversion: 114 }] });
    expect(expression('f"{ x = :>3}"\n')).toMatchObject({ values: [constant(' x = '), { conversion: -1, format_spec: { values: [constant('>3')] } }] });
    expect(expression('f"{{a}} {{{b}}}"\n')).toMatchObject({ values: [constant('{a} {'), { value: name('b') }, constant('}')] });
    expect(expression('f"{x!s}{y!a}"\n')).toMatchObject({ values: [{ conversion: 115 }, { conversion: 97 }] });
    expect(expression('f"{x:}"\n')).toMatchObject({ values: [{ format_spec: { type: 'JoinedStr', values: [] } }] });
    expect(expression('f""\n')).toMatchObject({ type: 'JoinedStr', values: [] });
    expect(expression('rf"\\d{x}"\n')).toMatchObject({ values: [constant('\\d'), { value: name('x') }] });
    expect(expression('f"{a[\'k\']!r}" f"""{\n b\n}"""\n')).toMatchObject({ values: [{ value: { type: 'Subscript' } }, { value: name('b') }] });
    expect(expression('f"{x:{"a"}}"\n')).toMatchObject({ values: [{ format_spec: { values: [{ value: constant('a') }] } }] });
    expect(expression('f"{a if b else c}"\n')).toMatchObject({ values: [{ value: { type: 'IfExp' } }] });
  });

  test('f-string expressions have positions in the file', () => {
    const e = expression('f"ab{cd} {e.f}"\n') as ast.JoinedStr;
    // CPython 3.11 puts `cd` at offset 5 (column 6); FormattedValue starts at its `{`, as in 3.12
    expect(e.values[1]).toMatchObject({ type: 'FormattedValue', col: 5, value: { type: 'Name', line: 1, col: 6 } });
    expect(e.values[3]).toMatchObject({ value: { type: 'Attribute', col: 11 } });
  });
});

describe('layout and positions', () => {
  test('lines and 1-based columns of statements and expressions', () => {
    const [a, b] = statements('x = 1\nif x:\n    y = x + 2\n');
    expect(a).toMatchObject({ line: 1, col: 1, value: { line: 1, col: 5 } });
    expect((b as ast.If).body[0]).toMatchObject({ line: 3, col: 5, value: { type: 'BinOp', line: 3, col: 9, right: { col: 13 } } });
  });

  test('a node that starts with a parenthesised part starts at the parenthesis', () => {
    expect(expression('(a or b) and c\n')).toMatchObject({ col: 1, values: [{ col: 2 }, { col: 14 }] });
    expect(expression('(f)(x).y\n')).toMatchObject({ type: 'Attribute', col: 1, value: { type: 'Call', col: 1, func: { col: 2 } } });
  });

  test('comments, blank lines, continuation lines and brackets', () => {
    const body = statements('# comment\n\nx = (1 +  # inside\n     2)\n\n  # indented comment\ny = 1 + \\\n    2\nz = [\n\n1]\n');
    expect(body.map((s) => [s.type, s.line])).toEqual([
      ['Assign', 3],
      ['Assign', 7],
      ['Assign', 9],
    ]);
    expect((body[1] as ast.Assign).value).toMatchObject({ right: { line: 8, col: 5 } });
    expect((body[2] as ast.Assign).value).toMatchObject({ elts: [{ line: 11, col: 1 }] });
  });

  test('tabs count as one column and indent to multiples of eight', () => {
    const s = statement('if x:\n\ty = 1\n\tif y:\n\t\tz = 2\n') as ast.If;
    expect(s.body[0]).toMatchObject({ line: 2, col: 2 });
    expect((s.body[1] as ast.If).body[0]).toMatchObject({ line: 4, col: 3 });
    // a tab and eight spaces reach the same column, but Python 3 rejects mixing them
    expect(failure('if x:\n\ty = 1\n        z = 2\n')).toMatchObject({ line: 3, message: 'inconsistent use of tabs and spaces in indentation' });
  });

  test('CRLF and lone CR line ends, form feeds, a missing final newline, a byte order mark', () => {
    expect(statements('a = 1\r\nif a:\r\n    b = 2\r\n').map((s) => s.line)).toEqual([1, 2]);
    expect(statements('a = 1\rb = 2\r').map((s) => s.line)).toEqual([1, 2]);
    expect(statements('a = 1\n\x0c\ndef f():\n    return 1\n\x0cb = 2\n').map((s) => s.type)).toEqual(['Assign', 'FunctionDef', 'Assign']);
    expect(statements('if a:\n    b = 1').map((s) => s.type)).toEqual(['If']);
    expect(statement('\uFEFFx = 1\n')).toMatchObject({ line: 1, col: 1, value: { col: 5 } });
  });

  test('columns count UTF-16 code units of the line', () => {
    // é is one code unit and 😀 two, so `t` is the twelfth
    const [, t] = statements('s = "é😀"; t = 1\n');
    expect(t).toMatchObject({ col: 12 });
  });

  test('identifiers are read in NFKC form', () => {
    expect(expression('ﬁle\n')).toMatchObject(name('file'));
    expect(expression('δ + café\n')).toMatchObject({ left: name('δ'), right: name('café') });
  });

  test('empty files and files of comments are empty modules', () => {
    expect(parse('')).toMatchObject({ type: 'Module', body: [] });
    expect(parse('# only\n\n   # comments')).toMatchObject({ body: [] });
    expect(parse('\n\n')).toMatchObject({ body: [] });
  });

  test('the layout markers are characters no source can hold', () => {
    for (const marker of [NEWLINE, INDENT, DEDENT]) {
      expect(marker.length).toBe(1);
      const c = marker.charCodeAt(0);
      expect(c >= 0xdc00 && c <= 0xdfff).toBe(true);
    }
    const laid = layOut('if a:\n    b\nc\n');
    expect(laid.ok && laid.layout.text).toBe(`if a:${NEWLINE} ${INDENT}b${NEWLINE}${DEDENT}c${NEWLINE}`);
    expect(failure('x = "\uDC00"\n').message).toMatch(/unpaired surrogate/);
  });
});

describe('errors', () => {
  test('unterminated strings', () => {
    expect(failure('x = "abc\n')).toEqual({ line: 1, col: 5, message: 'unterminated string literal (detected at line 1)' });
    expect(failure("x = 1\ny = f'{a}\n")).toMatchObject({ line: 2, col: 5, message: expect.stringMatching(/unterminated string/) });
    expect(failure('x = """abc\n\n')).toMatchObject({ line: 1, col: 5, message: expect.stringMatching(/unterminated triple-quoted string literal/) });
  });

  test('indentation Python rejects', () => {
    expect(failure('x = 1\n    y = 2\n')).toEqual({ line: 2, col: 5, message: 'unexpected indent' });
    expect(failure('if x:\ny = 1\n')).toEqual({ line: 2, col: 1, message: 'expected an indented block' });
    expect(failure('if x:\n    a = 1\n  b = 2\n')).toEqual({ line: 3, col: 3, message: 'unindent does not match any outer indentation level' });
    expect(failure('    x = 1\n')).toMatchObject({ line: 1, message: 'unexpected indent' });
  });

  test('tab and space mixes that Python rejects', () => {
    expect(failure('if x:\n        a = 1\n\tb = 2\n')).toMatchObject({ line: 3, message: 'inconsistent use of tabs and spaces in indentation' });
    expect(failure('if x:\n\ta = 1\n        b = 2\n    \tc = 3\n')).toMatchObject({ message: 'inconsistent use of tabs and spaces in indentation' });
  });

  test('unmatched and unclosed brackets', () => {
    expect(failure('x = 1)\n')).toEqual({ line: 1, col: 6, message: "unmatched ')'" });
    expect(failure('x = (1,\ny = 2\n')).toEqual({ line: 1, col: 5, message: "'(' was never closed" });
    // CPython blames the bracket only if its parser read to the end or past the bracket's line
    expect(failure('x = (1,')).toEqual({ line: 1, col: 5, message: "'(' was never closed" });
    expect(failure('x = (1 2\n')).toEqual({ line: 1, col: 5, message: "'(' was never closed" });
    expect(failure('f(a, :\n')).toMatchObject({ line: 1, col: 6, message: expect.stringMatching(/^invalid syntax/) });
    expect(failure('x = (a b c\n')).toMatchObject({ line: 1, message: expect.stringMatching(/^invalid syntax/) });
    expect(failure('x = [1,\n2)\n')).toEqual({ line: 2, col: 2, message: "closing parenthesis ')' does not match opening parenthesis '[' on line 1" });
  });

  test('grammar errors say what was expected and what was found', () => {
    expect(failure('x = = 1\n')).toEqual({ line: 1, col: 5, message: "invalid syntax: expected an expression, found '='" });
    expect(failure('if x\n    pass\n')).toMatchObject({ line: 1, col: 5, message: expect.stringMatching(/^invalid syntax: expected ':'.*found end of line$/) });
    expect(failure('for x y: pass\n')).toMatchObject({ line: 1, col: 7, message: expect.stringMatching(/expected .*'in'.*found 'y'/) });
    expect(failure('x = 1 $ 2\n')).toMatchObject({ line: 1, col: 7, message: expect.stringMatching(/found '\$'$/) });
    expect(failure('def f(:\n')).toMatchObject({ line: 1, col: 7 });
    expect(failure('x = (1,\n     2\n     3)\n')).toMatchObject({ line: 3, col: 6 });
  });

  test('what Python checks beyond its grammar', () => {
    expect(failure('f() = 1\n').message).toBe('cannot assign to function call');
    expect(failure('del f()\n').message).toBe('cannot delete function call');
    expect(failure('a + 1 += 2\n').message).toMatch(/illegal expression for augmented assignment/);
    expect(failure('a, b: int\n').message).toBe('only single target (not tuple) can be annotated');
    expect(failure('f(a=1, b)\n').message).toBe('positional argument follows keyword argument');
    expect(failure('f(**a, *b)\n').message).toBe('iterable argument unpacking follows keyword argument unpacking');
    expect(failure('f(x for x in y, 1)\n').message).toBe('Generator expression must be parenthesized');
    expect(failure('def f(a=1, b): pass\n').message).toBe('non-default argument follows default argument');
    expect(failure('def f(*): pass\n').message).toBe('named arguments must follow bare *');
    expect(failure('def f(**a, b): pass\n').message).toBe('arguments cannot follow var-keyword argument');
    expect(failure('x = 0123\n').message).toMatch(/leading zeros/);
    expect(failure('x = b"a" "b"\n').message).toBe('cannot mix bytes and nonbytes literals');
    expect(failure('x = b"é"\n').message).toBe('bytes can only contain ASCII literal characters');
    expect(failure('x = "\\x4"\n').message).toMatch(/truncated/);
    expect(failure('x = f"{y!z}"\n').message).toMatch(/invalid conversion character/);
    expect(failure('x = (*a)\n').message).toBe('cannot use starred expression here');
    expect(failure('match x:\n    case *a:\n        pass\n').message).toMatch(/star patterns/);
    expect(failure('x = 1 \\ 2\n').message).toBe('unexpected character after line continuation character');
    expect(failure('x = 1 + \\').message).toBe('unexpected EOF while parsing');
    expect(failure('x = 1\0\n').message).toBe('source code cannot contain null bytes');
  });

  test('named Unicode escapes are reported, not guessed', () => {
    expect(failure('x = "\\N{EM DASH}"\n').message).toMatch(/named Unicode escapes/);
    expect(failure('x = f"\\N{EM DASH}"\n').message).toMatch(/named Unicode escapes/);
    expect(failure('x = f"{y:\\N{EM DASH}}"\n').message).toMatch(/named Unicode escapes/);
    expect(failure("x = f'''a\\N{EM DASH}'''\n").message).toMatch(/named Unicode escapes/);
    // in a raw f-string \N is two characters and the brace opens a field, in the spec too
    expect(expression('rf"\\N{x}"\n')).toMatchObject({ values: [constant('\\N'), { value: name('x') }] });
    expect(expression('rf"{x:\\N{y}}"\n')).toMatchObject({ values: [{ format_spec: { values: [constant('\\N'), { value: name('y') }] } }] });
    expect(expression('rb"\\N{x}"\n')).toMatchObject({ type: 'Constant' });
  });

  test('deep nesting is reported, never a crash', () => {
    expect(failure(`x = ${'('.repeat(10_000)}${')'.repeat(10_000)}\n`)).toMatchObject({ message: 'too many nested parentheses' });
    expect(parsePython(`x = ${'('.repeat(199)}1${')'.repeat(199)}\n`, 'ok.py').ok).toBe(true);
    expect(failure(`x = ${'not '.repeat(20_000)}y\n`).message).toBe('the code is nested too deeply to parse');
    expect(failure(`x = ${'-'.repeat(100_000)}y\n`).message).toBe('the code is nested too deeply to parse');
    expect(failure(`x = ${'lambda: '.repeat(20_000)}y\n`).message).toBe('the code is nested too deeply to parse');
    const blocks = Array.from({ length: 120 }, (_, i) => `${' '.repeat(i)}if x:\n`).join('') + `${' '.repeat(120)}pass\n`;
    expect(failure(blocks).message).toBe('too many levels of indentation');
  });

  test('long flat files and long chains parse', () => {
    expect(statements('x = 1\n'.repeat(20_000))).toHaveLength(20_000);
    expect(expression(`${'a + '.repeat(20_000)}a\n`)).toMatchObject({ type: 'BinOp' });
    expect(expression(`${'"s" '.repeat(20_000)}\n`)).toMatchObject(constant('s'.repeat(20_000)));
  });
});

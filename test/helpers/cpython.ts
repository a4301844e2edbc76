// CPython as the reference for the Python parser: `python3` dumps the syntax trees of files
// with its own `ast` module, in the JSON shape of our trees, and `comparableTree` reduces
// both sides to what the comparison covers.
//
// What is compared: every node's type and fields (ctx, operators, names, constants with
// their Python types), and the line and column of every node CPython positions, with these
// exceptions, where CPython itself is not stable across versions or positions nothing:
// - the parts of an f-string (the Constant and FormattedValue nodes directly in a JoinedStr,
//   and its format specs) keep their types and values but not their positions, nor the
//   Constants their `kind`;
// - a tuple directly in a replacement field (`f"{a, b}"`) keeps its type and values but not its
//   position: CPython 3.11 puts it at the `{`, 3.12 and later (and we) at its first element;
// - `arguments`, `comprehension`, `withitem`, `match_case` and Module have no position in CPython.
// Columns are converted from CPython's UTF-8 byte offsets to UTF-16 code units (ours) by the
// dump script, so they are compared on every line, ASCII or not.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DUMP_SCRIPT = String.raw`
import ast, json, re, sys

def column_converter(text):
    lines = re.split(r'\r\n|\r|\n', text)
    cache = {}
    def convert(line, col):
        key = (line, col)
        if key not in cache:
            head = lines[line - 1].encode('utf-8', 'surrogatepass')[:col].decode('utf-8', 'surrogatepass')
            cache[key] = len(head.encode('utf-16-le', 'surrogatepass')) // 2 + 1
        return cache[key]
    return convert

def constant(value):
    if value is None: return {'none': True}
    if value is Ellipsis: return {'ellipsis': True}
    if isinstance(value, bool): return {'bool': value}
    if isinstance(value, int): return {'int': str(value)}
    if isinstance(value, float): return {'float': repr(value)}
    if isinstance(value, complex): return {'complex': repr(value.imag)}
    if isinstance(value, bytes): return {'bytes': value.hex()}
    return {'str': value}

SYMBOLS = (ast.operator, ast.boolop, ast.unaryop, ast.cmpop, ast.expr_context)

def convert_tree(tree, column):
    def walk(node):
        if isinstance(node, list):
            return [walk(item) for item in node]
        if isinstance(node, SYMBOLS):
            return type(node).__name__
        if not isinstance(node, ast.AST):
            return node
        out = {'type': type(node).__name__}
        for field, value in ast.iter_fields(node):
            if field in ('type_comment', 'type_ignores'):
                continue
            if isinstance(node, ast.ExceptHandler) and field == 'type':
                field = 'type_'
            out[field] = constant(value) if isinstance(node, ast.Constant) and field == 'value' else walk(value)
        if 'lineno' in node._attributes:
            out['line'] = node.lineno
            out['col'] = column(node.lineno, node.col_offset)
        return out
    return walk(tree)

for path in sys.stdin.read().split('\n'):
    if not path:
        continue
    try:
        with open(path, 'rb') as handle:
            text = handle.read().decode('utf-8-sig')
        tree = ast.parse(text, filename=path)
        result = {'path': path, 'ok': True, 'tree': convert_tree(tree, column_converter(text))}
    except SyntaxError as error:
        result = {'path': path, 'ok': False, 'message': error.msg, 'line': error.lineno, 'col': error.offset}
    except (UnicodeDecodeError, ValueError) as error:
        result = {'path': path, 'ok': False, 'message': str(error), 'line': None, 'col': None}
    sys.stdout.write(json.dumps(result) + '\n')
`;

export type CPythonResult = { path: string; ok: true; tree: unknown } | { path: string; ok: false; message: string; line: number | null; col: number | null };

let available: boolean | undefined;
let scriptPath: string | undefined;

/** Whether `python3` (3.10 or later, for match statements) can be run. */
export function hasPython3(): boolean {
  if (available === undefined) {
    const probe = spawnSync('python3', ['-c', 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)'], { encoding: 'utf8' });
    available = probe.status === 0;
  }
  return available;
}

export function python3Version(): string {
  return spawnSync('python3', ['--version'], { encoding: 'utf8' }).stdout.trim();
}

/** CPython's trees for the files, in our JSON shape; one python3 process for all of them. */
export function cpythonTrees(paths: string[]): Map<string, CPythonResult> {
  if (!scriptPath) {
    scriptPath = join(mkdtempSync(join(tmpdir(), 'rulebridge-cpython-')), 'dump_ast.py');
    writeFileSync(scriptPath, DUMP_SCRIPT);
  }
  const run = spawnSync('python3', [scriptPath], { input: paths.join('\n'), encoding: 'utf8', maxBuffer: 1 << 30 });
  if (run.status !== 0) throw new Error(`python3 failed: ${run.stderr}`);
  const results = new Map<string, CPythonResult>();
  for (const line of run.stdout.split('\n')) {
    if (!line) continue;
    const result = JSON.parse(line) as CPythonResult;
    results.set(result.path, result);
  }
  return results;
}

const UNPOSITIONED = new Set(['Module', 'arguments', 'comprehension', 'withitem', 'match_case']);

/**
 * Our tree (a parsePython module) in the JSON shape of the dump: constants tagged with their
 * Python type. Both sides then go through `comparableTree`.
 */
export function ourTree(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(ourTree);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  const record = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) {
    out[key] = record.type === 'Constant' && key === 'value' ? ourConstant(value) : ourTree(value);
  }
  return out;
}

function ourConstant(value: unknown): unknown {
  if (value === null) return { none: true };
  if (typeof value === 'boolean') return { bool: value };
  if (typeof value === 'number' || typeof value === 'bigint') return { int: value.toString() };
  if (typeof value === 'string') return { str: value };
  if (value instanceof Uint8Array) return { bytes: Buffer.from(value).toString('hex') };
  const tagged = value as { kind: string; value?: number; imag?: number };
  if (tagged.kind === 'float') return { float: tagged.value };
  if (tagged.kind === 'complex') return { complex: tagged.imag };
  return { ellipsis: true };
}

/** Drops what the comparison leaves out (see the head of this file); reads Python float reprs. */
export function comparableTree(node: unknown, inFString = false): unknown {
  if (Array.isArray(node)) return node.map((n) => comparableTree(n, inFString));
  if (node === null || typeof node !== 'object') return node;
  const record = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    if (key === 'line' || key === 'col') continue;
    if (record.type === 'Constant' && key === 'value') out[key] = comparableConstant(value);
    else if (record.type === 'Constant' && key === 'kind' && inFString) continue;
    else if (record.type === 'JoinedStr' && key === 'values') out[key] = comparableTree(value, true);
    else if (record.type === 'FormattedValue' && key === 'format_spec') out[key] = comparableTree(value, true);
    else if (record.type === 'FormattedValue' && key === 'value' && (value as { type?: string }).type === 'Tuple') {
      const tuple = comparableTree(value, false) as Record<string, unknown>;
      delete tuple.line;
      delete tuple.col;
      out[key] = tuple;
    }
    else out[key] = comparableTree(value, false);
  }
  if (!inFString && !UNPOSITIONED.has(String(record.type)) && 'line' in record) {
    out.line = record.line;
    out.col = record.col;
  }
  return out;
}

function comparableConstant(value: unknown): unknown {
  const tagged = value as Record<string, unknown>;
  if (typeof tagged.float === 'string') return { float: pythonFloat(tagged.float) };
  if (typeof tagged.complex === 'string') return { complex: pythonFloat(tagged.complex) };
  return value;
}

function pythonFloat(repr: string): number {
  if (repr === 'inf') return Infinity;
  if (repr === '-inf') return -Infinity;
  if (repr === 'nan') return NaN;
  return Number(repr);
}

/** The first place two trees differ, as a path and the two values, for readable failures. */
export function firstDifference(a: unknown, b: unknown, path = ''): string | null {
  if (Object.is(a, b)) return null;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path || '.'}: ours ${JSON.stringify(a)} vs CPython ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return `${path}: ours ${JSON.stringify(a)} vs CPython ${JSON.stringify(b)}`;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const key of keys) {
    const here = Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`;
    const located = (a as Record<string, unknown>).type ? `${path}<${String((a as Record<string, unknown>).type)}@${String((a as Record<string, unknown>).line)}:${String((a as Record<string, unknown>).col)}>.${key}` : here;
    const diff = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? here : located);
    if (diff) return diff;
  }
  return null;
}

// Reads Python source into the syntax tree of ast.ts. The source is only parsed, never run.
// Every failure, from the layout pass, the grammar or the builder, comes back as one
// `python-syntax` diagnostic at the file, line and column where Python would complain.

import { diagnostic, type Diagnostic } from '../../../diagnostics/diagnostic.js';
import { parse as parseGenerated, SyntaxError as PeggySyntaxError } from '../../../generated/python.js';
import type { Module } from './ast.js';
import { Builder, PythonSyntaxError } from './build.js';
import { DEDENT, INDENT, layOut, NEWLINE, type LayoutError } from './layout.js';
import type { SourceMap } from './source-map.js';

export type PythonParseResult = { ok: true; module: Module } | { ok: false; diagnostic: Diagnostic };

export function parsePython(text: string, path: string): PythonParseResult {
  const laid = layOut(text);
  if (!laid.ok) {
    const { line, col } = positionIn(text, laid.error.offset);
    return fail(laid.error.message, path, line, col);
  }
  const { text: laidOut, map, unclosed } = laid.layout;
  const { result, reach } = parseLaidOut(laidOut, map, path);
  if (unclosed && (result.ok || reportsUnclosed(reach, unclosed, map))) {
    const { line, col } = map.sourcePosition(unclosed.offset);
    return fail(unclosed.message, path, line, col);
  }
  return result;
}

/** A parse, and for a failure the source offset the parser read up to (null when unknown). */
interface Attempt {
  result: PythonParseResult;
  reach: number | null;
}

function parseLaidOut(laidOut: string, map: SourceMap, path: string): Attempt {
  try {
    const module = parseGenerated(laidOut, { builder: new Builder(map, laidOut) } as never) as Module;
    return { result: { ok: true, module }, reach: null };
  } catch (quietError) {
    if (!(quietError instanceof PeggySyntaxError)) return failure(quietError, path, map);
  }
  // the quiet parse only knows that it failed: parse again, keeping track of expectations
  try {
    parseGenerated(laidOut, { builder: new Builder(map, laidOut), startRule: 'File' } as never);
    return { result: fail('the parser failed without a reason', path, 1, 1), reach: null };
  } catch (error) {
    if (!(error instanceof PeggySyntaxError)) return failure(error, path, map);
    const offset = error.location.start.offset;
    const { line, col } = map.sourcePosition(map.toSource(offset));
    const reach = map.toSource(lookaheadEnd(laidOut, offset));
    return { result: fail(grammarMessage(error, laidOut, offset), path, line, col), reach };
  }
}

/**
 * Where CPython's parser would stop reading after failing at `offset` of the laid-out text.
 * Mostly there; but where an expression follows another (`(a b`), CPython reads the second
 * one and the token after it, to suggest a missing comma. Its last word ending the file
 * therefore means the parser read to the end.
 */
function lookaheadEnd(text: string, offset: number): number {
  const word = /[\p{XID_Continue}]+/uy;
  word.lastIndex = offset;
  if (!word.test(text)) return offset;
  const rest = new RegExp(`[ ${NEWLINE}${INDENT}${DEDENT}]*$`, 'y');
  rest.lastIndex = word.lastIndex;
  return rest.test(text) ? text.length : offset;
}

/**
 * Whether a bracket left open at the end of the file is the error to report rather than the
 * parser's own. CPython reports it when its parser read to the end of the file, or past the
 * bracket's line (`x = (1,\ny = 2`), where the missing bracket is the likelier cause; a
 * failure on the bracket's own line stands (`def f(:`).
 */
function reportsUnclosed(reach: number | null, unclosed: LayoutError, map: SourceMap): boolean {
  if (reach === null) return false;
  return reach >= map.source.length || map.lineIndex(reach) > map.lineIndex(unclosed.offset);
}

/** A failure other than the grammar's: the builder's checks, the stack, or a bug of ours. */
function failure(error: unknown, path: string, map: SourceMap): Attempt {
  if (error instanceof PythonSyntaxError) {
    const reach = map.toSource(error.offset);
    const { line, col } = map.sourcePosition(reach);
    return { result: fail(error.message, path, line, col), reach };
  }
  return { result: unplacedFailure(error, path), reach: null };
}

function unplacedFailure(error: unknown, path: string): PythonParseResult {
  if (error instanceof RangeError) {
    // the grammar recurses once per level of nesting; the layout pass bounds brackets and
    // blocks, and this catches the rest (long chains of `not`, unary minus, lambdas)
    return fail('the code is nested too deeply to parse', path, 1, 1);
  }
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, diagnostic: diagnostic('internal-error', `the Python parser failed: ${message}`, { path, line: 1, col: 1 }) };
}

function fail(message: string, path: string, line: number, col: number): PythonParseResult {
  return { ok: false, diagnostic: diagnostic('python-syntax', message, { path, line, col }) };
}

/** Line and column of an offset, for errors found before a SourceMap exists. */
function positionIn(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, col: offset - start + 1 };
}

// ---- messages ----

interface Expectation {
  type: string;
  text?: string;
  description?: string;
}

/** Where the grammar wanted a number or a parenthesis, it wanted an expression: the list says no more. */
const EXPRESSION_STARTS = ['number', "'('"];
const ATOMS_AND_PREFIXES = ['string', "'('", "'['", "'{'", "'...'", "'-'", "'+'", "'~'", "'*'", "'not'", "'lambda'", "'await'", "'yield'"];
/** Expectations of the first character of a string literal (its prefix letters and quotes). */
const STRING_STARTS = new Set(['"', "'", '"""', "'''"]);

const MARKER_NAMES: Record<string, string> = { [NEWLINE]: 'end of line', [INDENT]: 'indent', [DEDENT]: 'dedent' };

function grammarMessage(error: PeggySyntaxError, text: string, offset: number): string {
  const found = describeFound(text, offset);
  const expected = describeExpected((error.expected ?? []) as Expectation[]);
  if (found === 'indent') return 'unexpected indent';
  if (expected.includes('indent')) return 'expected an indented block';
  if (found === 'dedent' && !expected.length) return 'unindent does not match any outer indentation level';
  if (!expected.length) return `invalid syntax: unexpected ${found}`;
  return `invalid syntax: expected ${joinAlternatives(expected)}, found ${found}`;
}

function describeExpected(expected: Expectation[]): string[] {
  const names = new Set<string>();
  for (const e of expected) {
    switch (e.type) {
      case 'literal':
        names.add(STRING_STARTS.has(e.text ?? '') ? 'string' : `'${e.text}'`);
        break;
      case 'class':
        names.add('string');
        break;
      case 'end':
        names.add('end of file');
        break;
      case 'other':
        names.add(e.description ?? 'something else');
        break;
      default:
        names.add('a character');
    }
  }
  if (EXPRESSION_STARTS.every((s) => names.has(s))) {
    for (const s of ['name', ...EXPRESSION_STARTS, ...ATOMS_AND_PREFIXES]) names.delete(s);
    names.add('an expression');
  }
  const list = [...names].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  return list.length > 8 ? [...list.slice(0, 8), 'something else'] : list;
}

function rank(name: string): number {
  if (name === 'an expression') return 0;
  if (name.startsWith("'")) return 1;
  return 2;
}

function joinAlternatives(items: string[]): string {
  if (items.length <= 1) return items[0] ?? 'something else';
  return `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function describeFound(text: string, offset: number): string {
  if (offset >= text.length) return 'end of file';
  const c = text[offset]!;
  const marker = MARKER_NAMES[c];
  if (marker) return marker;
  const word = /^[\p{XID_Continue}]+/u.exec(text.slice(offset, offset + 80));
  if (word) return `'${word[0]}'`;
  const operator = /^(\*\*=?|\/\/=?|<<=?|>>=?|[-+*/%@&|^<>=!:]=|->|\.\.\.|[^\s])/u.exec(text.slice(offset, offset + 4));
  return `'${operator ? operator[0] : c}'`;
}

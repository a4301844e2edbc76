// The indentation pre-pass: Python's block structure lives in line breaks and leading
// whitespace, which a PEG grammar cannot count. This pass does what CPython's tokenizer does
// for layout and hands the grammar (grammars/python.peggy) a text in which
//
// - the line break ending each logical line is replaced by NEWLINE;
// - INDENT and DEDENT markers are inserted before the first token of a line whose indentation
//   grows or shrinks, and at the end of the file for every block still open;
// - every gap between tokens becomes exactly one space: runs of spaces, tabs and form feeds,
//   comments, backslash continuations, line breaks inside brackets and inside f-string
//   replacement fields, indentation, blank and comment-only lines. The grammar's whitespace
//   rule is then an optional single space, which is much of its speed.
//
// String literals (including triple-quoted ones spanning lines, and f-strings with nested
// replacement fields and strings, as Python 3.12 reads them) are passed through untouched,
// except that gaps in the code of replacement fields are shortened like any other.
//
// The markers are lone low surrogates (U+DC00..U+DC02). A JavaScript string decoded from
// UTF-8 never holds an unpaired surrogate, and the pass rejects text that does, so a marker
// can never be confused with a character of the source.
//
// A SourceMap of where copied runs start on both sides leads every offset of the laid-out
// text back to the source.

import { SourceMap } from './source-map.js';

export const NEWLINE = '\uDC00';
export const INDENT = '\uDC01';
export const DEDENT = '\uDC02';

/** CPython's limits: deeper nesting is a syntax error there too. */
export const MAX_BRACKET_DEPTH = 200;
export const MAX_INDENT_DEPTH = 100;

const TAB_SIZE = 8;

export interface Layout {
  text: string;
  map: SourceMap;
  /**
   * The innermost bracket still open at the end of the file. CPython reports it only if its
   * parser does not fail first, on or before the bracket's line, so the grammar runs anyway.
   */
  unclosed: LayoutError | null;
}

export interface LayoutError {
  message: string;
  /** Offset in the original source. */
  offset: number;
}

export type LayoutResult = { ok: true; layout: Layout } | { ok: false; error: LayoutError };

class LayoutFailure extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

export function layOut(source: string): LayoutResult {
  try {
    return { ok: true, layout: new LayoutPass(source).run() };
  } catch (error) {
    if (error instanceof LayoutFailure) return { ok: false, error: { message: error.message, offset: error.offset } };
    throw error;
  }
}

interface Bracket {
  char: string;
  offset: number;
}

class LayoutPass {
  private readonly src: string;
  private readonly n: number;
  private readonly map: SourceMap;
  private readonly pieces: string[] = [];
  /** Source offset up to which the source has been copied to `pieces`. */
  private copied: number;
  private outLength = 0;
  /** Whether the output ends with the space of a gap, which the next gap then extends. */
  private inGap = false;

  private readonly brackets: Bracket[] = [];
  private readonly indents = [0];
  /** Indentation counted with tabs as one column: a second opinion that exposes tab/space mixes. */
  private readonly altIndents = [0];
  private lineHasContent = false;
  private continued = false;

  constructor(source: string) {
    this.src = source;
    this.n = source.length;
    const skipped = source.charCodeAt(0) === 0xfeff ? 1 : 0;
    this.copied = skipped;
    this.map = new SourceMap(source, skipped);
  }

  run(): Layout {
    const src = this.src;
    if (!(src as unknown as { isWellFormed(): boolean }).isWellFormed()) {
      throw new LayoutFailure('source holds unpaired surrogate code units (it is not Unicode text)', firstLoneSurrogate(src));
    }
    const nul = src.indexOf('\0');
    if (nul >= 0) throw new LayoutFailure('source code cannot contain null bytes', nul);

    let i = this.copied;
    while (i < this.n) {
      if (this.brackets.length === 0 && !this.continued) i = this.indentation(i);
      this.continued = false;
      i = this.line(i);
    }
    const unclosed = this.finish();
    return { text: this.pieces.join(''), map: this.map, unclosed };
  }

  // ---- output ----

  private copyTo(offset: number): void {
    if (offset > this.copied) {
      this.pieces.push(this.src.slice(this.copied, offset));
      this.outLength += offset - this.copied;
      this.copied = offset;
      this.inGap = false;
    }
  }

  /** Source characters [from, to) separate tokens: one space stands for them and their neighbours. */
  private gap(from: number, to: number): void {
    if (to <= from) return;
    this.copyTo(from);
    if (!this.inGap) {
      this.pieces.push(' ');
      this.outLength++;
      this.inGap = true;
    }
    this.copied = to;
    this.map.startSegment(this.outLength, to);
  }

  /** Replaces the line break at `at` (one character) by the NEWLINE marker. */
  private newline(at: number): void {
    this.copyTo(at);
    this.pieces.push(NEWLINE);
    this.outLength++;
    this.copied = at + 1;
    this.inGap = false;
  }

  private insert(at: number, markers: string): void {
    this.copyTo(at);
    this.map.startSegment(this.outLength, at, true);
    this.pieces.push(markers);
    this.outLength += markers.length;
    this.map.startSegment(this.outLength, at);
    this.inGap = false;
  }

  // ---- lines ----

  /** Reads the indentation of a line that starts a logical line; returns where its content starts. */
  private indentation(start: number): number {
    const src = this.src;
    let col = 0;
    let alt = 0;
    let i = start;
    for (; i < this.n; i++) {
      const c = src.charCodeAt(i);
      if (c === 32) {
        col++;
        alt++;
      } else if (c === 9) {
        col = (Math.floor(col / TAB_SIZE) + 1) * TAB_SIZE;
        alt++;
      } else if (c === 12) {
        col = 0;
        alt = 0;
      } else break;
    }
    this.gap(start, i);
    const c = src.charCodeAt(i);
    // blank and comment-only lines take no part in indentation
    if (i >= this.n || c === 35 || c === 10 || c === 13) return i;

    const indents = this.indents;
    const alts = this.altIndents;
    const top = indents.length - 1;
    if (col === indents[top]) {
      if (alt !== alts[top]) throw new LayoutFailure('inconsistent use of tabs and spaces in indentation', i);
    } else if (col > indents[top]!) {
      if (indents.length > MAX_INDENT_DEPTH) throw new LayoutFailure('too many levels of indentation', i);
      if (alt <= alts[top]!) throw new LayoutFailure('inconsistent use of tabs and spaces in indentation', i);
      indents.push(col);
      alts.push(alt);
      this.insert(i, INDENT);
    } else {
      let dedents = 0;
      while (indents.length > 1 && col < indents[indents.length - 1]!) {
        indents.pop();
        alts.pop();
        dedents++;
      }
      if (col !== indents[indents.length - 1]) throw new LayoutFailure('unindent does not match any outer indentation level', i);
      if (alt !== alts[alts.length - 1]) throw new LayoutFailure('inconsistent use of tabs and spaces in indentation', i);
      this.insert(i, DEDENT.repeat(dedents));
    }
    return i;
  }

  /** Reads code up to and including the end of a physical line; returns the next line's start. */
  private line(start: number): number {
    const src = this.src;
    let i = start;
    while (i < this.n) {
      const c = src.charCodeAt(i);
      switch (c) {
        case 32:
        case 9:
        case 12:
          i = this.spaces(i);
          break;
        case 35: // #
          i = this.comment(i);
          break;
        case 10:
        case 13:
          return this.lineBreak(i);
        case 92: // backslash
          return this.continuation(i);
        case 40:
        case 91:
        case 123:
          this.open(i);
          this.lineHasContent = true;
          i++;
          break;
        case 41:
        case 93:
        case 125:
          this.close(i, this.brackets);
          this.lineHasContent = true;
          i++;
          break;
        case 34:
        case 39:
          this.lineHasContent = true;
          i = this.string(i);
          break;
        default:
          this.lineHasContent = true;
          i++;
      }
    }
    return i;
  }

  private spaces(at: number): number {
    let end = at + 1;
    for (let c = this.src.charCodeAt(end); c === 32 || c === 9 || c === 12; c = this.src.charCodeAt(++end));
    this.gap(at, end);
    return end;
  }

  private comment(at: number): number {
    let end = at;
    while (end < this.n && !isLineBreak(this.src.charCodeAt(end))) end++;
    this.gap(at, end);
    return end;
  }

  private lineBreak(at: number): number {
    const length = this.src.charCodeAt(at) === 13 && this.src.charCodeAt(at + 1) === 10 ? 2 : 1;
    if (this.brackets.length === 0 && this.lineHasContent) {
      this.newline(at);
      this.gap(at + 1, at + length);
      this.lineHasContent = false;
    } else this.gap(at, at + length);
    return at + length;
  }

  private continuation(at: number): number {
    const next = this.src.charCodeAt(at + 1);
    if (at + 1 >= this.n) throw new LayoutFailure('unexpected EOF while parsing', at);
    if (!isLineBreak(next)) throw new LayoutFailure('unexpected character after line continuation character', at);
    const end = at + (next === 13 && this.src.charCodeAt(at + 2) === 10 ? 3 : 2);
    if (end >= this.n) throw new LayoutFailure('unexpected EOF while parsing', at);
    this.gap(at, end);
    this.continued = true;
    return end;
  }

  private open(at: number, stack: Bracket[] = this.brackets): void {
    if (this.depth + 1 > MAX_BRACKET_DEPTH) throw new LayoutFailure('too many nested parentheses', at);
    stack.push({ char: this.src[at]!, offset: at });
    this.depth++;
  }

  /** Brackets open in code and in replacement fields together: the grammar recurses on both. */
  private depth = 0;

  private close(at: number, stack: Bracket[]): void {
    const char = this.src[at]!;
    const open = stack.pop();
    if (!open) throw new LayoutFailure(`unmatched '${char}'`, at);
    this.depth--;
    if (OPENERS[open.char] !== char) {
      const openLine = this.map.lineIndex(open.offset);
      const where = openLine === this.map.lineIndex(at) ? '' : ` on line ${openLine + 1}`;
      throw new LayoutFailure(`closing parenthesis '${char}' does not match opening parenthesis '${open.char}'${where}`, at);
    }
  }

  private finish(): LayoutError | null {
    this.copyTo(this.n);
    let markers = this.lineHasContent ? NEWLINE : '';
    markers += DEDENT.repeat(this.indents.length - 1);
    if (markers) this.insert(this.n, markers);
    const open = this.brackets[this.brackets.length - 1];
    return open ? { message: `'${open.char}' was never closed`, offset: open.offset } : null;
  }

  // ---- strings ----

  /** Skips a string literal whose opening quote is at `quote`; returns the offset after it. */
  private string(quote: number): number {
    const src = this.src;
    const prefix = stringPrefix(src, quote);
    const formatted = /f/i.test(prefix);
    const raw = /r/i.test(prefix);
    const q = src.charCodeAt(quote);
    const triple = src.charCodeAt(quote + 1) === q && src.charCodeAt(quote + 2) === q;
    const start = quote - prefix.length;
    let i = quote + (triple ? 3 : 1);
    for (;;) {
      if (i >= this.n) throw this.unterminated(start, triple);
      const c = src.charCodeAt(i);
      if (c === q) {
        if (!triple) return i + 1;
        if (src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q) return i + 3;
        i++;
      } else if (c === 92) {
        i = this.escape(i, formatted, raw, q, triple);
      } else if (c === 10 || c === 13) {
        if (!triple) throw this.unterminated(start, triple);
        i++;
      } else if (formatted && c === 123) {
        if (src.charCodeAt(i + 1) === 123) i += 2;
        else i = this.field(i, q, triple, raw);
      } else i++;
    }
  }

  /** Skips a backslash escape inside a string; returns the offset after it. */
  private escape(at: number, formatted: boolean, raw: boolean, q: number, triple: boolean): number {
    const src = this.src;
    const next = src.charCodeAt(at + 1);
    if (formatted && next === 123) return at + 1; // a backslash does not hide the brace of a field
    // \N{NAME}: its braces are not a replacement field
    if (formatted && !raw && next === 78 && src.charCodeAt(at + 2) === 123) return this.characterName(at + 3, q, triple);
    if (next === 13 && src.charCodeAt(at + 2) === 10) return at + 3;
    return at + 2;
  }

  /**
   * Skips the name of a `\N{NAME}` escape in an f-string from its first character: up to
   * the first `}`, or the end of the literal, where the caller then stops.
   */
  private characterName(start: number, q: number, triple: boolean): number {
    const src = this.src;
    let i = start;
    while (i < this.n) {
      const c = src.charCodeAt(i);
      if (c === 125) return i + 1;
      if (c === 92 && src.charCodeAt(i + 1) !== 125) i = this.escape(i, false, false, q, triple);
      else if (c === q && (!triple || (src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q))) return i;
      else if (!triple && isLineBreak(c)) return i;
      else i++;
    }
    return i;
  }

  /**
   * Skips an f-string replacement field from its `{`; returns the offset after its `}`.
   * The expression part is code: comments and line breaks in it become spaces.
   */
  private field(open: number, q: number, triple: boolean, raw: boolean): number {
    const src = this.src;
    const stack: Bracket[] = [];
    this.open(open, stack);
    let i = open + 1;
    for (;;) {
      if (i >= this.n) throw new LayoutFailure("f-string: expecting '}'", open);
      const c = src.charCodeAt(i);
      switch (c) {
        case 10:
        case 13:
          this.gap(i, i + 1);
          i++;
          break;
        case 32:
        case 9:
        case 12:
          i = this.spaces(i);
          break;
        case 35:
          i = this.comment(i);
          break;
        case 34:
        case 39:
          i = this.string(i);
          break;
        case 40:
        case 91:
        case 123:
          this.open(i, stack);
          i++;
          break;
        case 41:
        case 93:
          this.close(i, stack);
          i++;
          break;
        case 125:
          this.close(i, stack);
          i++;
          if (stack.length === 0) return i;
          break;
        case 58: // a colon outside brackets starts the format spec
          if (stack.length === 1) {
            stack.pop();
            this.depth--;
            return this.formatSpec(i + 1, open, q, triple, raw);
          }
          i++;
          break;
        default:
          i++;
      }
    }
  }

  /** Skips a format spec up to and including the `}` closing its field; it is raw when its f-string is. */
  private formatSpec(start: number, open: number, q: number, triple: boolean, raw: boolean): number {
    const src = this.src;
    let i = start;
    for (;;) {
      if (i >= this.n) throw new LayoutFailure("f-string: expecting '}'", open);
      const c = src.charCodeAt(i);
      if (c === 125) return i + 1;
      if (c === 123) i = this.field(i, q, triple, raw);
      else if (c === q && (!triple || (src.charCodeAt(i + 1) === q && src.charCodeAt(i + 2) === q))) {
        throw new LayoutFailure("f-string: expecting '}'", open);
      } else if ((c === 10 || c === 13) && !triple) throw new LayoutFailure("f-string: expecting '}'", open);
      else if (c === 92) i = this.escape(i, true, raw, q, triple);
      else i++;
    }
  }

  private unterminated(start: number, triple: boolean): LayoutFailure {
    const detected = this.map.lineIndex(this.n) + 1;
    const kind = triple ? 'triple-quoted string literal' : 'string literal';
    if (triple) return new LayoutFailure(`unterminated ${kind} (detected at line ${detected})`, start);
    let end = start;
    while (end < this.n && !isLineBreak(this.src.charCodeAt(end))) end++;
    return new LayoutFailure(`unterminated ${kind} (detected at line ${this.map.lineIndex(end) + 1})`, start);
  }
}

function isLineBreak(c: number): boolean {
  return c === 10 || c === 13;
}

function isIdentifierChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c >= 128;
}

const PREFIXES = new Set(['r', 'u', 'b', 'f', 'br', 'rb', 'fr', 'rf']);

/** The prefix letters (r, b, u, f) written right before a quote, or '' when there are none. */
export function stringPrefix(src: string, quote: number): string {
  let start = quote;
  while (start > 0 && quote - start < 3 && isIdentifierChar(src.charCodeAt(start - 1))) start--;
  if (start > 0 && isIdentifierChar(src.charCodeAt(start - 1))) return '';
  const letters = src.slice(start, quote);
  return PREFIXES.has(letters.toLowerCase()) ? letters : '';
}

function firstLoneSurrogate(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) i++;
      else return i;
    } else if (c >= 0xdc00 && c <= 0xdfff) return i;
  }
  return 0;
}

// A fast reader for the plain block YAML that rule files are almost always written in: block
// maps and sequences, single-line plain and quoted scalars, literal block scalars, comments and
// `---` separators. It gives exactly the trees the full reader (yaml.ts, on the yaml package)
// gives, several times faster; on anything else (flow collections, anchors, tags, folded or
// multi-line scalars, tabs, errors of any kind) it gives up and the full reader takes the file.
// test/unit/yaml-fast.test.ts holds the two to the same answers on the corpus and on fuzzed
// input.

import type { Position } from '../diagnostics/diagnostic.js';
import type { YEntry, YMap, YNode, YScalar, YSeq } from './yaml.js';

export interface FastDocument {
  /** Offset where the document's text starts (its `---` line, or 0). */
  start: number;
  position: Position;
  tree?: YNode;
}

/** Resolves a plain scalar's text to its value the way the full reader's schema does. */
export type PlainResolver = (text: string) => YScalar['value'];

const GIVE_UP = Symbol('give up');

/** Characters the fast reader does not handle anywhere in a file. */
const UNSUPPORTED = /[\t\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u0085\u2028\u2029\ufeff]/;
/** First characters of a value that need more than a plain or quoted scalar. */
const SPECIAL_START = new Set(['[', ']', '{', '}', ',', '#', '&', '*', '!', '>', '%', '@', '`']);
const MAX_KEY_LENGTH = 1000;
const MAX_DEPTH = 64;

interface Line {
  start: number;
  end: number;
  indent: number;
  /** Blank or comment-only. */
  empty: boolean;
}

export function readFastYaml(text: string, resolvePlain: PlainResolver): FastDocument[] | undefined {
  if (UNSUPPORTED.test(text)) return undefined;
  try {
    return new FastReader(text, resolvePlain).documents();
  } catch (error) {
    if (error === GIVE_UP) return undefined;
    throw error;
  }
}

class FastReader {
  private readonly lines: Line[] = [];
  private i = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly resolvePlain: PlainResolver,
  ) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      let indent = 0;
      while (text.charCodeAt(start + indent) === 32) indent++;
      const first = start + indent < end ? text[start + indent] : undefined;
      this.lines.push({ start, end, indent, empty: first === undefined || first === '#' });
      start = end + 1;
    }
  }

  documents(): FastDocument[] {
    const markers: number[] = [];
    for (let n = 0; n < this.lines.length; n++) {
      const line = this.lines[n]!;
      if (line.indent > 0) continue;
      const content = this.text.slice(line.start, line.end);
      if (content.startsWith('---')) {
        if (!/^---\s*(?:#.*)?$/.test(content) && content !== '---') throw GIVE_UP;
        markers.push(n);
      } else if (content.startsWith('...') || content.startsWith('%')) throw GIVE_UP;
    }
    const segments: Array<{ from: number; to: number; start: number }> = [];
    const firstEnd = markers.length > 0 ? markers[0]! : this.lines.length;
    if (this.lines.slice(0, firstEnd).some((l) => !l.empty)) segments.push({ from: 0, to: firstEnd, start: 0 });
    markers.forEach((m, k) => {
      segments.push({ from: m + 1, to: k + 1 < markers.length ? markers[k + 1]! : this.lines.length, start: this.lines[m]!.start });
    });
    return segments.map((s) => this.document(s.from, s.to, s.start));
  }

  private document(from: number, to: number, start: number): FastDocument {
    this.i = from;
    this.skipEmpty(to);
    // An empty document's (null) content sits right after its `---`.
    if (this.i >= to) return { start, position: this.position(start + 3) };
    const line = this.lines[this.i]!;
    if (line.indent !== 0) throw GIVE_UP;
    const tree = this.block(to, 0, line.start);
    this.skipEmpty(to);
    if (this.i < to || tree.kind !== 'map') throw GIVE_UP;
    return { start, position: this.position(tree.offset), tree };
  }

  private skipEmpty(to: number): void {
    while (this.i < to && this.lines[this.i]!.empty) this.i++;
  }

  /** A map or sequence whose first item starts at `offset`, in column `indent`. */
  private block(to: number, indent: number, offset: number): YMap | YSeq {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    const node = this.isDash(offset) ? this.sequence(to, indent, offset) : this.map(to, indent, offset);
    this.depth--;
    return node;
  }

  private map(to: number, indent: number, offset: number): YMap {
    const entries: YEntry[] = [];
    const keys = new Set<string>();
    let at = offset;
    for (;;) {
      const line = this.lines[this.i]!;
      const key = this.key(at, line.end);
      if (keys.has(key.text)) throw GIVE_UP;
      keys.add(key.text);
      const value = this.value(to, indent, key.after, line);
      entries.push({ key: key.text, keyPos: this.base(at), value });
      const next = this.nextAt(to, indent);
      if (next === undefined || this.isDash(next)) break;
      at = next;
    }
    return { kind: 'map', entries, ...this.base(offset) };
  }

  private sequence(to: number, indent: number, offset: number): YSeq {
    const items: YNode[] = [];
    let at = offset;
    for (;;) {
      const line = this.lines[this.i]!;
      let content = at + 1;
      while (this.text.charCodeAt(content) === 32) content++;
      if (content >= line.end || this.text[content] === '#') {
        if (content < line.end && content === at + 1) throw GIVE_UP;
        this.i++;
        items.push(this.nested(to, indent, Math.min(content, line.end), true));
      } else if (this.isDash(content)) {
        throw GIVE_UP;
      } else if (this.looksLikeKey(content, line.end)) {
        items.push(this.map(to, content - line.start, content));
      } else {
        items.push(this.scalar(to, content, line, indent));
      }
      const next = this.nextAt(to, indent);
      if (next === undefined || !this.isDash(next)) break;
      at = next;
    }
    return { kind: 'seq', items, ...this.base(offset) };
  }

  /** Where the next line at `indent` starts, or undefined where the block ends; a deeper line is not ours. */
  private nextAt(to: number, indent: number): number | undefined {
    this.skipEmpty(to);
    if (this.i >= to) return undefined;
    const next = this.lines[this.i]!;
    if (next.indent < indent) return undefined;
    if (next.indent > indent) throw GIVE_UP;
    return next.start + next.indent;
  }

  /** A sequence item's `-` (followed by a space or the line end) at `at`. */
  private isDash(at: number): boolean {
    return this.text.charCodeAt(at) === 45 && isBlankOrEnd(this.text, at + 1);
  }

  /**
   * The value after `key:` (from `from` on its line). An empty rest means a nested block on
   * the next lines, or null.
   */
  private value(to: number, indent: number, from: number, line: Line): YNode {
    let content = from;
    while (this.text.charCodeAt(content) === 32) content++;
    if (content >= line.end || this.text[content] === '#') {
      if (content < line.end && content === from) throw GIVE_UP;
      this.i++;
      // A null value sits where its content would start (before a comment, or at the line end).
      return this.nested(to, indent, Math.min(content, line.end), false);
    }
    if (content === from) throw GIVE_UP;
    return this.scalar(to, content, line, indent);
  }

  /** What follows a key or a dash with nothing after it on its line: a block, or null. */
  private nested(to: number, indent: number, nullOffset: number, inSequence: boolean): YNode {
    this.skipEmpty(to);
    const next = this.i < to ? this.lines[this.i] : undefined;
    if (next) {
      const at = next.start + next.indent;
      // A sequence may sit at its key's own indentation; anything else must be deeper.
      if (next.indent > indent || (!inSequence && this.isDash(at) && next.indent === indent)) return this.block(to, next.indent, at);
    }
    return this.scalarNode(null, '', nullOffset);
  }

  /** A scalar starting at `content` on `line`; the reader moves past it. */
  private scalar(to: number, content: number, line: Line, indent: number): YScalar {
    const c = this.text[content]!;
    if (c === '|') return this.literal(to, content, line, indent);
    if (c === "'" || c === '"') {
      const { value, end } = c === "'" ? this.singleQuoted(content, line.end) : this.doubleQuoted(content, line.end);
      this.trailing(end, line.end);
      this.i++;
      this.noContinuation(to, indent);
      return this.scalarNode(value, value, content);
    }
    if (SPECIAL_START.has(c) || ((c === '-' || c === '?' || c === ':') && isBlankOrEnd(this.text, content + 1))) {
      throw GIVE_UP;
    }
    const end = plainEnd(this.text, content, line.end);
    const plain = this.text.slice(content, end);
    if (plain.endsWith(':') || plain.includes(': ')) throw GIVE_UP;
    this.i++;
    this.noContinuation(to, indent);
    return this.scalarNode(this.resolvePlain(plain), plain, content);
  }

  /** A plain or quoted scalar continued on deeper lines is a multi-line scalar: not ours. */
  private noContinuation(to: number, indent: number): void {
    let n = this.i;
    while (n < to && this.lines[n]!.empty) n++;
    if (n < to && this.lines[n]!.indent > indent) throw GIVE_UP;
  }

  /**
   * `|` or `|-` and the lines indented deeper than `indent` under it. Keep chomping (`|+`),
   * indentation indicators and the rarer layouts of blank lines are left to the full reader.
   */
  private literal(to: number, indicator: number, line: Line, indent: number): YScalar {
    let p = indicator + 1;
    const strip = this.text[p] === '-';
    if (strip) p++;
    this.trailing(p, line.end);
    this.i++;
    const body: Line[] = [];
    while (this.i < to) {
      const l = this.lines[this.i]!;
      const blank = l.indent === l.end - l.start;
      if (!blank && l.indent <= indent) break;
      body.push(l);
      this.i++;
    }
    let last = body.length;
    while (last > 0 && isBlankLine(body[last - 1]!)) last--;
    const first = body.findIndex((l) => !isBlankLine(l));
    if (first === -1) return this.scalarNode('', '', indicator);
    const trim = body[first]!.indent;
    const parts: string[] = [];
    for (let k = 0; k < body.length; k++) {
      const l = body[k]!;
      const length = l.end - l.start;
      if (isBlankLine(l)) {
        // Blank lines longer than the content's indentation carry spaces the full reader keeps
        // in ways (leading, trailing) this reader does not follow.
        if (length > trim && (k < first || k >= last)) throw GIVE_UP;
        if (k < last) parts.push(this.text.slice(l.start + Math.min(trim, length), l.end));
      } else {
        if (l.indent < trim) throw GIVE_UP;
        parts.push(this.text.slice(l.start + trim, l.end));
      }
    }
    const value = parts.join('\n') + (strip ? '' : '\n');
    return this.scalarNode(value, value, indicator);
  }

  private singleQuoted(start: number, lineEnd: number): { value: string; end: number } {
    let value = '';
    let p = start + 1;
    for (;;) {
      const q = this.text.indexOf("'", p);
      if (q === -1 || q >= lineEnd) throw GIVE_UP;
      value += this.text.slice(p, q);
      if (this.text[q + 1] === "'") {
        value += "'";
        p = q + 2;
      } else return { value, end: q + 1 };
    }
  }

  private doubleQuoted(start: number, lineEnd: number): { value: string; end: number } {
    let value = '';
    for (let p = start + 1; p < lineEnd; p++) {
      const c = this.text[p]!;
      if (c === '"') return { value, end: p + 1 };
      if (c !== '\\') {
        value += c;
        continue;
      }
      const e = this.text[++p];
      const simple = e === undefined ? undefined : ESCAPES[e];
      if (simple !== undefined) value += simple;
      else if (e === 'x' || e === 'u' || e === 'U') {
        const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
        const hex = this.text.slice(p + 1, p + 1 + length);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw GIVE_UP;
        const code = parseInt(hex, 16);
        if (code > 0x10ffff) throw GIVE_UP;
        value += String.fromCodePoint(code);
        p += length;
      } else throw GIVE_UP;
    }
    throw GIVE_UP;
  }

  /** After a quoted scalar or a block indicator: only spaces and a comment may follow. */
  private trailing(from: number, lineEnd: number): void {
    let p = from;
    while (p < lineEnd && this.text.charCodeAt(p) === 32) p++;
    if (p === lineEnd) return;
    if (this.text[p] === '#' && p > from) return;
    throw GIVE_UP;
  }

  private looksLikeKey(content: number, lineEnd: number): boolean {
    const c = this.text[content]!;
    if (c === "'" || c === '"') {
      const { end } = c === "'" ? this.singleQuoted(content, lineEnd) : this.doubleQuoted(content, lineEnd);
      return this.text[end] === ':' && isBlankOrEnd(this.text, end + 1, lineEnd);
    }
    const colon = keyColon(this.text, content, lineEnd);
    return colon !== -1;
  }

  private key(at: number, lineEnd: number): { text: string; colon: number; after: number } {
    const c = this.text[at]!;
    if (c === "'" || c === '"') {
      const { value, end } = c === "'" ? this.singleQuoted(at, lineEnd) : this.doubleQuoted(at, lineEnd);
      if (this.text[end] !== ':' || !isBlankOrEnd(this.text, end + 1, lineEnd)) throw GIVE_UP;
      if (end - at > MAX_KEY_LENGTH) throw GIVE_UP;
      return { text: value, colon: end, after: end + 1 };
    }
    if (SPECIAL_START.has(c) || c === '|' || c === '?' || c === ':' || (c === '-' && isBlankOrEnd(this.text, at + 1))) throw GIVE_UP;
    const colon = keyColon(this.text, at, lineEnd);
    if (colon === -1 || colon - at > MAX_KEY_LENGTH) throw GIVE_UP;
    const key = this.text.slice(at, colon).replace(/ +$/, '');
    if (key === '' || key === '<<') throw GIVE_UP;
    return { text: key, colon, after: colon + 1 };
  }

  private scalarNode(value: YScalar['value'], source: string, offset: number): YScalar {
    return { kind: 'scalar', value, source, ...this.base(offset) };
  }

  private base(offset: number): { offset: number; line: number; col: number } {
    return { offset, ...this.position(offset) };
  }

  private position(offset: number): Position {
    // Lines are few and ordered: a binary search finds the one holding the offset.
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - this.lines[lo]!.start + 1 };
  }
}

const ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
};

function isBlankLine(line: Line): boolean {
  return line.indent === line.end - line.start;
}

function isBlankOrEnd(text: string, at: number, lineEnd = -1): boolean {
  const c = text[at];
  return c === undefined || c === ' ' || c === '\n' || at === lineEnd;
}

/** The colon that ends a plain key (`key: ` or `key:` at the end of the line), or -1. */
function keyColon(text: string, from: number, lineEnd: number): number {
  for (let p = from; p < lineEnd; p++) {
    const c = text.charCodeAt(p);
    if (c === 58 /* : */ && (p + 1 === lineEnd || text.charCodeAt(p + 1) === 32)) return p;
    if (c === 35 /* # */ && p > from && text.charCodeAt(p - 1) === 32) return -1;
  }
  return -1;
}

/** End of a plain scalar on one line: before a ` #` comment, trailing spaces trimmed. */
function plainEnd(text: string, from: number, lineEnd: number): number {
  let end = lineEnd;
  for (let p = from + 1; p < lineEnd; p++) {
    if (text.charCodeAt(p) === 35 && text.charCodeAt(p - 1) === 32) {
      end = p;
      break;
    }
  }
  while (end > from && text.charCodeAt(end - 1) === 32) end--;
  return end;
}

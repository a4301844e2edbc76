// A fast reader for the plain block YAML that rule files are almost always written in: block
// maps and sequences, plain scalars (also over several lines), single-line quoted scalars,
// literal and folded block scalars, JSON-like flow collections (test logs), comments and `---`
// separators. It gives exactly the trees the full reader (yaml.ts, on the yaml package) gives,
// several times faster; on anything else (anchors, tags, multi-line quoted scalars, flow
// collections beyond the JSON-like subset, tabs, errors of any kind) it gives up and the full
// reader takes the file. test/unit/yaml-fast.test.ts holds the two to the same answers on the
// corpora and on fuzzed input.

import type { Position } from '../diagnostics/diagnostic.js';
import type { YBase, YEntry, YMap, YNode, YScalar, YSeq } from './yaml.js';

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
/** First characters of a line continuing a plain scalar that could be read as something else. */
const CONTINUATION_START = new Set([...'-?:,[]{}#&*!|>\'"%@`']);
/** First characters of a plain scalar in a flow collection that need more than this reader. */
const FLOW_SPECIAL_START = new Set([...',[]{}#&*!|>\'"%@`']);
/** Where a plain scalar in a flow collection stops (or becomes more than this reader reads). */
const FLOW_PLAIN_STOP = new Set([...',[]{}:#\n']);
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
        if (!/^---(?:\s+(?:#.*)?)?$/.test(content)) throw GIVE_UP;
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
    const keys = new KeySet(this.resolvePlain);
    let at = offset;
    for (;;) {
      const line = this.lines[this.i]!;
      const key = this.key(at, line.end);
      keys.add(key.text, key.quoted);
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
      } else if (!isFlowStart(this.text[content]!) && this.looksLikeKey(content, line.end)) {
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

  /**
   * What follows a key or a dash with nothing after it on its line: a block, a value on the
   * next (deeper) line, or null.
   */
  private nested(to: number, indent: number, nullOffset: number, inSequence: boolean): YNode {
    this.skipEmpty(to);
    const next = this.i < to ? this.lines[this.i] : undefined;
    if (next) {
      const at = next.start + next.indent;
      // A sequence may sit at its key's own indentation; anything else must be deeper.
      if (this.isDash(at) && (next.indent > indent || (!inSequence && next.indent === indent))) return this.block(to, next.indent, at);
      if (next.indent > indent) {
        const c = this.text[at]!;
        if (isFlowStart(c)) return this.scalar(to, at, next, indent);
        if (this.looksLikeKey(at, next.end)) return this.block(to, next.indent, at);
        // A block scalar's header on a line of its own indents its content in ways left to the full reader.
        if (c === '|' || c === '>') throw GIVE_UP;
        return this.scalar(to, at, next, indent);
      }
    }
    return this.scalarNode(null, '', nullOffset);
  }

  /**
   * A value starting at `content` on `line` (not a block collection): a scalar or a flow
   * collection. `indent` is the indentation of the block holding it; the reader moves past it.
   */
  private scalar(to: number, content: number, line: Line, indent: number): YNode {
    const c = this.text[content]!;
    if (c === '|' || c === '>') return this.blockScalar(to, content, line, indent);
    if (isFlowStart(c)) return this.flow(to, content, indent);
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
    return this.plain(to, content, line, indent);
  }

  /**
   * A plain scalar: its first line, and the deeper lines that continue it. Lines fold the way
   * YAML folds them: a line break between two lines becomes a space, and `n` blank lines
   * between them become `n` line breaks.
   */
  private plain(to: number, content: number, line: Line, indent: number): YScalar {
    const end = plainEnd(this.text, content, line.end);
    let text = this.text.slice(content, end);
    if (text.endsWith(':') || text.includes(': ')) throw GIVE_UP;
    this.i++;
    // After a comment the scalar cannot go on (a deeper line then is an error).
    if (!hasComment(this.text, end, line.end)) {
      let blanks = 0;
      for (let n = this.i; n < to; n++) {
        const l = this.lines[n]!;
        if (isBlankLine(l)) {
          blanks++;
          continue;
        }
        if (l.empty || l.indent <= indent) break;
        text += (blanks > 0 ? '\n'.repeat(blanks) : ' ') + this.continuation(l);
        blanks = 0;
        this.i = n + 1;
      }
    }
    this.noContinuation(to, indent);
    return this.scalarNode(this.resolvePlain(text), text, content);
  }

  /** A line continuing a plain scalar, trimmed; lines that might be read any other way are not ours. */
  private continuation(l: Line): string {
    const from = l.start + l.indent;
    const end = plainEnd(this.text, from, l.end);
    const text = this.text.slice(from, end);
    if (hasComment(this.text, end, l.end)) throw GIVE_UP;
    if (CONTINUATION_START.has(text[0]!) || text.endsWith(':') || text.includes(': ')) throw GIVE_UP;
    return text;
  }

  /** A plain or quoted scalar continued on deeper lines is a multi-line scalar: not ours. */
  private noContinuation(to: number, indent: number): void {
    let n = this.i;
    while (n < to && this.lines[n]!.empty) n++;
    if (n < to && this.lines[n]!.indent > indent) throw GIVE_UP;
  }

  /**
   * `|` (literal) or `>` (folded), optionally with `-` or `+` chomping, and the lines indented
   * deeper than `indent` under it. Indentation indicators and the rarer layouts of blank lines
   * are left to the full reader.
   */
  private blockScalar(to: number, indicator: number, line: Line, indent: number): YScalar {
    const folded = this.text[indicator] === '>';
    let p = indicator + 1;
    const chomp = this.text[p] === '-' || this.text[p] === '+' ? this.text[p++]! : '';
    this.trailing(p, line.end);
    this.i++;
    const value = this.blockText(this.blockLines(to, indent), folded, chomp);
    return this.scalarNode(value, value, indicator);
  }

  /** The lines of a block scalar: blank ones, and those deeper than `indent`. */
  private blockLines(to: number, indent: number): Line[] {
    const body: Line[] = [];
    while (this.i < to) {
      const l = this.lines[this.i]!;
      if (!isBlankLine(l) && l.indent <= indent) break;
      body.push(l);
      this.i++;
    }
    return body;
  }

  /** A block scalar's value from its lines, the content's indentation being its first text line's. */
  private blockText(body: Line[], folded: boolean, chomp: string): string {
    let last = body.length;
    while (last > 0 && isBlankLine(body[last - 1]!)) last--;
    const first = body.findIndex((l) => !isBlankLine(l));
    if (first === -1) {
      // Keep chomping of blank lines only is left to the full reader.
      if (chomp === '+') throw GIVE_UP;
      return '';
    }
    const trim = body[first]!.indent;
    for (let k = 0; k < body.length; k++) {
      const l = body[k]!;
      // Blank lines longer than the content's indentation carry spaces the full reader keeps
      // in ways (leading, trailing, folded) this reader does not follow.
      if (isBlankLine(l) && l.end - l.start > trim && (folded || k < first || k >= last)) throw GIVE_UP;
      if (!isBlankLine(l) && l.indent < trim) throw GIVE_UP;
    }
    // A blank line keeps the spaces beyond the content's indentation (only literal ones have any).
    const lines = body.slice(first, last).map((l) => this.text.slice(l.start + Math.min(trim, l.end - l.start), l.end));
    const value = '\n'.repeat(first) + (folded ? foldLines(lines) : lines.join('\n'));
    if (chomp === '-') return value;
    if (chomp === '') return value + '\n';
    // Keep chomping keeps the line breaks of the (terminated) blank lines after the content too.
    return value + '\n'.repeat(1 + body.slice(last).filter((l) => l.end < this.text.length).length);
  }

  /**
   * A flow collection starting at `start` (its `[` or `{`) in a block of indentation `indent`;
   * the reader moves to the line after its end. Only a JSON-like subset is read (see FlowReader).
   */
  private flow(to: number, start: number, indent: number): YMap | YSeq {
    const reader = new FlowReader(this.text, indent + 1, this.resolvePlain, (offset) => this.base(offset), this.depth);
    const node = reader.collection(start);
    const endLine = this.lineIndex(reader.p);
    if (endLine >= to) throw GIVE_UP;
    this.trailing(reader.p, this.lines[endLine]!.end);
    this.i = endLine + 1;
    this.noContinuation(to, indent);
    return node;
  }

  private singleQuoted(start: number, lineEnd: number): { value: string; end: number } {
    return singleQuoted(this.text, start, lineEnd);
  }

  private doubleQuoted(start: number, lineEnd: number): { value: string; end: number } {
    return doubleQuoted(this.text, start, lineEnd);
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

  private key(at: number, lineEnd: number): { text: string; quoted: boolean; after: number } {
    const c = this.text[at]!;
    if (c === "'" || c === '"') {
      const { value, end } = c === "'" ? this.singleQuoted(at, lineEnd) : this.doubleQuoted(at, lineEnd);
      if (this.text[end] !== ':' || !isBlankOrEnd(this.text, end + 1, lineEnd)) throw GIVE_UP;
      if (end - at > MAX_KEY_LENGTH) throw GIVE_UP;
      return { text: value, quoted: true, after: end + 1 };
    }
    if (SPECIAL_START.has(c) || c === '|' || c === '?' || c === ':' || (c === '-' && isBlankOrEnd(this.text, at + 1))) throw GIVE_UP;
    const colon = keyColon(this.text, at, lineEnd);
    if (colon === -1 || colon - at > MAX_KEY_LENGTH) throw GIVE_UP;
    let end = colon;
    while (end > at && this.text.charCodeAt(end - 1) === 32) end--;
    const key = this.text.slice(at, end);
    if (key === '' || key === '<<') throw GIVE_UP;
    return { text: key, quoted: false, after: colon + 1 };
  }

  private scalarNode(value: YScalar['value'], source: string, offset: number): YScalar {
    return { kind: 'scalar', value, source, ...this.base(offset) };
  }

  private base(offset: number): { offset: number; line: number; col: number } {
    return { offset, ...this.position(offset) };
  }

  private position(offset: number): Position {
    const n = this.lineIndex(offset);
    return { line: n + 1, col: offset - this.lines[n]!.start + 1 };
  }

  private lineIndex(offset: number): number {
    // Lines are few and ordered: a binary search finds the one holding the offset.
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

/**
 * The keys of one map, compared the way the full reader compares them (by value: `1` and `1.0`
 * are the same key, `1` and `"1"` are not); a repeated key is an error there, so not ours.
 */
class KeySet {
  private readonly seen = new Set<string>();

  constructor(private readonly resolvePlain: PlainResolver) {}

  add(text: string, quoted: boolean): void {
    const value = quoted ? text : this.resolvePlain(text);
    // A value kept as other text (`.inf`, `.NaN`) stands for a number compared in ways not followed here.
    if (typeof value === 'string' && value !== text) throw GIVE_UP;
    const id = typeof value === 'string' ? `s${value}` : `${typeof value}:${String(value)}`;
    if (this.seen.has(id)) throw GIVE_UP;
    this.seen.add(id);
  }
}

/**
 * Reads one flow collection, restricted to the JSON-like subset test logs are written in:
 * quoted scalars on one line, plain scalars without `:` or `#` (the characters that make flow
 * plain scalars tricky), nested collections and trailing commas. Every line it spans must be
 * indented at least `minIndent` (deeper than the block holding it). Comments inside it, empty
 * entries, `[a: b]` pairs, `? ` keys, anchors, aliases and tags are left to the full reader.
 */
class FlowReader {
  /** Offset of the next character to read. */
  p = 0;

  constructor(
    private readonly text: string,
    private readonly minIndent: number,
    private readonly resolvePlain: PlainResolver,
    private readonly base: (offset: number) => YBase,
    private depth: number,
  ) {}

  /** The collection whose `[` or `{` is at `start`; the reader stops after its closing bracket. */
  collection(start: number): YMap | YSeq {
    if (++this.depth > MAX_DEPTH) throw GIVE_UP;
    this.p = start + 1;
    this.space();
    const node = this.text[start] === '{' ? this.map(start) : this.sequence(start);
    this.p++;
    this.depth--;
    return node;
  }

  private map(start: number): YMap {
    const entries: YEntry[] = [];
    const keys = new KeySet(this.resolvePlain);
    while (this.text[this.p] !== '}') {
      const at = this.p;
      const key = this.key();
      keys.add(key.text, key.quoted);
      entries.push({ key: key.text, keyPos: this.base(at), value: this.node() });
      if (!this.separator('}')) break;
    }
    return { kind: 'map', entries, ...this.base(start) };
  }

  private sequence(start: number): YSeq {
    const items: YNode[] = [];
    while (this.text[this.p] !== ']') {
      items.push(this.node());
      if (!this.separator(']')) break;
    }
    return { kind: 'seq', items, ...this.base(start) };
  }

  /**
   * After an entry: a comma (true; the reader is then at the next entry or the closing
   * bracket), or the closing bracket (false). A `:` here would make a pair of a sequence item.
   */
  private separator(close: string): boolean {
    this.space();
    const c = this.text[this.p];
    if (c === close) return false;
    if (c !== ',') throw GIVE_UP;
    this.p++;
    this.space();
    return true;
  }

  /** A key and its `:` on one line (implicit keys cannot span lines); the reader moves to the value. */
  private key(): { text: string; quoted: boolean } {
    const at = this.p;
    const c = this.text[at]!;
    let key: { text: string; quoted: boolean };
    if (c === '"' || c === "'") {
      const { value, end } = (c === "'" ? singleQuoted : doubleQuoted)(this.text, at, lineEndAt(this.text, at));
      this.p = end;
      while (this.text[this.p] === ' ') this.p++;
      key = { text: value, quoted: true };
    } else {
      const text = this.plainText();
      // After a plain key the `:` needs a space (`a:b` is one scalar).
      if (!isBlankOrEnd(this.text, this.p + 1) || text === '<<') throw GIVE_UP;
      key = { text, quoted: false };
    }
    if (this.text[this.p] !== ':' || this.p - at > MAX_KEY_LENGTH) throw GIVE_UP;
    this.p++;
    this.space();
    return key;
  }

  private node(): YNode {
    const start = this.p;
    const c = this.text[start]!;
    if (isFlowStart(c)) return this.collection(start);
    if (c === '"' || c === "'") {
      const { value, end } = (c === "'" ? singleQuoted : doubleQuoted)(this.text, start, lineEndAt(this.text, start));
      this.p = end;
      return { kind: 'scalar', value, source: value, ...this.base(start) };
    }
    const text = this.plainText();
    // A colon after a value makes it an implicit key (`[a: b]`, `{a: b: c}`).
    if (this.text[this.p] === ':') throw GIVE_UP;
    return { kind: 'scalar', value: this.resolvePlain(text), source: text, ...this.base(start) };
  }

  /**
   * A plain scalar on one line, up to a flow indicator, a `:` or the line end (trailing spaces
   * trimmed); the reader stops at that character. One that goes on after a line break is
   * caught by the caller, which then finds neither a `,` nor a closing bracket.
   */
  private plainText(): string {
    const start = this.p;
    const c = this.text[start];
    if (c === undefined || FLOW_SPECIAL_START.has(c)) throw GIVE_UP;
    if ((c === '-' || c === '?' || c === ':') && !isPlainSafe(this.text[start + 1])) throw GIVE_UP;
    let p = start;
    while (p < this.text.length && !FLOW_PLAIN_STOP.has(this.text[p]!)) p++;
    if (this.text[p] === '#') throw GIVE_UP;
    this.p = p;
    while (p > start && this.text.charCodeAt(p - 1) === 32) p--;
    return this.text.slice(start, p);
  }

  /** Spaces and line breaks between tokens; each new line must be indented enough. */
  private space(): void {
    for (;;) {
      const c = this.text[this.p];
      if (c === ' ') this.p++;
      else if (c === '\n') {
        this.p++;
        let q = this.p;
        while (this.text.charCodeAt(q) === 32) q++;
        const blank = q >= this.text.length || this.text[q] === '\n';
        if (!blank && q - this.p < this.minIndent) throw GIVE_UP;
        this.p = q;
      } else if (c === '#') throw GIVE_UP;
      else return;
    }
  }
}

function singleQuoted(text: string, start: number, lineEnd: number): { value: string; end: number } {
  let value = '';
  let p = start + 1;
  for (;;) {
    const q = text.indexOf("'", p);
    if (q === -1 || q >= lineEnd) throw GIVE_UP;
    value += text.slice(p, q);
    if (text[q + 1] === "'") {
      value += "'";
      p = q + 2;
    } else return { value, end: q + 1 };
  }
}

/** A double-quoted scalar on one line, with YAML's escapes. */
function doubleQuoted(text: string, start: number, lineEnd: number): { value: string; end: number } {
  let value = '';
  let p = start + 1;
  for (;;) {
    // Runs of ordinary characters are copied whole (test logs are mostly quoted strings).
    QUOTE_OR_ESCAPE.lastIndex = p;
    const stop = QUOTE_OR_ESCAPE.exec(text)?.index ?? -1;
    if (stop === -1 || stop >= lineEnd) throw GIVE_UP;
    value += text.slice(p, stop);
    if (text[stop] === '"') return { value, end: stop + 1 };
    const e = text[stop + 1];
    p = stop + 2;
    const simple = e === undefined ? undefined : ESCAPES[e];
    if (simple !== undefined) value += simple;
    else if (e === 'x' || e === 'u' || e === 'U') {
      const length = e === 'x' ? 2 : e === 'u' ? 4 : 8;
      const hex = text.slice(p, p + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw GIVE_UP;
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) throw GIVE_UP;
      value += String.fromCodePoint(code);
      p += length;
    } else throw GIVE_UP;
  }
}

const QUOTE_OR_ESCAPE = /["\\]/g;

/**
 * YAML's folding of a folded block scalar's lines (its first to last non-blank line, blank
 * ones as '', indentation removed): a line break between two text lines becomes a space, a
 * blank line a line break, and lines indented more than the rest keep the breaks around them.
 * This follows the yaml package's resolveBlockScalar step for step.
 */
function foldLines(lines: string[]): string {
  let value = '';
  let sep = '';
  let prevMoreIndented = false;
  for (const line of lines) {
    if (line.startsWith(' ')) {
      if (sep === ' ') sep = '\n';
      else if (!prevMoreIndented && sep === '\n') sep = '\n\n';
      value += sep + line;
      sep = '\n';
      prevMoreIndented = true;
    } else if (line === '') {
      if (sep === '\n') value += '\n';
      else sep = '\n';
    } else {
      value += sep + line;
      sep = ' ';
      prevMoreIndented = false;
    }
  }
  return value;
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

function isFlowStart(c: string): boolean {
  return c === '[' || c === '{';
}

/** Whether a `-`, `?` or `:` followed by `c` starts a plain scalar in a flow collection. */
function isPlainSafe(c: string | undefined): boolean {
  return c !== undefined && c !== ' ' && c !== '\n' && !FLOW_PLAIN_STOP.has(c);
}

function lineEndAt(text: string, at: number): number {
  const end = text.indexOf('\n', at);
  return end === -1 ? text.length : end;
}

/** Whether a comment follows `from` (the end of a plain scalar) on its line. */
function hasComment(text: string, from: number, lineEnd: number): boolean {
  let p = from;
  while (p < lineEnd && text.charCodeAt(p) === 32) p++;
  return p < lineEnd;
}

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

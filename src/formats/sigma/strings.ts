// Sigma string values: literal text interrupted by wildcards and placeholders, and the
// transformations the value modifiers apply to them (windash, base64, UTF-16, expand).

import { toPlainMatch, serializePattern, type PatternToken } from '../../ast/wildcard.js';

export type Special = { special: '*' | '?' } | { placeholder: string };
export type Part = string | Special;

export interface SigmaString {
  kind: 'string';
  parts: Part[];
  cased: boolean;
  /** True once an encoding modifier turned the text into bytes (one char per byte). */
  binary: boolean;
}

const STAR: Special = { special: '*' };
const QMARK: Special = { special: '?' };

export function isSpecial(part: Part): part is Special {
  return typeof part !== 'string';
}

/**
 * Reads a value as Sigma defines it: `*` and `?` are wildcards; a backslash escapes a
 * following `*`, `?` or backslash and is a plain backslash before anything else.
 */
export function parseSigmaString(raw: string): SigmaString {
  const parts: Part[] = [];
  let acc = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\') {
      const next = raw[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        acc += next;
        i++;
      } else acc += '\\';
    } else if (c === '*' || c === '?') {
      if (acc) parts.push(acc);
      acc = '';
      parts.push(c === '*' ? STAR : QMARK);
    } else acc += c;
  }
  if (acc) parts.push(acc);
  return { kind: 'string', parts, cased: false, binary: false };
}

export function plainString(text: string): SigmaString {
  return { kind: 'string', parts: text ? [text] : [], cased: false, binary: false };
}

function withParts(s: SigmaString, parts: Part[]): SigmaString {
  return { ...s, parts: mergeText(parts) };
}

function mergeText(parts: Part[]): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      if (!p) continue;
      const last = out[out.length - 1];
      if (typeof last === 'string') out[out.length - 1] = last + p;
      else out.push(p);
    } else out.push(p);
  }
  return out;
}

export function hasWildcard(s: SigmaString): boolean {
  return s.parts.some((p) => isSpecial(p) && 'special' in p);
}

export function hasPlaceholder(s: SigmaString): boolean {
  return s.parts.some((p) => isSpecial(p) && 'placeholder' in p);
}

export function placeholderNames(s: SigmaString): string[] {
  return s.parts.flatMap((p) => (isSpecial(p) && 'placeholder' in p ? [p.placeholder] : []));
}

/** The text of a string without specials (callers check hasWildcard/hasPlaceholder first). */
export function textOf(s: SigmaString): string {
  return s.parts.filter((p): p is string => typeof p === 'string').join('');
}

function startsWithStar(s: SigmaString): boolean {
  const first = s.parts[0];
  return first !== undefined && isSpecial(first) && 'special' in first && first.special === '*';
}

function endsWithStar(s: SigmaString): boolean {
  const last = s.parts[s.parts.length - 1];
  return last !== undefined && isSpecial(last) && 'special' in last && last.special === '*';
}

/** contains / startswith / endswith: wildcards around the value unless already there. */
export function surround(s: SigmaString, leading: boolean, trailing: boolean): SigmaString {
  const parts = [...s.parts];
  if (leading && !startsWithStar(s)) parts.unshift(STAR);
  if (trailing && !endsWithStar(s)) parts.push(STAR);
  return withParts(s, parts);
}

const DASHES = ['-', '/', '\u2013', '\u2014', '\u2015'];
const WORD = /[\p{L}\p{N}_]/u;

/**
 * windash: every `-` or `/` that starts a word after a non-word character (a command-line
 * flag) becomes each of - / – — ―, in all combinations. The order matches pySigma's:
 * the first flag varies slowest.
 */
export function expandWindash(s: SigmaString, limit: number): SigmaString[] | undefined {
  // Split the text parts at flag positions; a null marks a flag character.
  const pieces: Array<Part | null> = [];
  for (const part of s.parts) {
    if (typeof part !== 'string') {
      pieces.push(part);
      continue;
    }
    let start = 0;
    for (let i = 0; i < part.length; i++) {
      const c = part[i]!;
      if (c !== '-' && c !== '/') continue;
      const prevIsWord = i > 0 && WORD.test(part[i - 1]!);
      const next = part[i + 1];
      if (!prevIsWord && next !== undefined && WORD.test(next)) {
        if (i > start) pieces.push(part.slice(start, i));
        pieces.push(null);
        start = i + 1;
      }
    }
    if (start < part.length) pieces.push(part.slice(start));
  }
  const flags = pieces.filter((p) => p === null).length;
  if (DASHES.length ** flags > limit) return undefined;
  let variants: Part[][] = [[]];
  for (const piece of pieces) {
    if (piece === null) variants = variants.flatMap((v) => DASHES.map((d) => [...v, d]));
    else variants = variants.map((v) => [...v, piece]);
  }
  return variants.map((parts) => withParts(s, parts));
}

/** The bytes a string stands for: its UTF-8 encoding, or itself once encoded. */
export function bytesOf(s: SigmaString): Uint8Array {
  const text = textOf(s);
  if (!s.binary) return new TextEncoder().encode(text);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

export type Utf16Variant = 'le' | 'be' | 'bom';

/** utf16le / wide, utf16be, utf16 (little-endian after a byte-order mark); wildcards stay. */
export function encodeUtf16(s: SigmaString, variant: Utf16Variant): SigmaString {
  const parts: Part[] = s.parts.map((p) => {
    if (typeof p !== 'string') return p;
    let out = '';
    for (let i = 0; i < p.length; i++) {
      const unit = p.charCodeAt(i);
      const lo = String.fromCharCode(unit & 0xff);
      const hi = String.fromCharCode(unit >> 8);
      out += variant === 'be' ? hi + lo : lo + hi;
    }
    return out;
  });
  if (variant === 'bom') parts.unshift('\xff\xfe');
  return { ...s, parts: mergeText(parts), binary: true };
}

export function base64(s: SigmaString): SigmaString {
  return plainString(Buffer.from(bytesOf(s)).toString('base64'));
}

/**
 * base64offset: the three encodings of the value at byte offsets 0, 1 and 2 inside a larger
 * base64 text, trimmed to the characters that do not depend on the surrounding bytes.
 */
export function base64Offsets(s: SigmaString): SigmaString[] {
  const bytes = bytesOf(s);
  const starts = [0, 2, 3];
  const ends = [undefined, -3, -2];
  const out: SigmaString[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const padded = new Uint8Array(shift + bytes.length);
    padded.fill(0x20, 0, shift);
    padded.set(bytes, shift);
    const encoded = Buffer.from(padded).toString('base64');
    const end = ends[(bytes.length + shift) % 3];
    out.push(plainString(encoded.slice(starts[shift], end)));
  }
  return out;
}

const PLACEHOLDER = /(?<!\\)%([^%]+)%/g;

/** expand: `%name%` becomes a placeholder; `\%` is a plain percent sign. */
export function insertPlaceholders(s: SigmaString): SigmaString {
  const parts: Part[] = [];
  for (const part of s.parts) {
    if (typeof part !== 'string') {
      parts.push(part);
      continue;
    }
    let last = 0;
    for (const m of part.matchAll(PLACEHOLDER)) {
      parts.push(part.slice(last, m.index).replace(/\\%/g, '%'));
      parts.push({ placeholder: m[1]! });
      last = m.index! + m[0].length;
    }
    parts.push(part.slice(last).replace(/\\%/g, '%'));
  }
  return withParts(s, parts);
}

/** Replaces placeholders by each of their values (read as Sigma strings), in all combinations. */
export function resolvePlaceholders(s: SigmaString, values: (name: string) => string[] | undefined): SigmaString[] {
  let variants: Part[][] = [[]];
  for (const part of s.parts) {
    const list = isSpecial(part) && 'placeholder' in part ? values(part.placeholder) : undefined;
    if (list) variants = variants.flatMap((v) => list.map((value) => [...v, ...parseSigmaString(value).parts]));
    else variants = variants.map((v) => [...v, part]);
  }
  return variants.map((parts) => withParts(s, parts));
}

/** The wildcard-pattern tokens of a string without placeholders. */
export function patternTokens(s: SigmaString): PatternToken[] {
  return s.parts.map((p) => (typeof p === 'string' ? { lit: p } : 'special' in p ? p.special : { lit: '' }));
}

/** The AST operator and value for a string: a plain match where possible, else a wildcard pattern. */
export function stringMatch(s: SigmaString): { op: 'eq' | 'contains' | 'startswith' | 'endswith' | 'wildcard'; value: string } {
  const tokens = patternTokens(s);
  return toPlainMatch(tokens) ?? { op: 'wildcard', value: serializePattern(tokens) };
}

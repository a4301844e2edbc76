// Python literal text to values: string and bytes escapes, f-string braces, numbers.
// Decoding follows CPython's rules, including its leniency (an unknown escape such as `\d`
// stays as written) and its errors (a truncated `\x`), so that values equal Python's.

export class LiteralError extends Error {
  constructor(
    message: string,
    /** Offset of the problem within the literal's body. */
    readonly at: number,
  ) {
    super(message);
  }
}

export interface DecodeOptions {
  raw: boolean;
  bytes: boolean;
  /** An f-string's literal part: `{{` and `}}` stand for one brace, and `\{` is a backslash. */
  formatted: boolean;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** Decodes the body of a string literal (between the quotes) to its text. */
export function decodeString(body: string, options: DecodeOptions): string {
  // Python reads source with universal newlines, so a literal never holds \r\n or a lone \r.
  const text = body.includes('\r') ? body.replace(/\r\n?/g, '\n') : body;
  const plain = options.raw || !text.includes('\\');
  if (plain && !(options.formatted && (text.includes('{{') || text.includes('}}')))) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (options.formatted && (c === '{' || c === '}') && text[i + 1] === c) {
      out += c;
      i += 2;
      continue;
    }
    if (c !== '\\' || options.raw) {
      out += c;
      i++;
      continue;
    }
    const next = text[i + 1];
    if (next === undefined) {
      out += c;
      break;
    }
    if (next === '\n') {
      i += 2;
      continue;
    }
    if (options.formatted && next === '{') {
      out += '\\';
      i++;
      continue;
    }
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
      i += 2;
      continue;
    }
    if (next >= '0' && next <= '7') {
      let j = i + 1;
      while (j < i + 4 && j < text.length && text[j]! >= '0' && text[j]! <= '7') j++;
      const value = parseInt(text.slice(i + 1, j), 8);
      out += String.fromCharCode(options.bytes ? value & 0xff : value);
      i = j;
      continue;
    }
    if (next === 'x') {
      out += String.fromCharCode(hexEscape(text, i, 2, options.bytes ? 'invalid \\x escape at position ' + i : 'truncated \\xXX escape'));
      i += 4;
      continue;
    }
    if (!options.bytes && (next === 'u' || next === 'U')) {
      const digits = next === 'u' ? 4 : 8;
      const code = hexEscape(text, i, digits, `truncated \\${next}${'X'.repeat(digits)} escape`);
      if (code > 0x10ffff) throw new LiteralError('illegal Unicode character', i);
      out += String.fromCodePoint(code);
      i += 2 + digits;
      continue;
    }
    if (!options.bytes && next === 'N') {
      throw new LiteralError('named Unicode escapes (\\N{...}) are not supported', i);
    }
    // an unknown escape keeps its backslash
    out += c;
    i++;
  }
  return out;
}

function hexEscape(text: string, at: number, digits: number, message: string): number {
  const hex = text.slice(at + 2, at + 2 + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) throw new LiteralError(message, at);
  return parseInt(hex, 16);
}

/** The bytes of a bytes literal's decoded text, whose characters are all below 256. */
export function toBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** Bytes literals may only be written with ASCII characters (escapes give the rest). */
export function firstNonAscii(body: string): number {
  for (let i = 0; i < body.length; i++) if (body.charCodeAt(i) > 127) return i;
  return -1;
}

// ---- numbers ----

export type NumberValue = number | bigint | { kind: 'float'; value: number } | { kind: 'complex'; imag: number };

/** The value of a number literal as the grammar matched it (digits, `_`, prefixes, `.`, `e`, `j`). */
export function numberValue(text: string): NumberValue {
  const clean = text.includes('_') ? text.replace(/_/g, '') : text;
  const last = clean[clean.length - 1];
  if (last === 'j' || last === 'J') return { kind: 'complex', imag: Number(clean.slice(0, -1)) };
  const second = clean[1];
  if (clean[0] === '0' && second !== undefined && /[xXoObB]/.test(second)) return integer(BigInt(clean));
  if (/[.eE]/.test(clean)) return { kind: 'float', value: Number(clean) };
  if (clean.length > 1 && clean[0] === '0' && /[1-9]/.test(clean)) {
    throw new LiteralError('leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers', 0);
  }
  return clean.length <= 15 ? Number(clean) : integer(BigInt(clean));
}

function integer(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

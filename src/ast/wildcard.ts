// Wildcard patterns, the value syntax of the `wildcard` operator (and of Sigma strings).
//
// `*` matches any sequence (also empty), `?` exactly one character. A backslash escapes the
// character after it only when that is `*`, `?` or another backslash; before anything else it
// is a plain backslash, so Windows paths need no doubling: `C:\Windows\*\cmd.exe`.

export type PatternToken = { lit: string } | '*' | '?';

export function parsePattern(text: string): PatternToken[] {
  const tokens: PatternToken[] = [];
  let lit = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      const next = text[i + 1];
      if (next === '*' || next === '?' || next === '\\') {
        lit += next;
        i++;
      } else {
        lit += '\\';
      }
    } else if (c === '*' || c === '?') {
      if (lit) tokens.push({ lit });
      lit = '';
      tokens.push(c);
    } else {
      lit += c;
    }
  }
  if (lit) tokens.push({ lit });
  return tokens;
}

/** The shortest text that parsePattern reads back as the same tokens. */
export function serializePattern(tokens: PatternToken[]): string {
  const chars: Array<{ c: string; special: boolean }> = [];
  for (const t of tokens) {
    if (typeof t === 'string') chars.push({ c: t, special: true });
    else for (const c of t.lit) chars.push({ c, special: false });
  }
  let out = '';
  for (let i = 0; i < chars.length; i++) {
    const { c, special } = chars[i]!;
    if (special) out += c;
    else if (c === '*' || c === '?') out += '\\' + c;
    else if (c === '\\') {
      const next = chars[i + 1];
      // A literal backslash needs doubling only where the reader would take it as an escape.
      out += next && (next.special || next.c === '*' || next.c === '?' || next.c === '\\') ? '\\\\' : '\\';
    } else out += c;
  }
  return out;
}

/** Escapes a literal string so that it reads as itself in a pattern. */
export function escapeLiteral(text: string): string {
  return serializePattern(text ? [{ lit: text }] : []);
}

export function hasWildcards(tokens: PatternToken[]): boolean {
  return tokens.some((t) => typeof t === 'string');
}

export type PlainMatch = { op: 'eq' | 'contains' | 'startswith' | 'endswith'; value: string };

/**
 * The plain operator a pattern amounts to, when its only wildcards are a leading and/or
 * trailing `*`: `*x*` is contains x, `x*` startswith x, `*x` endswith x, `x` eq x.
 * Anything else (inner wildcards, `?`, a lone `*`) stays a wildcard pattern.
 */
export function toPlainMatch(tokens: PatternToken[]): PlainMatch | undefined {
  let start = 0;
  let end = tokens.length;
  const leading = tokens[0] === '*';
  const trailing = tokens.length > 1 && tokens[tokens.length - 1] === '*';
  if (leading) start++;
  if (trailing) end--;
  const middle = tokens.slice(start, end);
  if (middle.length > 1 || (middle.length === 1 && typeof middle[0] === 'string')) return undefined;
  if (middle.length === 0 && (leading || trailing)) return undefined;
  const value = middle.length === 1 ? (middle[0] as { lit: string }).lit : '';
  const op = leading && trailing ? 'contains' : leading ? 'endswith' : trailing ? 'startswith' : 'eq';
  return { op, value };
}

const regexCache = new Map<string, RegExp>();

/**
 * Whether the text matches the pattern. Ignoring case means comparing the lower-cased text with
 * the lower-cased pattern, as every other text test does; a regular expression's own case
 * folding (`/i`) would pair characters differently (`ſ` with `s`, `µ` with `μ`).
 */
export function wildcardMatches(pattern: string, text: string, cased: boolean): boolean {
  return cased ? patternToRegExp(pattern, false).test(text) : patternToRegExp(pattern.toLowerCase(), false).test(text.toLowerCase());
}

/** An anchored regular expression for the pattern (dot matches newlines). */
export function patternToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = (caseInsensitive ? 'i:' : 'c:') + pattern;
  let re = regexCache.get(key);
  if (!re) {
    let source = '';
    for (const t of parsePattern(pattern)) {
      if (t === '*') source += '[\\s\\S]*';
      else if (t === '?') source += '[\\s\\S]';
      else source += escapeRegExp(t.lit);
    }
    re = new RegExp(`^${source}$`, caseInsensitive ? 'iu' : 'u');
    if (regexCache.size > 10_000) regexCache.clear();
    regexCache.set(key, re);
  }
  return re;
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

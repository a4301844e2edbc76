// Value helpers the query printers share: a test's value as a wildcard pattern, numbers the way
// Sigma tools print them, and patterns turned into regular expressions.

import type { MatchOp, Value } from '../ast/condition.js';
import { parsePattern, type PatternToken } from '../ast/wildcard.js';

/** The wildcard pattern a string test stands for (`contains x` is `*x*`); undefined for other operators. */
export function patternOf(op: MatchOp, value: string): PatternToken[] | undefined {
  let tokens: PatternToken[];
  switch (op) {
    case 'eq':
      tokens = [{ lit: value }];
      break;
    case 'contains':
      tokens = ['*', { lit: value }, '*'];
      break;
    case 'startswith':
      tokens = [{ lit: value }, '*'];
      break;
    case 'endswith':
      tokens = ['*', { lit: value }];
      break;
    case 'wildcard':
      tokens = parsePattern(value);
      break;
    default:
      return undefined;
  }
  // Empty literals vanish and neighbouring `*` merge: `contains ""` is the pattern `*`.
  const out: PatternToken[] = [];
  for (const t of tokens) {
    if (typeof t !== 'string' && t.lit === '') continue;
    if (t === '*' && out[out.length - 1] === '*') continue;
    out.push(t);
  }
  return out;
}

export function hasSingleWildcard(tokens: PatternToken[]): boolean {
  return tokens.includes('?');
}

export function isPlainText(tokens: PatternToken[]): boolean {
  return tokens.every((t) => typeof t !== 'string');
}

/** Plain text of pattern tokens that have no wildcards. */
export function literalOf(tokens: PatternToken[]): string {
  return tokens.map((t) => (typeof t === 'string' ? t : t.lit)).join('');
}

/**
 * A number as Python's str() prints it (what Sigma tools emit): integers in full, other
 * numbers in the shortest round-trip form with Python's exponent rules.
 */
export function pythonNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return String(n);
  if (Number.isInteger(n)) return pythonFloat(n);
  return pythonFloat(n);
}

function pythonFloat(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : n < 0 ? '-inf' : 'nan';
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-4 || abs >= 1e16)) {
    const [mantissa, exponent] = n.toExponential().split('e') as [string, string];
    const exp = Number(exponent);
    return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  const text = String(n);
  return text.includes('.') ? text : `${text}.0`;
}

export function isNumber(value: Value): value is number {
  return typeof value === 'number';
}

/**
 * A regular expression matching a pattern: `*` as `.*`, `?` as `.`, literal characters
 * escaped when they are in `special`. Not anchored.
 */
export function patternRegex(tokens: PatternToken[], special: RegExp): string {
  let out = '';
  for (const t of tokens) {
    if (t === '*') out += '.*';
    else if (t === '?') out += '.';
    else out += regexText(t.lit, special);
  }
  return out;
}

/** Literal text in a regex: metacharacters escaped, control characters as `\xHH` escapes. */
export function regexText(text: string, special: RegExp): string {
  return encodeControls(text.replace(special, '\\$&'));
}

/**
 * A regex with its raw control characters (a newline from a YAML block, a tab) written as
 * `\xHH` escapes, which every engine reads alike and every query language can carry on one line.
 * An escaped raw character (`\` then the character) is the character itself.
 */
export function encodeControls(pattern: string): string {
  return pattern.replace(/(\\*)([\x00-\x1f\x7f])/g, (_m, slashes: string, c: string) => {
    const hex = `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
    return slashes.length % 2 === 1 ? slashes.slice(1) + hex : slashes + hex;
  });
}

/** Regex metacharacters of the PCRE/RE2 core. */
export const REGEX_SPECIAL = /[.*+?^${}()|[\]\\]/g;

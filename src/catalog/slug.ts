// Names the catalog's pages are written at: a readable part and a hash of what the page is
// about. Lower-case ASCII letters, digits and dashes only, so that the names are the same on
// every file system, including case-insensitive ones, and need no escaping in a URL.

import { createHash } from 'node:crypto';

const READABLE_MAX = 48;
const ASCII = /^[\x00-\x7f]*$/;

/** The readable part: letters and digits of `text`, lower-cased, runs of anything else as one dash. */
export function slugText(text: string, max = READABLE_MAX): string {
  // Values can be kilobytes long (base64, regexes); the start is all the name shows.
  const head = text.length > max * 4 ? text.slice(0, max * 4) : text;
  // Accented letters keep their base letter; most texts are ASCII and skip that step.
  const ascii = ASCII.test(head) ? head : head.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
  const dashed = ascii.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  const start = dashed.startsWith('-') ? 1 : 0;
  return dashed.slice(start, start + max).replace(/-+$/, '');
}

/**
 * 48 bits of a 64-bit multiplicative hash of the key's UTF-16 code units, as 12 hex digits.
 * A corpus has tens of thousands of indicators: a cryptographic hash of each would cost more
 * than the rest of the index, and a rare collision is resolved by assignSlugs anyway.
 */
export function shortHash(key: string): string {
  let a = 0x9e3779b9;
  let b = 0x7f4a7c15;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    a = Math.imul(a ^ c, 0x85ebca6b);
    b = Math.imul(b ^ c, 0xc2b2ae35);
  }
  a = mix(a ^ key.length ^ (b >>> 7));
  b = mix(b ^ (a >>> 11));
  return ((a >>> 8).toString(16).padStart(6, '0') + (b >>> 8).toString(16).padStart(6, '0'));
}

/** Spreads every input bit over the word (the finalizing step of MurmurHash3). */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * One slug per key: `<readable>-<shortHash(key)>`, or `<readable>-<sha-256 of the key>` for keys
 * whose short slugs collide. Only the set of keys decides which, never the order they came in.
 * The hash is always the last dash-separated part, 12 or 64 digits long, so the two forms never
 * meet.
 */
export function assignSlugs(entries: ReadonlyMap<string, string>, fallback: string): Map<string, string> {
  const out = new Map<string, string>();
  const owner = new Map<string, string>();
  const clashes = new Set<string>();
  for (const [key, text] of entries) {
    const slug = `${slugText(text) || fallback}-${shortHash(key)}`;
    const first = owner.get(slug);
    if (first === undefined) {
      owner.set(slug, key);
      out.set(key, slug);
    } else {
      clashes.add(first).add(key);
    }
  }
  for (const key of clashes) {
    out.set(key, `${slugText(entries.get(key)!) || fallback}-${createHash('sha256').update(key).digest('hex')}`);
  }
  return out;
}

/** Code-unit order: the same on every machine, unlike localeCompare. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

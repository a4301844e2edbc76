// What a cached result depends on besides the input files: the code that produced it and the
// options that change it. Any rebuild of rulebridge changes the code identity.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let code: string | undefined;

/** The package version and the size and time of every compiled file. */
export function codeIdentity(): string {
  if (code) return code;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const hash = createHash('sha256');
  hash.update(readFileSync(new URL('../../package.json', import.meta.url)));
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else {
        const s = statSync(path);
        hash.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
      }
    }
  };
  walk(root);
  code = hash.digest('hex');
  return code;
}

/** A stable digest of plain data (maps and sets in insertion order). */
export function digest(value: unknown): string {
  return createHash('sha256')
    .update(JSON.stringify(value, (_key, v: unknown) => (v instanceof Map ? [...v] : v instanceof Set ? [...v] : v)))
    .digest('hex');
}

/** The digest of each file's bytes; a file that cannot be read gets none (it is never reused). */
export function contentDigests(files: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    try {
      out.set(file, createHash('sha1').update(readFileSync(file)).digest('hex'));
    } catch {
      // Unreadable now: parsed (and reported) like any other file, never served from the cache.
    }
  }
  return out;
}

/** A file's text for a key; one that cannot be read keys as its error (and fails later, reported). */
export function fileText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    return `unreadable: ${(error as Error).message}`;
  }
}

// Where mappings come from: the shipped files in data/, named after their target
// (`splunk.yml`, `kql-xdr.yml`), and the user's files. Reading them as text is cheap; parsing
// is load.ts's job.

import { readdirSync, readFileSync } from 'node:fs';
import type { Target } from '../backends/types.js';
import { fileText } from '../cache/identity.js';

const DATA = new URL('./data/', import.meta.url);

export function shippedNames(target: Target): string[] {
  return readdirSync(DATA)
    .filter((f) => f.endsWith('.yml') && (f === `${target}.yml` || f.startsWith(`${target}-`)))
    .sort()
    .map((f) => f.slice(0, -'.yml'.length));
}

export function shippedFile(name: string): URL {
  return new URL(`${name}.yml`, DATA);
}

/**
 * What a conversion's mapping is made of, as text: the target's shipped files and the user's
 * files. Equal texts give equal mappings, so a cache can key on this without parsing.
 */
export function mappingSources(target: Target, userFiles: readonly string[]): string[] {
  return [...shippedNames(target).map((name) => readFileSync(shippedFile(name), 'utf8')), ...userFiles.map(fileText)];
}

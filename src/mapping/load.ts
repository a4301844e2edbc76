// The mapping a conversion uses: the shipped file for the target and format (data/*.yml, with
// the files it extends), then each user file (`--mapping`) merged over it.

import { readFileSync } from 'node:fs';
import type { Target } from '../backends/types.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { readMapping, type FieldTarget, type LogSourceMapping, type Mapping } from './schema.js';
import { shippedFile, shippedNames } from './sources.js';

export interface LoadedMapping {
  mapping?: Mapping;
  diagnostics: Diagnostic[];
}

type Shipped = { mapping: Mapping; extends?: string };

/** Shipped mappings, read on use. */
const shipped = new Map<string, Shipped>();

function shippedMapping(name: string): Shipped | undefined {
  let m = shipped.get(name);
  if (m) return m;
  let text: string;
  try {
    text = readFileSync(shippedFile(name), 'utf8');
  } catch {
    return undefined;
  }
  const read = readMapping(text, `mapping/data/${name}.yml`);
  // A broken shipped file is a bug of rulebridge, caught by the tests.
  if (!read.mapping) throw new Error(`shipped mapping ${name}.yml is invalid: ${read.diagnostics.map((d) => d.message).join('; ')}`);
  m = read.extends ? { mapping: read.mapping, extends: read.extends } : { mapping: read.mapping };
  shipped.set(name, m);
  return m;
}

/**
 * The mapping for a target and format, with user files merged over it in order. A user file
 * for another target, or for other formats, is reported and left out.
 */
export function mappingFor(target: Target, format: string, userFiles: readonly string[] = []): LoadedMapping {
  const diagnostics: Diagnostic[] = [];
  let mapping = shippedFor(target, format);
  for (const path of userFiles) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      diagnostics.push(diagnostic('invalid-mapping', `cannot read the mapping file: ${(error as Error).message}`, { path }));
      continue;
    }
    const read = readMapping(text, path);
    diagnostics.push(...read.diagnostics);
    if (!read.mapping) continue;
    if (read.mapping.target !== target) {
      diagnostics.push(diagnostic('invalid-mapping', `the mapping is for ${read.mapping.target}, not ${target}; not used`, { path }, 'warning'));
      continue;
    }
    if (!appliesTo(read.mapping, format)) continue;
    let user = read.mapping;
    if (read.extends) {
      const base = resolveShipped(read.extends, new Set());
      if (!base) {
        diagnostics.push(diagnostic('invalid-mapping', `'extends: ${read.extends}' names no shipped mapping (${shippedNames(target).join(', ')})`, { path }));
        continue;
      }
      user = merge(base, user);
    }
    mapping = mapping ? merge(mapping, user) : user;
    const orphans = mapping.logsources.filter((l) => Object.keys(l.match).length === 0);
    for (const l of orphans) {
      diagnostics.push(diagnostic('invalid-mapping', `log source '${l.name}' has no 'match' and amends no entry of that name`, l.origin));
    }
    if (orphans.length > 0) mapping = { ...mapping, logsources: mapping.logsources.filter((l) => !orphans.includes(l)) };
  }
  const loaded: LoadedMapping = { diagnostics };
  if (mapping) loaded.mapping = mapping;
  return loaded;
}

function appliesTo(mapping: Mapping, format: string): boolean {
  return mapping.formats.length === 0 || mapping.formats.includes(format);
}

function shippedFor(target: Target, format: string): Mapping | undefined {
  for (const name of shippedNames(target)) {
    const m = shippedMapping(name);
    if (m && m.mapping.target === target && appliesTo(m.mapping, format)) return resolveShipped(name, new Set());
  }
  return undefined;
}

function resolveShipped(name: string, seen: Set<string>): Mapping | undefined {
  const m = shippedMapping(name);
  if (!m || seen.has(name)) return undefined;
  seen.add(name);
  if (!m.extends) return m.mapping;
  const base = resolveShipped(m.extends, seen);
  return base ? merge(base, m.mapping) : m.mapping;
}

/**
 * `over` on top of `base`: log sources with the same name merge (given keys replace, field maps
 * merge), new ones are added after (and so win ties when selecting, see select.ts).
 */
export function merge(base: Mapping, over: Mapping): Mapping {
  const logsources = new Map<string, LogSourceMapping>(base.logsources.map((l) => [l.name, l]));
  for (const l of over.logsources) {
    const old = logsources.get(l.name);
    if (!old) {
      logsources.set(l.name, l);
      continue;
    }
    const merged: LogSourceMapping = { ...old, ...l, fields: mergeFields(old.fields, l.fields) };
    if (Object.keys(l.match).length === 0) merged.match = old.match;
    logsources.set(l.name, merged);
  }
  return { target: base.target, formats: over.formats.length > 0 ? over.formats : base.formats, fields: mergeFields(base.fields, over.fields), logsources: [...logsources.values()] };
}

function mergeFields(base: Map<string, FieldTarget>, over: Map<string, FieldTarget>): Map<string, FieldTarget> {
  return new Map([...base, ...over]);
}

// What every command that reads rules shares: checking the reading options, and loading.

import { readFileSync, statSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { readAttackData } from '../attack/table.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadRules, type LoadOptions, type LoadResult } from '../load/load.js';
import type { ParseOptions } from '../load/parse-file.js';
import { progress } from './progress.js';
import type { RuleInputOptions } from './rule-options.js';

export type Prepared = { ok: true; options: ParseOptions & { workers?: number } } | { ok: false; diagnostics: Diagnostic[] };

/** Reads the option files; a bad one is a usage error (exit 2) before any rule is read. */
export function prepareRuleInputs(raw: RuleInputOptions): Prepared {
  const options: ParseOptions & { workers?: number } = {};
  const problems: Diagnostic[] = [];
  if (raw.attack) {
    const attack = readAttackData(raw.attack);
    if (attack.ok) options.attack = attack.data;
    else problems.push(diagnostic('invalid-attack-table', attack.message, { path: raw.attack }));
  }
  if (raw.placeholders) {
    const placeholders = readPlaceholders(raw.placeholders);
    if ('error' in placeholders) problems.push(diagnostic('invalid-placeholders', placeholders.error, { path: raw.placeholders }));
    else options.placeholders = placeholders.values;
  }
  if (raw.maxFileSize !== undefined) {
    const n = Number(raw.maxFileSize);
    if (!Number.isInteger(n) || n <= 0) problems.push(diagnostic('usage', `--max-file-size must be a positive number of bytes, not '${raw.maxFileSize}'`));
    else options.maxFileSize = n;
  }
  if (raw.workers !== undefined) {
    const n = Number(raw.workers);
    if (!Number.isInteger(n) || n < 0) problems.push(diagnostic('usage', `--workers must be 0 or more, not '${raw.workers}'`));
    else options.workers = n;
  }
  if (raw.pantherRoot !== undefined) {
    if (isFolder(raw.pantherRoot)) options.pantherRoot = raw.pantherRoot;
    else problems.push(diagnostic('usage', `--panther-root must be a folder, not '${raw.pantherRoot}'`));
  }
  return problems.length > 0 ? { ok: false, diagnostics: problems } : { ok: true, options };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function readPlaceholders(path: string): { values: Record<string, string[]> } | { error: string } {
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    return { error: `cannot read ${path}: ${(error as Error).message}` };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { error: `${path} must map placeholder names to lists of values` };
  const values: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(data)) {
    const list = Array.isArray(value) ? value : [value];
    if (list.some((v) => v === null || typeof v === 'object')) return { error: `placeholder '${name}' must be a value or a list of values` };
    values[name.replace(/^%|%$/g, '')] = list.map(String);
  }
  return { values };
}

export async function loadWithProgress(paths: string[], options: Omit<LoadOptions, 'onProgress'>): Promise<LoadResult> {
  const bar = progress('Reading rules');
  try {
    return await loadRules(paths, { ...options, onProgress: (done, total) => bar.update(done, total) });
  } finally {
    bar.done();
  }
}

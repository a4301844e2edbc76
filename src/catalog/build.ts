// Writing a catalog site to disk: the index, the playbooks, the rendered pages and the two
// machine-readable files, into an output folder this command owns.

import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import type { RuleResult } from '../ast/rule.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { attackLayer, buildCatalogIndex, catalogJson } from './index.js';
import type { CatalogIndex, Playbook } from './model.js';
import { readPlaybooks } from './playbooks.js';
import { ATTACK_LAYER_PATH, CATALOG_JSON_PATH, renderSite, type SiteFile } from './site/index.js';

/** Marks a folder as a catalog this command wrote, so that rebuilding may empty it. */
export const MARKER = '.rulebridge-catalog';

export interface CatalogBuildOptions {
  out: string;
  playbooks?: string;
  title: string;
  baseUrl: string;
  /** Paths in the catalog are relative to this folder (the working directory). */
  pathBase: string;
  onProgress?: (stage: string, done: number, total: number) => void;
}

export interface CatalogBuildResult {
  ok: boolean;
  index?: CatalogIndex;
  playbooks: Playbook[];
  files: number;
  diagnostics: Diagnostic[];
}

export async function buildCatalogSite(results: RuleResult[], options: CatalogBuildOptions): Promise<CatalogBuildResult> {
  const prepared = prepareOut(options.out);
  if (prepared) return { ok: false, playbooks: [], files: 0, diagnostics: [prepared] };
  const index = buildCatalogIndex(results, { pathBase: options.pathBase });
  const read = options.playbooks ? await readPlaybooks(options.playbooks, index, { onProgress: (done, total) => options.onProgress?.('playbooks', done, total) }) : { playbooks: [], diagnostics: [] };
  const files: SiteFile[] = renderSite(index, read.playbooks, { title: options.title, baseUrl: options.baseUrl }, (done, total) => options.onProgress?.('pages', done, total));
  files.push({ path: CATALOG_JSON_PATH, content: catalogJson(index) }, { path: ATTACK_LAYER_PATH, content: attackLayer(index, { name: options.title }) }, { path: MARKER, content: '' });
  await writeFiles(options.out, files, (done, total) => options.onProgress?.('writing', done, total));
  return { ok: true, index, playbooks: read.playbooks, files: files.length, diagnostics: read.diagnostics };
}

/**
 * The output folder must be new, empty, or a catalog written before (it is then emptied):
 * never a folder of the user's that happens to be named like one.
 */
function prepareOut(out: string): Diagnostic | undefined {
  if (!existsSync(out)) return undefined;
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (error) {
    return diagnostic('usage', `--out ${out} is not a folder this command can write: ${(error as Error).message}`);
  }
  if (entries.length === 0) return undefined;
  if (!entries.includes(MARKER)) return diagnostic('usage', `--out ${out} is not empty and holds no catalog built before (no ${MARKER}); give a new or empty folder`);
  for (const entry of entries) rmSync(join(out, entry), { recursive: true, force: true });
  return undefined;
}

/**
 * Writes the files with many writes in flight: a site is tens of thousands of small files, and
 * one synchronous write after another leaves the disk waiting on each.
 */
async function writeFiles(out: string, files: SiteFile[], onProgress: (done: number, total: number) => void): Promise<void> {
  for (const folder of new Set(files.map((f) => dirname(join(out, f.path))))) mkdirSync(folder, { recursive: true });
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < files.length) {
      const file = files[next++]!;
      const path = join(out, file.path);
      // Pages are named by the renderer from slugs; this guards the folder all the same.
      if (relative(out, path).startsWith('..')) throw new Error(`site file outside the output folder: ${file.path}`);
      await writeFile(path, file.content);
      if (++done % 200 === 0 || done === files.length) onProgress(done, files.length);
    }
  };
  await Promise.all(Array.from({ length: WRITES_IN_FLIGHT }, worker));
}

const WRITES_IN_FLIGHT = 32;

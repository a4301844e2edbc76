// Writing a catalog site to disk: the index, the playbooks, the rendered pages and the two
// machine-readable files, into an output folder this command owns.

import type { RuleResult } from '../ast/rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { attackLayer, buildCatalogIndex, catalogJson } from './index.js';
import type { CatalogIndex, Playbook } from './model.js';
import { readPlaybooks } from './playbooks.js';
import { MARKER, openSiteFolder, SiteWriter, type SiteFolder } from './site-folder.js';
import { ATTACK_LAYER_PATH, CATALOG_JSON_PATH } from './site/index.js';
import { renderSiteTo } from './site/render.js';
import type { RuleParts } from './site/rule-parts.js';
import { startRulePartsWorker, type RulePartsWorker } from './site/rule-parts-thread.js';

export { MARKER } from './site-folder.js';

export interface CatalogBuildOptions {
  out: string;
  playbooks?: string;
  title: string;
  baseUrl: string;
  /** Paths in the catalog are relative to this folder (the working directory). */
  pathBase: string;
  onProgress?: (stage: string, done: number, total: number) => void;
  /** A worker started before the rules were read (startRulePartsWorker); else one is started here. */
  worker?: RulePartsWorker;
}

export interface CatalogBuildResult {
  ok: boolean;
  index?: CatalogIndex;
  playbooks: Playbook[];
  files: number;
  diagnostics: Diagnostic[];
}

export async function buildCatalogSite(results: RuleResult[], options: CatalogBuildOptions): Promise<CatalogBuildResult> {
  const worker = options.worker ?? startRulePartsWorker();
  try {
    const opened = openSiteFolder(options.out);
    if (!opened.ok) return { ok: false, playbooks: [], files: 0, diagnostics: [opened.diagnostic] };
    // The rule pages' conversions, code and Markdown, on the worker while this thread works.
    return await writeSite(results, options, opened.folder, worker.parts(results, options.pathBase));
  } finally {
    worker.close();
  }
}

async function writeSite(results: RuleResult[], options: CatalogBuildOptions, folder: SiteFolder, parts: Promise<RuleParts[]>): Promise<CatalogBuildResult> {
  const index = buildCatalogIndex(results, { pathBase: options.pathBase });
  const read = options.playbooks ? await readPlaybooks(options.playbooks, index, { onProgress: (done, total) => options.onProgress?.('playbooks', done, total) }) : { playbooks: [], diagnostics: [] };
  // Pages are written as they are rendered: the site is never held in memory whole.
  const writer = new SiteWriter(folder);
  // The marker first: a build that stops half-way leaves a folder the next build may replace.
  writer.write({ path: MARKER, content: '' });
  writer.write({ path: CATALOG_JSON_PATH, content: catalogJson(index) });
  writer.write({ path: ATTACK_LAYER_PATH, content: attackLayer(index, { name: options.title }) });
  await renderSiteTo(index, read.playbooks, { title: options.title, baseUrl: options.baseUrl }, parts, (file) => writer.write(file), (done, total) => options.onProgress?.('pages', done, total));
  writer.finish();
  return { ok: true, index, playbooks: read.playbooks, files: writer.written, diagnostics: read.diagnostics };
}

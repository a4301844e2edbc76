// Writing a catalog site to disk: the index, the playbooks, the rendered pages and the two
// machine-readable files, into an output folder this command owns.

import type { RuleResult } from '../ast/rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { attackLayer, buildCatalogIndex, catalogJson } from './index.js';
import type { CatalogIndex, Playbook } from './model.js';
import { readPlaybooks } from './playbooks.js';
import { MARKER, openSiteFolder, writeSiteFiles } from './site-folder.js';
import { ATTACK_LAYER_PATH, CATALOG_JSON_PATH, renderSite, type SiteFile } from './site/index.js';

export { MARKER } from './site-folder.js';

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
  const opened = openSiteFolder(options.out);
  if (!opened.ok) return { ok: false, playbooks: [], files: 0, diagnostics: [opened.diagnostic] };
  const index = buildCatalogIndex(results, { pathBase: options.pathBase });
  const read = options.playbooks ? await readPlaybooks(options.playbooks, index, { onProgress: (done, total) => options.onProgress?.('playbooks', done, total) }) : { playbooks: [], diagnostics: [] };
  const files: SiteFile[] = renderSite(index, read.playbooks, { title: options.title, baseUrl: options.baseUrl }, (done, total) => options.onProgress?.('pages', done, total));
  files.push({ path: CATALOG_JSON_PATH, content: catalogJson(index) }, { path: ATTACK_LAYER_PATH, content: attackLayer(index, { name: options.title }) }, { path: MARKER, content: '' });
  writeSiteFiles(opened.folder, files, (done, total) => options.onProgress?.('writing', done, total));
  return { ok: true, index, playbooks: read.playbooks, files: files.length, diagnostics: read.diagnostics };
}

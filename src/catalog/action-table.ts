// The action table: for each log-source family, the field that names the operation an event
// records (data/actions.yml, schema in docs/catalog.md). Reading it yields diagnostics with
// positions for every schema break, never an exception.

import { readFileSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { asString, parseYamlDocuments, type YMap, type YNode } from '../formats/yaml.js';

export const SIGMA_MATCH_KEYS = ['product', 'category', 'service'] as const;
export type SigmaMatchKey = (typeof SIGMA_MATCH_KEYS)[number];

export type ActionSource =
  | { platform: 'sigma'; match: Partial<Record<SigmaMatchKey, string>>; fields: string[] }
  | { platform: 'panther'; logTypes: string[]; fields: string[] };

export interface ActionFamily {
  /** May hold `{product}`, `{category}`, `{service}`, filled from the Sigma log source. */
  id: string;
  title: string;
  caseInsensitive: boolean;
  sources: ActionSource[];
}

export interface ActionTable {
  families: ActionFamily[];
}

export interface ActionTableFile {
  table?: ActionTable;
  diagnostics: Diagnostic[];
}

const FAMILY_KEYS = new Set(['title', 'case', 'sources']);
const TEMPLATE = /\{([a-z]+)\}/g;

/** Reads an action table's text; `path` is only used in diagnostics. */
export function readActionTable(text: string, path: string): ActionTableFile {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, at?: { line: number; col: number }) =>
    diagnostics.push(diagnostic('invalid-action-table', message, { path, ...(at ? { line: at.line, col: at.col } : { line: 1, col: 1 }) }));

  const docs = parseYamlDocuments(text, { version: '1.2' });
  for (const d of docs) diagnostics.push(...d.diagnostics.map((x) => ({ ...x, code: 'invalid-action-table' as const, path })));
  const root = docs[0]?.tree;
  if (docs.length !== 1 || !root || root.kind !== 'map') {
    if (diagnostics.length === 0) fail('an action table is one YAML document holding a map');
    return { diagnostics };
  }
  for (const e of root.entries) if (e.key !== 'families') fail(`unknown key '${e.key}' (expected families)`, e.keyPos);
  const families: ActionFamily[] = [];
  const node = root.entries.find((e) => e.key === 'families')?.value;
  if (!node || node.kind !== 'map') fail("'families' must be a map of family ids to their entries", node ?? root);
  else for (const e of node.entries) {
    const family = readFamily(e.key, e.value, fail);
    if (family) families.push(family);
  }
  return diagnostics.length === 0 ? { table: { families }, diagnostics } : { diagnostics };
}

type Fail = (message: string, at?: { line: number; col: number }) => void;

function readFamily(id: string, node: YNode, fail: Fail): ActionFamily | undefined {
  if (node.kind !== 'map') {
    fail(`family '${id}' must be a map`, node);
    return undefined;
  }
  for (const e of node.entries) if (!FAMILY_KEYS.has(e.key)) fail(`family '${id}': unknown key '${e.key}' (expected ${[...FAMILY_KEYS].join(', ')})`, e.keyPos);
  for (const [, name] of id.matchAll(TEMPLATE)) {
    if (!(SIGMA_MATCH_KEYS as readonly string[]).includes(name!)) fail(`family '${id}': '{${name}}' is not a Sigma log source key`, node);
  }
  const title = asString(valueOf(node, 'title'));
  if (!title) fail(`family '${id}': 'title' must be a text`, valueOf(node, 'title') ?? node);
  const caseNode = valueOf(node, 'case');
  const caseText = asString(caseNode);
  if (caseText !== 'sensitive' && caseText !== 'insensitive') fail(`family '${id}': 'case' must be sensitive or insensitive`, caseNode ?? node);
  const sourcesNode = valueOf(node, 'sources');
  const sources: ActionSource[] = [];
  if (!sourcesNode || sourcesNode.kind !== 'seq' || sourcesNode.items.length === 0) fail(`family '${id}': 'sources' must be a non-empty list`, sourcesNode ?? node);
  else for (const item of sourcesNode.items) {
    const source = readSource(id, item, fail);
    if (source) sources.push(source);
  }
  return { id, title: title ?? id, caseInsensitive: caseText === 'insensitive', sources };
}

function readSource(id: string, node: YNode, fail: Fail): ActionSource | undefined {
  if (node.kind !== 'map') {
    fail(`family '${id}': a source must be a map with 'sigma' or 'panther', and 'fields'`, node);
    return undefined;
  }
  for (const e of node.entries) {
    if (e.key !== 'sigma' && e.key !== 'panther' && e.key !== 'fields') fail(`family '${id}': unknown source key '${e.key}' (expected sigma, panther, fields)`, e.keyPos);
  }
  const fields = texts(valueOf(node, 'fields'));
  if (!fields || fields.length === 0) {
    fail(`family '${id}': 'fields' must be a field name or a non-empty list of them`, valueOf(node, 'fields') ?? node);
    return undefined;
  }
  const sigma = valueOf(node, 'sigma');
  const panther = valueOf(node, 'panther');
  if ((sigma === undefined) === (panther === undefined)) {
    fail(`family '${id}': a source names either 'sigma' or 'panther'`, node);
    return undefined;
  }
  if (panther) {
    const logTypes = texts(panther);
    if (!logTypes || logTypes.length === 0) {
      fail(`family '${id}': 'panther' must be a log type or a list of them`, panther);
      return undefined;
    }
    return { platform: 'panther', logTypes, fields };
  }
  if (sigma!.kind !== 'map' || sigma!.entries.length === 0) {
    fail(`family '${id}': 'sigma' must be a map of ${SIGMA_MATCH_KEYS.join(', ')}`, sigma);
    return undefined;
  }
  const match: Partial<Record<SigmaMatchKey, string>> = {};
  for (const e of (sigma as YMap).entries) {
    const value = e.value.kind === 'scalar' ? asString(e.value) : undefined;
    if (!(SIGMA_MATCH_KEYS as readonly string[]).includes(e.key)) fail(`family '${id}': cannot match on '${e.key}' (expected ${SIGMA_MATCH_KEYS.join(', ')})`, e.keyPos);
    else if (!value) fail(`family '${id}': sigma '${e.key}' must be a text`, e.value);
    else match[e.key as SigmaMatchKey] = value;
  }
  return { platform: 'sigma', match, fields };
}

function valueOf(map: YMap, key: string): YNode | undefined {
  return map.entries.find((e) => e.key === key)?.value;
}

/** A text or a list of texts; undefined when anything else is there. */
function texts(node: YNode | undefined): string[] | undefined {
  if (!node) return undefined;
  const items = node.kind === 'seq' ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    const value = item.kind === 'scalar' ? asString(item) : undefined;
    if (!value) return undefined;
    out.push(value);
  }
  return out;
}

let shipped: ActionTable | undefined;

/** The table shipped in data/actions.yml. */
export function shippedActionTable(): ActionTable {
  if (shipped) return shipped;
  const url = new URL('./data/actions.yml', import.meta.url);
  const read = readActionTable(readFileSync(url, 'utf8'), 'catalog/data/actions.yml');
  // A broken shipped file is a bug of rulebridge, caught by the tests.
  if (!read.table) throw new Error(`shipped action table is invalid: ${read.diagnostics.map((d) => `${d.line}:${d.col} ${d.message}`).join('; ')}`);
  shipped = read.table;
  return shipped;
}

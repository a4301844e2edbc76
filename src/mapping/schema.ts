// The mapping model, and the reading of a mapping file (YAML, schema in docs/mapping.md) into
// it. A file that breaks the schema yields invalid-mapping diagnostics with positions, never
// an exception.

import type { Target } from '../backends/types.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { asString, parseYamlDocuments, type YMap, type YNode } from '../formats/yaml.js';

/**
 * Where a rule field goes: one target field, any of several, nowhere (no equivalent), or, for
 * a list of `ALGORITHM=digest` texts such as Sysmon's `Hashes`, one field per algorithm.
 */
export type FieldTarget = { to: string[] } | { none: string } | { hashes: Record<string, string | null> };

/** Log-source keys an entry can select on (Sigma logsource; Panther log types). */
export const MATCH_KEYS = ['product', 'category', 'service', 'logtype'] as const;
export type MatchKey = (typeof MATCH_KEYS)[number];

export interface LogSourceMapping {
  name: string;
  match: Partial<Record<MatchKey, string>>;
  /** Splunk: search terms that select the events. */
  search?: string;
  /** KQL: the table, and a filter on it. */
  table?: string;
  filter?: string;
  /** Chronicle: `metadata.event_type` values. */
  eventTypes?: string[];
  fields: Map<string, FieldTarget>;
  /** Fields without an entry keep their name and count as mapped (Splunk extracts them as named). */
  passthrough?: boolean;
  /** KQL: column types of the table, where the shipped schema does not know it. */
  columns?: Record<string, string>;
  /** KQL: computed text columns (name -> expression), put in the rule's form before testing. */
  extend?: Record<string, string>;
  origin: { path: string; line: number; col: number };
}

export interface Mapping {
  target: Target;
  /** Output formats this mapping is for; empty means all of the target's formats. */
  formats: string[];
  /** Field renames tried after a log source's own. */
  fields: Map<string, FieldTarget>;
  logsources: LogSourceMapping[];
}

export interface MappingFile {
  mapping?: Mapping;
  extends?: string;
  diagnostics: Diagnostic[];
}

const TOP_KEYS = new Set(['target', 'formats', 'extends', 'fields', 'logsources']);
const ENTRY_KEYS = new Set(['match', 'search', 'table', 'filter', 'event_types', 'fields', 'passthrough', 'columns', 'extend']);
const TARGETS: readonly Target[] = ['splunk', 'kql', 'chronicle'];

/** Reads a mapping file's text; `path` is only used in diagnostics. */
export function readMapping(text: string, path: string): MappingFile {
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, at?: { line: number; col: number }) =>
    diagnostics.push(diagnostic('invalid-mapping', message, { path, ...(at ?? { line: 1, col: 1 }) }));

  const docs = parseYamlDocuments(text, { version: '1.2' });
  for (const d of docs) diagnostics.push(...d.diagnostics.map((x) => ({ ...x, code: 'invalid-mapping' as const, path })));
  const root = docs[0]?.tree;
  if (docs.length !== 1 || !root || root.kind !== 'map') {
    if (diagnostics.length === 0) fail('a mapping file is one YAML document holding a map');
    return { diagnostics };
  }
  for (const e of root.entries) if (!TOP_KEYS.has(e.key)) fail(`unknown key '${e.key}' (expected ${[...TOP_KEYS].join(', ')})`, e.keyPos);

  const target = asString(valueOf(root, 'target')) as Target | undefined;
  if (!target || !TARGETS.includes(target)) {
    fail(`'target' must be one of ${TARGETS.join(', ')}`, valueOf(root, 'target') ?? root);
    return { diagnostics };
  }
  const formats = stringList(valueOf(root, 'formats'), 'formats', fail);
  const fields = fieldMap(valueOf(root, 'fields'), fail);
  const logsources: LogSourceMapping[] = [];
  const sources = valueOf(root, 'logsources');
  if (sources && sources.kind !== 'map') fail("'logsources' must be a map of named entries", sources);
  else if (sources) {
    for (const e of sources.entries) {
      const entry = logSource(e.key, e.value, path, fail);
      if (entry) logsources.push(entry);
    }
  }
  const file: MappingFile = { diagnostics };
  const base = asString(valueOf(root, 'extends'));
  if (base) file.extends = base;
  if (diagnostics.length === 0) file.mapping = { target, formats, fields, logsources };
  return file;
}

type Fail = (message: string, at?: { line: number; col: number }) => void;

function valueOf(map: YMap, key: string): YNode | undefined {
  return map.entries.find((e) => e.key === key)?.value;
}

function logSource(name: string, node: YNode, path: string, fail: Fail): LogSourceMapping | undefined {
  if (node.kind !== 'map') {
    fail(`log source '${name}' must be a map`, node);
    return undefined;
  }
  for (const e of node.entries) if (!ENTRY_KEYS.has(e.key)) fail(`log source '${name}': unknown key '${e.key}' (expected ${[...ENTRY_KEYS].join(', ')})`, e.keyPos);
  const entry: LogSourceMapping = { name, match: {}, fields: fieldMap(valueOf(node, 'fields'), fail), origin: { path, line: node.line, col: node.col } };
  const match = valueOf(node, 'match');
  // Without `match`, the entry amends the entry of the same name in the mapping it extends.
  if (match && (match.kind !== 'map' || match.entries.length === 0)) fail(`log source '${name}': 'match' must be a map (${MATCH_KEYS.join(', ')})`, match);
  else if (match) {
    for (const e of match.entries) {
      const value = asString(e.value);
      if (!(MATCH_KEYS as readonly string[]).includes(e.key)) fail(`log source '${name}': cannot match on '${e.key}' (expected ${MATCH_KEYS.join(', ')})`, e.keyPos);
      else if (value === undefined || e.value.kind !== 'scalar') fail(`log source '${name}': match '${e.key}' must be a text`, e.value);
      else entry.match[e.key as MatchKey] = value;
    }
  }
  for (const key of ['search', 'table', 'filter'] as const) {
    const value = valueOf(node, key);
    if (value === undefined) continue;
    if (value.kind !== 'scalar' || typeof value.value !== 'string' || value.value === '') fail(`log source '${name}': '${key}' must be a non-empty text`, value);
    else entry[key] = value.value;
  }
  const types = valueOf(node, 'event_types');
  if (types) entry.eventTypes = stringList(types, 'event_types', fail);
  const passthrough = valueOf(node, 'passthrough');
  if (passthrough) {
    if (passthrough.kind !== 'scalar' || typeof passthrough.value !== 'boolean') fail(`log source '${name}': 'passthrough' must be true or false`, passthrough);
    else if (passthrough.value) entry.passthrough = true;
  }
  const extend = valueOf(node, 'extend');
  if (extend) {
    const bad = extend.kind !== 'map' ? extend : extend.entries.find((e) => !/^[A-Za-z_]\w*$/.test(e.key) || typeof asString(e.value) !== 'string')?.value;
    if (bad) fail(`log source '${name}': 'extend' must map column names to KQL expressions`, bad);
    else if (extend.kind === 'map') entry.extend = Object.fromEntries(extend.entries.map((e) => [e.key, asString(e.value)!]));
  }
  const columns = valueOf(node, 'columns');
  if (columns) {
    if (columns.kind !== 'map') fail(`log source '${name}': 'columns' must map column names to KQL types`, columns);
    else entry.columns = Object.fromEntries(columns.entries.map((e) => [e.key, asString(e.value) ?? 'string']));
  }
  return entry;
}

/** `field: target`, `field: [a, b]` (any of) or `field: null` (no equivalent). */
function fieldMap(node: YNode | undefined, fail: Fail): Map<string, FieldTarget> {
  const map = new Map<string, FieldTarget>();
  if (!node) return map;
  if (node.kind !== 'map') {
    fail("'fields' must map rule field names to target field names", node);
    return map;
  }
  for (const e of node.entries) {
    const v = e.value;
    if (v.kind === 'scalar' && v.value === null) map.set(e.key, { none: 'the target has no equivalent field' });
    else if (v.kind === 'scalar' && typeof v.value === 'string' && v.value !== '') map.set(e.key, { to: [v.value] });
    else if (v.kind === 'seq' && v.items.length > 0 && v.items.every((i) => i.kind === 'scalar' && typeof i.value === 'string' && i.value !== '')) {
      map.set(e.key, { to: v.items.map((i) => asString(i)!) });
    } else if (v.kind === 'map' && v.entries.length === 1 && v.entries[0]!.key === 'none' && typeof asString(v.entries[0]!.value) === 'string') {
      map.set(e.key, { none: asString(v.entries[0]!.value)! });
    } else if (v.kind === 'map' && v.entries.length === 1 && v.entries[0]!.key === 'hashes' && isHashMap(v.entries[0]!.value)) {
      const algorithms = v.entries[0]!.value as YMap;
      map.set(e.key, { hashes: Object.fromEntries(algorithms.entries.map((a) => [a.key.toUpperCase(), asString(a.value) ?? null])) });
    } else fail(`field '${e.key}' must map to a field name, a list of field names, null, {none: reason} or {hashes: {algorithm: field}}`, v);
    if (e.key.includes('*') && e.key !== '*' && !/^[^*]+\.\*$/.test(e.key)) fail(`field '${e.key}': a wildcard is either the whole key or ends a dotted prefix ('name.*')`, e.keyPos);
  }
  return map;
}

function isHashMap(node: YNode): boolean {
  return node.kind === 'map' && node.entries.every((a) => /^[A-Za-z0-9]+$/.test(a.key) && a.value.kind === 'scalar' && (a.value.value === null || typeof a.value.value === 'string'));
}

function stringList(node: YNode | undefined, key: string, fail: Fail): string[] {
  if (!node) return [];
  const items = node.kind === 'seq' ? node.items : [node];
  const out: string[] = [];
  for (const item of items) {
    const value = asString(item);
    if (item.kind !== 'scalar' || value === undefined) fail(`'${key}' must be a text or a list of texts`, item);
    else out.push(value);
  }
  return out;
}

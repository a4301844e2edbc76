// A rule as one target sees it: its log source looked up in the mapping, its field names
// rewritten, and every field or log source the mapping cannot place reported (never dropped).

import { or, type Condition } from '../ast/condition.js';
import { mapCondition } from '../ast/walk.js';
import type { LogSource, OutputField, Rule } from '../ast/rule.js';
import type { Target, TargetRule, TargetSource } from '../backends/types.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { columnsOf } from './columns.js';
import type { FieldTarget, LogSourceMapping, Mapping } from './schema.js';
import { mapDigests } from './hashes.js';
import { selectLogSource } from './select.js';

/** How one rule's fields resolve against its log source's mapping. */
export interface FieldResolver {
  entry?: LogSourceMapping;
  source: TargetSource;
  /** The target names for a rule field; the field itself when unmapped (and reported). */
  resolve(field: string, at?: { line: number; col: number }): string[];
  /** The per-algorithm fields when the field is a list of digests (see hashes.ts). */
  hashes(field: string): Record<string, string | null> | undefined;
  /** Reports a field the mapping cannot place, once per field. */
  unmapped(field: string, why: string | undefined, at?: { line: number; col: number }): void;
  diagnostics: Diagnostic[];
}

/**
 * The resolver for a rule's log source. Without a mapping (`--no-mapping`) every field keeps
 * its name and nothing is reported.
 */
export function fieldResolver(logsource: LogSource, mapping: Mapping | undefined, target: Target): FieldResolver {
  const diagnostics: Diagnostic[] = [];
  if (!mapping) return { source: {}, resolve: (field) => [field], hashes: () => undefined, unmapped: () => {}, diagnostics };
  const entry = selectLogSource(mapping, logsource);
  if (!entry) {
    diagnostics.push(diagnostic('unmapped-logsource', `no ${target} mapping for the log source ${describe(logsource)}; field names are kept and no ${SOURCE_WORD[target]} is set`));
  }
  const source = entry ? targetSource(entry) : {};
  const reported = new Set<string>();
  const unmapped = (field: string, why: string | undefined, at?: { line: number; col: number }) => {
    if (reported.has(field) || !entry) return;
    reported.add(field);
    const where = entry.table ?? entry.eventTypes?.join('/') ?? entry.name;
    diagnostics.push(diagnostic('unmapped-field', `field '${field}' has no ${target} mapping for ${where}${why ? `: ${why}` : ''}; it is kept as written`, at));
  };
  const resolve = (field: string, at?: { line: number; col: number }): string[] => {
    const found = lookup(field, entry, mapping, target, source.columns);
    if (found && 'to' in found) return found.to;
    unmapped(field, found && 'none' in found ? found.none : found ? 'only tests of ALGORITHM=digest values map to the digest fields' : undefined, at);
    return [field];
  };
  const hashes = (field: string) => {
    const found = lookup(field, entry, mapping, target, source.columns);
    return found && 'hashes' in found ? found.hashes : undefined;
  };
  const resolver: FieldResolver = { source, resolve, hashes, unmapped, diagnostics };
  if (entry) resolver.entry = entry;
  return resolver;
}

const SOURCE_WORD: Record<Target, string> = { splunk: 'index or source', kql: 'table', chronicle: 'event type' };

/** Renames the fields of a condition; a field mapped to several becomes an OR over them. */
export function mapConditionFields(condition: Condition, resolver: FieldResolver): Condition {
  // Fields inside an array test are relative to the element (`@` is the element): only the array itself is renamed.
  return mapCondition(
    condition,
    (node) => {
      switch (node.kind) {
        case 'match': {
          const algorithms = resolver.hashes(node.field);
          if (algorithms) return mapDigests(node, algorithms, resolver);
          const names = resolver.resolve(node.field, node.span);
          return anyOf(names.map((field) => ({ ...node, field })), node.span);
        }
        case 'exists': {
          const names = resolver.resolve(node.field, node.span);
          return anyOf(names.map((field) => ({ ...node, field })), node.span);
        }
        case 'fieldref': {
          const [field] = resolver.resolve(node.field, node.span);
          const [ref] = resolver.resolve(node.ref, node.span);
          return { ...node, field: field!, ref: ref! };
        }
        case 'elements': {
          const [field] = resolver.resolve(node.field, node.span);
          return { ...node, field: field! };
        }
        default:
          return node;
      }
    },
    { intoElements: false },
  );
}

function anyOf(nodes: Condition[], span?: { line: number; col: number }): Condition {
  return nodes.length === 1 ? nodes[0]! : or(nodes, span);
}

/**
 * The log fields a query shows: the sources of the output fields, once each, under the
 * target's names. A computed output field (Panther `alert_context` entries built from several
 * values) has no column to show and is left out; Sigma's `fields` are their own sources.
 */
export function mapOutputFields(fields: OutputField[], resolver: FieldResolver | undefined): OutputField[] {
  const sources = [...new Set(fields.map((f) => f.source).filter((s) => s !== ''))];
  const shown = new Map<string, OutputField>();
  for (const source of sources) for (const name of resolver ? resolver.resolve(source) : [source]) if (!shown.has(name)) shown.set(name, { name, source });
  return [...shown.values()];
}

/** The target view of a rule: mapped condition, output fields and where its events live. */
export function mapRule(rule: Rule, condition: Condition | null, mapping: Mapping | undefined, target: Target): { view: TargetRule; diagnostics: Diagnostic[] } {
  const resolver = fieldResolver(rule.logsource, mapping, target);
  const mapped = condition && mapping ? mapConditionFields(condition, resolver) : condition;
  const fields = mapOutputFields(rule.fields, mapping ? resolver : undefined);
  return { view: { rule, condition: mapped, fields, source: resolver.source }, diagnostics: resolver.diagnostics };
}

function targetSource(entry: LogSourceMapping): TargetSource {
  const source: TargetSource = {};
  if (entry.search) source.splunk = entry.search;
  if (entry.table) {
    source.table = entry.table;
    const columns = entry.columns ?? columnsOf(entry.table);
    if (columns) source.columns = columns;
  }
  if (entry.extend) {
    source.extend = entry.extend;
    source.columns = { ...source.columns, ...Object.fromEntries(Object.keys(entry.extend).map((name) => [name, 'string'])) };
  }
  if (entry.filter) source.filter = entry.filter;
  if (entry.eventTypes && entry.eventTypes.length > 0) source.eventTypes = entry.eventTypes;
  return source;
}

/** The log source's own map, then the file-wide one; then what the target knows natively. */
function lookup(field: string, entry: LogSourceMapping | undefined, mapping: Mapping, target: Target, columns: Record<string, string> | undefined): FieldTarget | undefined {
  const found = (entry && inMap(field, entry.fields)) ?? inMap(field, mapping.fields);
  if (found) return found;
  if (entry?.passthrough) return { to: [field] };
  if (target === 'kql' && columns && isColumnPath(field, columns)) return { to: [field] };
  if (target === 'chronicle' && UDM_ROOT.test(field)) return { to: [field] };
  return undefined;
}

/**
 * An exact entry, else the longest `prefix.*` entry with the rest of the path appended, else
 * the catch-all `*` (the whole field name appended).
 */
function inMap(field: string, map: Map<string, FieldTarget>): FieldTarget | undefined {
  const exact = map.get(field);
  if (exact) return exact;
  let best: [string, FieldTarget] | undefined;
  for (const [key, value] of map) {
    if (!key.endsWith('*')) continue;
    const prefix = key.slice(0, -1);
    if (field.startsWith(prefix) && field.length > prefix.length && (!best || prefix.length > best[0].length)) best = [prefix, value];
  }
  if (!best) return undefined;
  const [prefix, value] = best;
  if (!('to' in value)) return value;
  const rest = field.slice(prefix.length);
  return { to: value.to.map((t) => (t.endsWith('.*') ? t.slice(0, -1) + rest : t)) };
}

/** A column of the table, or a path into a column that holds JSON. */
function isColumnPath(field: string, columns: Record<string, string>): boolean {
  if (columns[field]) return true;
  const root = field.split('.')[0]!;
  return root !== field && (columns[root] === 'dynamic' || columns[root] === 'string');
}

/** Rules written against UDM already name UDM fields. */
const UDM_ROOT = /^(?:metadata|principal|target|src|observer|intermediary|about|network|security_result|extensions|additional)\.[A-Za-z_][\w.]*$/;

function describe(logsource: LogSource): string {
  const parts = (['product', 'category', 'service'] as const).flatMap((k) => (logsource[k] ? [`${k}=${logsource[k]}`] : []));
  if (logsource.logTypes?.length) parts.push(`logtypes=${logsource.logTypes.join(',')}`);
  return parts.length > 0 ? parts.join(' ') : '(none given)';
}

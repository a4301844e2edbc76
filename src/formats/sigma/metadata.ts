// The descriptive attributes every Sigma document may carry (rules, correlations, filters).

import { coverageFromSigmaTags } from '../../attack/coverage.js';
import type { AttackTable } from '../../attack/table.js';
import type { Level, LogSource, Rule } from '../../ast/rule.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { asString, asStringList, get, type YMap, type YNode } from '../yaml.js';

const LEVELS: Level[] = ['informational', 'low', 'medium', 'high', 'critical'];
const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export type Metadata = Pick<
  Rule,
  | 'id'
  | 'name'
  | 'title'
  | 'description'
  | 'author'
  | 'date'
  | 'modified'
  | 'status'
  | 'level'
  | 'references'
  | 'tags'
  | 'falsepositives'
  | 'attack'
  | 'related'
>;

export function readMetadata(doc: YMap, fallbackId: string, attack: AttackTable, diagnostics: Diagnostic[]): Metadata {
  const text = (key: string): string | undefined => {
    const node = get(doc, key);
    if (node === undefined || (node.kind === 'scalar' && node.value === null)) return undefined;
    if (node.kind !== 'scalar') {
      diagnostics.push(diagnostic('invalid-attribute', `'${key}' must be a string`, node));
      return undefined;
    }
    return asString(node);
  };
  const list = (key: string): string[] => {
    const node = get(doc, key);
    if (node && node.kind === 'map') diagnostics.push(diagnostic('invalid-attribute', `'${key}' must be a list`, node));
    return asStringList(node);
  };

  const title = text('title');
  if (!title) diagnostics.push(diagnostic('missing-attribute', "the document has no 'title'", doc));
  const name = text('name');
  const meta: Metadata = {
    id: text('id') ?? name ?? fallbackId,
    title: title ?? '(untitled)',
    references: list('references'),
    tags: list('tags'),
    falsepositives: list('falsepositives'),
    attack: { tactics: [], techniques: [] },
  };
  if (name) meta.name = name;
  for (const key of ['description', 'author'] as const) {
    const value = text(key);
    if (value !== undefined) meta[key] = value;
  }
  for (const key of ['date', 'modified'] as const) {
    const value = text(key);
    if (value === undefined) continue;
    meta[key] = value;
    if (!DATE.test(value)) {
      diagnostics.push(diagnostic('attribute-warning', `'${key}' should be an ISO date (YYYY-MM-DD), not '${value}'`, get(doc, key)));
    }
  }
  const status = text('status');
  if (status !== undefined) {
    meta.status = status;
    if (!STATUSES.includes(status)) {
      diagnostics.push(diagnostic('attribute-warning', `unknown status '${status}' (expected ${STATUSES.join(', ')})`, get(doc, 'status')));
    }
  }
  const level = text('level');
  if (level !== undefined) {
    if (LEVELS.includes(level as Level)) meta.level = level as Level;
    else diagnostics.push(diagnostic('attribute-warning', `unknown level '${level}' (expected ${LEVELS.join(', ')})`, get(doc, 'level')));
  }
  const related = get(doc, 'related');
  if (related?.kind === 'seq') {
    meta.related = related.items.flatMap((r) => {
      if (r.kind !== 'map') return [];
      const id = asString(get(r, 'id'));
      return id ? [{ id, type: asString(get(r, 'type')) ?? 'related' }] : [];
    });
  }
  const { coverage, unknown } = coverageFromSigmaTags(meta.tags, attack);
  meta.attack = coverage;
  if (unknown.length > 0) {
    diagnostics.push(
      diagnostic(
        'unknown-attack-tag',
        `ATT&CK ${attack.version} has no ${unknown.map((t) => `'${t}'`).join(', ')} (a newer table can be given with --attack)`,
        get(doc, 'tags'),
      ),
    );
  }
  return meta;
}

export function readLogSource(node: YNode | undefined, diagnostics: Diagnostic[], required: boolean, at: YMap): LogSource {
  if (!node || (node.kind === 'scalar' && node.value === null)) {
    if (required) diagnostics.push(diagnostic('missing-attribute', "the document has no 'logsource'", at));
    return {};
  }
  if (node.kind !== 'map') {
    diagnostics.push(diagnostic('invalid-attribute', "'logsource' must be a map", node));
    return {};
  }
  const logsource: LogSource = {};
  for (const key of ['product', 'category', 'service', 'definition'] as const) {
    const value = asString(get(node, key));
    if (value !== undefined) logsource[key] = value;
  }
  return logsource;
}

export function readFields(node: YNode | undefined): Rule['fields'] {
  return asStringList(node).map((name) => ({ name, source: name }));
}

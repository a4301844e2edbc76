// KQL backend: Defender XDR advanced hunting queries (`xdr`) and Microsoft Sentinel analytics
// rules (`sentinel`, YAML around the query).

import { createHash } from 'node:crypto';
import { fieldsOf } from '../../ast/walk.js';
import { attempt } from '../attempt.js';
import { yamlText, type YamlValue } from '../yaml-text.js';
import { printTree, Unprintable } from '../tree.js';
import type { Backend, TargetRule } from '../types.js';
import { kqlExpression, kqlField } from './query.js';
import { correlationQuery } from './correlation.js';
import { entityMappings } from './entities.js';
import { kqlSource } from './source.js';

export const kql: Backend = {
  target: 'kql',
  formats: ['xdr', 'sentinel'],
  defaultFormat: 'xdr',
  typeTests: true,
  elementTests: false,
  extension: (format) => (format === 'sentinel' ? 'yaml' : 'kql'),
  comment: (format, text) => `${format === 'sentinel' ? '#' : '//'} ${text.replace(/\s+/g, ' ')}`,
  convert: (rule, context) =>
    attempt(() => {
      const query = rule.correlation ? correlationQuery(rule.correlation, context) : singleQuery(rule, context.format);
      return context.format === 'sentinel' ? analyticsRule(rule, query) : query;
    }),
};

function singleQuery(rule: TargetRule, format: string): string {
  if (!rule.condition) throw new Unprintable('the rule has no condition');
  const expression = kqlExpression(printTree(rule.condition), rule.source.columns);
  return format === 'sentinel' ? fullQuery(rule, expression, 'union *') : fullQuery(rule, expression);
}

/** `Table | where ... | project ...`; without a table (no mapping) the bare expression, as Sigma tools print it. */
function fullQuery(rule: TargetRule, expression: string, anyTable?: string): string {
  const project = rule.fields.length > 0 ? `\n| project ${rule.fields.map((f) => kqlField(f.name, rule.source.columns)).join(', ')}` : '';
  const used = rule.condition ? fieldsOf(rule.condition) : new Set<string>();
  for (const f of rule.fields) used.add(f.name);
  const source = kqlSource(rule.source, used, anyTable);
  return source ? `${source}\n| where ${expression}${project}` : `${expression}${project}`;
}

const SEVERITY = { informational: 'Informational', low: 'Low', medium: 'Medium', high: 'High', critical: 'High' } as const;

/** A Sentinel scheduled analytics rule (the YAML the Sentinel repository and its tooling use). */
function analyticsRule(target: TargetRule, query: string): string {
  const rule = target.rule;
  const document: Record<string, YamlValue> = {
    id: sentinelId(rule.id),
    name: rule.title,
    description: rule.description ?? rule.title,
    severity: SEVERITY[rule.level ?? 'medium'],
    requiredDataConnectors: [],
    queryFrequency: '1h',
    queryPeriod: '1h',
    triggerOperator: 'gt',
    triggerThreshold: 0,
    tactics: rule.attack.tactics.map((t) => sentinelTactic(t.name)),
    relevantTechniques: rule.attack.techniques.map((t) => t.id),
    query,
  };
  const entities = entityMappings(target.fields.map((f) => f.name));
  if (entities.length > 0) document.entityMappings = entities;
  document.version = '1.0.0';
  document.kind = 'Scheduled';
  return yamlText(document);
}

/** Sentinel names tactics in PascalCase: 'Command and Control' -> 'CommandAndControl'. */
function sentinelTactic(name: string): string {
  return name
    .split(/[^A-Za-z]+/)
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Sentinel wants a GUID; other ids map to a stable name-based one. */
function sentinelId(id: string): string {
  if (UUID.test(id)) return id.toLowerCase();
  const h = createHash('sha1').update(`rulebridge:${id}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

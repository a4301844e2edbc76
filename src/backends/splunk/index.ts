// Splunk backend: plain searches (`default`) and `savedsearches.conf` stanzas.

import type { Correlation } from '../../ast/rule.js';
import { attempt } from '../attempt.js';
import { printTree, Unprintable } from '../tree.js';
import { correlatedRules } from '../correlated.js';
import type { Backend, ConvertContext, TargetRule } from '../types.js';
import { assemble, splunkQuery } from './query.js';

const FORMATS = ['default', 'savedsearches'] as const;

export const splunk: Backend = {
  target: 'splunk',
  formats: FORMATS,
  defaultFormat: 'default',
  typeTests: false,
  elementTests: true,
  extension: (format) => (format === 'savedsearches' ? 'conf' : 'spl'),
  // SPL's own comment is a triple backtick pair; .conf files take `#` lines.
  comment: (format, text) => (format === 'savedsearches' ? `# ${oneLine(text)}` : `\`\`\`${oneLine(text).replace(/`/g, "'")}\`\`\``),
  convert: (rule, context) =>
    attempt(() => {
      const query = rule.correlation ? correlationQuery(rule.correlation, context) : ruleQuery(rule, context.format);
      return context.format === 'savedsearches' ? savedSearch(rule, query) : query;
    }),
};

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ');
}


function ruleQuery(target: TargetRule, format: string): string {
  if (!target.condition) throw new Unprintable('the rule has no condition');
  const query = splunkQuery(printTree(target.condition));
  let text = assemble(query, { movePrefix: format !== 'savedsearches', ...(target.source.splunk ? { source: target.source.splunk } : {}) });
  if (target.fields.length > 0) text += ` | table ${target.fields.map((f) => splField(f.name)).join(',')}`;
  return text;
}

function splField(name: string): string {
  return /^[\p{L}\p{N}_.{}]+$/u.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

const COMPARE = { gt: '>', gte: '>=', lt: '<', lte: '<=', eq: '==', neq: '!=' } as const;

/** event_count, value_count and temporal: events binned by the timespan, counted by group. */
function correlationQuery(correlation: Correlation, context: ConvertContext): string {
  const supported = ['event_count', 'value_count', 'temporal'];
  if (!supported.includes(correlation.type)) {
    throw new Unprintable(`Splunk conversion of ${correlation.type} correlations is not supported (only ${supported.join(', ')})`, 'unsupported-correlation');
  }
  const parts = correlatedRules(correlation, context).map((c) => ({ name: c.name, query: ruleQuery(c.rule, 'default').replace(/\n/g, ' ') }));
  let search: string;
  if (parts.length === 1 && correlation.type !== 'temporal') search = parts[0]!.query;
  else {
    const subsearches = parts.map((p) => {
      const renames = Object.entries(correlation.aliases)
        .flatMap(([alias, byRule]) => (byRule[p.name] ? [` | rename ${byRule[p.name]} as ${alias}`] : []))
        .join('');
      return `[ search ${p.query} | eval event_type="${p.name}"${renames} ]`;
    });
    search = `| multisearch\n${subsearches.join('\n')}`;
  }
  const span = correlation.timespan.text.replace(/M$/, 'mon');
  const by = correlation.groupBy.length > 0 ? ` ${correlation.groupBy.map(splField).join(' ')}` : '';
  const [aggregate, measure] =
    correlation.type === 'event_count'
      ? ['count as event_count', 'event_count']
      : correlation.type === 'value_count'
        ? [`dc(${correlation.field}) as value_count`, 'value_count']
        : ['dc(event_type) as event_type_count', 'event_type_count'];
  const condition = correlation.condition.map((c) => `${measure} ${COMPARE[c.op]} ${c.value}`).join(' ');
  return `${search}\n\n| bin _time span=${span}\n| stats ${aggregate} by _time${by}\n\n| search ${condition}`;
}

/** A savedsearches.conf stanza; continuation lines end with a backslash. */
function savedSearch(target: TargetRule, query: string): string {
  const rule = target.rule;
  const value = (text: string) => text.replace(/\n/g, ' \\\n');
  const lines = [
    '[default]',
    'dispatch.earliest_time = -30d',
    'dispatch.latest_time = now',
    '',
    `[${rule.title.replace(/[[\]]/g, '')}]`,
    `description = ${value((rule.description ?? '').trim())}`,
    `search = ${value(query)}`,
  ];
  if (rule.level) lines.push(`alert.severity = ${SEVERITY[rule.level]}`);
  const techniques = rule.attack.techniques.map((t) => t.id);
  if (techniques.length > 0) lines.push(`action.correlationsearch.annotations = {"mitre_attack": ${JSON.stringify(techniques)}}`);
  return `${lines.join('\n')}\n`;
}

/** Splunk alert severities: 1 debug, 2 info, 3 low, 4 medium, 5 high, 6 critical. */
const SEVERITY = { informational: 2, low: 3, medium: 4, high: 5, critical: 6 } as const;


// Prints a condition as rulebridge's condition text, the syntax the catalog shows and
// grammars/condition.peggy reads back (parse(print(c)) prints as print(c)).
//
//   type eq "service_key_created"
//   type in ["api_key.created", "api_key.updated"] and not errorCode exists
//   Image endswith "\\cmd.exe" and CommandLine contains all ["-a", "-b"]
//   keyword ["mimikatz", "sekurlsa"]         any(scopes, @ in ["all", "admin"])

import { isPlaceholder, type Condition, type MatchNode, type Value } from './condition.js';
import type { Correlation } from './rule.js';

/** Words of the condition language: a field spelled like one of them is back-quoted. */
export const RESERVED_WORDS = new Set([
  'and',
  'or',
  'not',
  'true',
  'false',
  'null',
  'in',
  'exists',
  'keyword',
  'unknown',
  'field',
  'any',
  'all',
  'none',
  'one',
  'cased',
  'nocase',
  'truthy',
  'ignorecase',
  'multiline',
  'dotall',
  'eq',
  'contains',
  'startswith',
  'endswith',
  'wildcard',
  'regex',
  'cidr',
  'lt',
  'lte',
  'gt',
  'gte',
  'is',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
]);

const BARE_FIELD = /^(?:@|[A-Za-z_$][A-Za-z0-9_$.\-:@/]*)$/;
const BARE_PLACEHOLDER = /^[A-Za-z0-9_.:\-]+$/;

const PREC_OR = 1;
const PREC_AND = 2;
const PREC_NOT = 3;

/**
 * `cased`: whether string tests compare case by default in the rule's format (Sigma: no,
 * Panther's Python: yes). Tests that differ from the default say so (`cased` / `nocase`).
 */
export interface PrintOptions {
  cased?: boolean;
}

export function printCondition(node: Condition, options: PrintOptions = {}): string {
  return print(node, 0, options.cased ?? false);
}

function print(node: Condition, parent: number, cased: boolean): string {
  switch (node.kind) {
    case 'or':
      return wrap(node.children.map((c) => print(c, PREC_OR, cased)).join(' or '), parent > PREC_OR);
    case 'and':
      return wrap(node.children.map((c) => print(c, PREC_AND, cased)).join(' and '), parent > PREC_AND);
    case 'not':
      return `not ${print(node.child, PREC_NOT, cased)}`;
    case 'const':
      return node.value ? 'true' : 'false';
    case 'unknown':
      return node.span
        ? `unknown(${JSON.stringify(node.reason)}, ${node.span.file ? `${JSON.stringify(node.span.file)} ` : ''}${node.span.line}:${node.span.col})`
        : `unknown(${JSON.stringify(node.reason)})`;
    case 'exists':
      return `${printField(node.field)} ${node.truthy ? 'truthy' : 'exists'}`;
    case 'fieldref':
      return `${printField(node.field)} ${node.op}${caseOption(node.cased, cased)} field(${printField(node.ref)})`;
    case 'elements':
      return `${node.quantifier}(${printField(node.field)}, ${print(node.condition, 0, cased)})`;
    case 'keyword': {
      const op = node.op === 'contains' ? '' : ` ${node.op}`;
      return `keyword${op}${printOptions(node, cased)} ${printValues(node.values)}`;
    }
    case 'match':
      return printMatch(node, cased);
  }
}

function printMatch(node: MatchNode, cased: boolean): string {
  const field = node.part ? `${node.part}(${printField(node.field)})` : printField(node.field);
  const options = printOptions(node, cased);
  if (node.op === 'eq' && node.quantifier === 'any' && node.values.length !== 1) {
    return `${field} in${options} ${printList(node.values)}`;
  }
  return `${field} ${node.op}${options} ${printValues(node.values)}`;
}

function caseOption(nodeCased: boolean, defaultCased: boolean): string {
  if (nodeCased === defaultCased) return '';
  return nodeCased ? ' cased' : ' nocase';
}

function printOptions(node: { quantifier: string; cased: boolean; flags?: string }, cased: boolean): string {
  let out = '';
  if (node.quantifier === 'all') out += ' all';
  out += caseOption(node.cased, cased);
  const flags = node.flags ?? '';
  if (flags.includes('i')) out += ' ignorecase';
  if (flags.includes('m')) out += ' multiline';
  if (flags.includes('s')) out += ' dotall';
  return out;
}

function printValues(values: Value[]): string {
  return values.length === 1 ? printValue(values[0]!) : printList(values);
}

function printList(values: Value[]): string {
  return `[${values.map(printValue).join(', ')}]`;
}

export function printValue(value: Value): string {
  if (value === null) return 'null';
  if (isPlaceholder(value)) {
    const name = value.placeholder;
    return BARE_PLACEHOLDER.test(name) ? `%${name}%` : `%${JSON.stringify(name)}%`;
  }
  if (typeof value === 'number') {
    if (Object.is(value, -0)) return '-0';
    return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  }
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return JSON.stringify(value);
}

export function printField(field: string): string {
  if (BARE_FIELD.test(field) && !RESERVED_WORDS.has(field)) return field;
  return '`' + field.replace(/\\/g, '\\\\').replace(/`/g, '\\`') + '`';
}

/** One line for a correlation: `event_count of [failed_login] by User within 10m: gte 10`. */
export function printCorrelation(c: Correlation): string {
  const rules = c.rules.map((r) => r.ref).join(', ');
  const by = c.groupBy.length > 0 ? ` by ${c.groupBy.join(', ')}` : '';
  const field = c.field ? `${c.field} ` : '';
  const condition = c.condition.map((t) => `${t.op} ${t.value}`).join(' and ');
  return `${c.type} of [${rules}]${by} within ${c.timespan.text}: ${field}${condition}`;
}

function wrap(text: string, parens: boolean): string {
  return parens ? `(${text})` : text;
}

// KQL where-expressions. String operators ignore case (`=~`, `contains`, `in~`) unless the test
// is case-sensitive (`==`, `contains_cs`, `in`); a pattern with inner wildcards becomes an
// anchored RE2 regex; IPv4 and IPv6 networks have their own range functions.

import { isPlaceholder, type JsonType, type TimePart } from '../../ast/condition.js';
import { parseNetwork } from '../../ast/cidr.js';
import type { PatternToken } from '../../ast/wildcard.js';
import { chain, printExpression, type Dialect, type MatchLeaf, type TokenTable } from '../printer.js';
import { re2Pattern } from '../regex-dialect.js';
import { Unprintable, type Leaf, type PNode } from '../tree.js';
import { isPlainText, literalOf, patternOf, patternRegex, pythonNumber, REGEX_SPECIAL } from '../values.js';
import { KQL_RESERVED } from './reserved.js';

/** Every nested group is parenthesised, as Sigma's KQL tools do; `not` is a function. */
const TOKENS: TokenTable = {
  and: ' and ',
  or: ' or ',
  binding: { and: 2, or: 1, not: 3 },
  nesting: 'always',
  wrapVariantsUnder: ['and'],
  group: (text) => `(${text})`,
  maxChain: 256,
  not: (text, grouped) => (grouped ? `not((${text}))` : `not(${text})`),
};

export type ColumnTypes = Record<string, string>;

const NUMERIC = new Set(['int', 'long', 'real', 'decimal']);
const TIME_FUNCTION: Record<TimePart, string> = {
  minute: 'datetime_part("minute", todatetime({f}))',
  hour: 'hourofday(todatetime({f}))',
  day: 'dayofmonth(todatetime({f}))',
  week: 'week_of_year(todatetime({f}))',
  month: 'getmonth(todatetime({f}))',
  year: 'getyear(todatetime({f}))',
};
const COMPARE = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

/**
 * The where-expression for a print tree. With column types (a mapped table), numbers compare
 * as numbers on numeric columns and as text elsewhere; without them, as Sigma tools print.
 */
export function kqlExpression(tree: PNode, columns?: ColumnTypes): string {
  const dialect: Dialect = {
    tokens: TOKENS,
    leaf: (leaf, context) => renderLeaf(leaf, columns, context.ancestors.some((a) => a.kind === 'not')),
    list: (group, leaves, context) => (group.kind === 'or' ? inList(leaves, columns, context.ancestors.some((a) => a.kind === 'not')) : undefined),
    isTerm: (node) => node.kind !== 'not' && node.kind !== 'leaf' && node.expansion,
  };
  return printExpression(tree, dialect) ?? 'true';
}

const WORD = /^[\p{L}_][\p{L}\p{N}_]*$/u;

/**
 * A column name: bare when it is a word, else bracketed. A dotted name is a path into a column
 * holding JSON when its first part is such a column (a `string` column is parsed first), or,
 * without a schema, when every part is a word; otherwise it is one column's name.
 */
export function kqlField(name: string, columns?: ColumnTypes): string {
  if (columns?.[name] !== undefined || !name.includes('.')) return quoteName(name);
  const [root, ...path] = name.split('.');
  const type = columns?.[root!];
  const known = type === 'dynamic' || type === 'string';
  if (!known && (columns || !name.split('.').every((p) => WORD.test(p)))) return quoteName(name);
  const head = type === 'string' ? `parse_json(${quoteName(root!)})` : quoteName(root!);
  return head + path.map((p) => (WORD.test(p) && !KQL_RESERVED.has(p) ? `.${p}` : `[${kqlString(p)}]`)).join('');
}

function quoteName(name: string): string {
  return /^[\p{L}\p{N}_]+$/u.test(name) && !KQL_RESERVED.has(name) ? name : `['${name.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
}

export function kqlString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/**
 * Without a schema (or inside a JSON column) a missing field is null, which KQL's string
 * operators read as "": such tests get an explicit presence check where "" would match.
 */
function untyped(field: string, columns: ColumnTypes | undefined): boolean {
  const type = columns?.[field];
  return type === undefined || type === 'dynamic';
}

function renderLeaf(leaf: Leaf, columns: ColumnTypes | undefined, negated: boolean): string {
  switch (leaf.type) {
    case 'match':
      return renderMatch(leaf, columns, negated);
    case 'keyword':
      return renderKeyword(leaf);
    case 'exists':
      return `isnotempty(${kqlField(leaf.field, columns)})`;
    case 'fieldref': {
      const a = kqlField(leaf.field, columns);
      const b = kqlField(leaf.ref, columns);
      const cs = leaf.cased ? '_cs' : '';
      const test = leaf.op === 'eq' ? (leaf.cased ? `${a} == ${b}` : `${a} =~ ${b}`) : `${a} ${leaf.op}${cs} ${b}`;
      // Two missing fields would compare as "" and "".
      const guards = [leaf.field, leaf.ref].filter((f) => untyped(f, columns)).map((f) => `isnotnull(${kqlField(f, columns)})`);
      return guards.length > 0 ? `(${[...guards, test].join(' and ')})` : test;
    }
    case 'const':
      return leaf.value ? 'true' : 'false';
  }
}

/** What gettype() answers for each JSON type. */
const KQL_TYPES: Record<JsonType, string[]> = {
  list: ['array'],
  object: ['dictionary'],
  string: ['string'],
  number: ['int', 'long', 'real', 'decimal'],
  boolean: ['bool'],
  null: ['null'],
};

function renderMatch(leaf: MatchLeaf, columns: ColumnTypes | undefined, negated: boolean): string {
  const value = leaf.value;
  const type = columns?.[leaf.field];
  /** A path into a JSON column of a known table (no type of its own). */
  const dynamic = columns !== undefined && (type === undefined || type === 'dynamic');
  const f = leaf.part ? TIME_FUNCTION[leaf.part].replace('{f}', kqlField(leaf.field, columns)) : kqlField(leaf.field, columns);
  if (value === null) return type === 'string' ? `isempty(${f})` : `isnull(${f})`;
  if (isPlaceholder(value)) throw new Unprintable(`placeholder %${value.placeholder}% has no values; give them with --placeholders`);
  switch (leaf.op) {
    case 'is':
      return `gettype(${f}) in (${KQL_TYPES[String(value) as JsonType].map(kqlString).join(', ')})`;
    case 'regex':
      return `${textOf(f, type)} matches regex ${kqlString(re2Pattern(String(value), leaf.flags))}`;
    case 'cidr': {
      const network = parseNetwork(String(value));
      const fn = network.ok && network.network.version === 6 ? 'ipv6_is_in_range' : 'ipv4_is_in_range';
      const test = `${fn}(${f}, ${kqlString(String(value))})`;
      // The range functions give null for text that is no address, and not(null) drops the row.
      return negated ? `coalesce(${test}, false)` : test;
    }
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
    {
      const test = `${numberOf(f, dynamic ? 'dynamic' : type)} ${COMPARE[leaf.op]} ${typeof value === 'number' ? pythonNumber(value) : String(Number(value))}`;
      // A missing or non-numeric value compares as null, and not(null) drops the row.
      return negated ? `coalesce(${test}, false)` : test;
    }
    default:
      // A value inside a JSON column may be text or a number: compare the text of both.
      if (dynamic && (typeof value === 'number' || typeof value === 'boolean')) {
        return `tostring(${f}) ${typeof value === 'boolean' ? '=~' : '=='} ${kqlString(typeof value === 'number' ? pythonNumber(value) : String(value))}`;
      }
      if (typeof value === 'number') {
        if (type && !NUMERIC.has(type)) return `${f} ${leaf.cased ? '==' : '=~'} ${kqlString(String(value))}`;
        return `${f} == ${pythonNumber(value)}`;
      }
      if (typeof value === 'boolean') return type === 'string' ? `${f} =~ "${value}"` : `${f} == ${value}`;
      return stringTest(f, textOf(f, type), patternOf(leaf.op, value)!, leaf.cased, untyped(leaf.field, columns));
  }
}

/**
 * A string test: the operator that says exactly what the pattern says. `column` is the field,
 * `f` the field as text. A regex lets `.` match newlines, as a wildcard does.
 */
function stringTest(column: string, f: string, tokens: PatternToken[], cased: boolean, untypedField: boolean): string {
  const cs = cased ? '_cs' : '';
  const inner = tokens.slice(1, -1);
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  if (isPlainText(tokens)) {
    const test = `${f} ${cased ? '==' : '=~'} ${kqlString(literalOf(tokens))}`;
    return untypedField && literalOf(tokens) === '' ? `(isnotnull(${column}) and ${test})` : test;
  }
  if (tokens.length === 1 && first === '*') return `isnotnull(${column})`;
  if (first === '*' && last === '*' && isPlainText(inner)) return `${f} contains${cs} ${kqlString(literalOf(inner))}`;
  if (last === '*' && isPlainText(tokens.slice(0, -1))) return `${f} startswith${cs} ${kqlString(literalOf(tokens.slice(0, -1)))}`;
  if (first === '*' && isPlainText(tokens.slice(1))) return `${f} endswith${cs} ${kqlString(literalOf(tokens.slice(1)))}`;
  const regex = `(?${cased ? '' : 'i'}s)^${patternRegex(tokens, REGEX_SPECIAL)}$`;
  return `${f} matches regex ${kqlString(regex)}`;
}

/**
 * `f in~ (...)` for the values without wildcards, then the other tests of the list, in order.
 * Numbers in the list are text, as Sigma compares values; on a numeric column they stay numbers.
 */
function inList(leaves: MatchLeaf[], columns: ColumnTypes | undefined, negated: boolean): string | undefined {
  const first = leaves[0]!;
  const type = columns?.[first.field];
  const cased = first.cased;
  const plain: Array<string | number> = [];
  const others: MatchLeaf[] = [];
  for (const leaf of leaves) {
    const value = leaf.value;
    if (leaf.part || leaf.cased !== cased) return undefined;
    if (typeof value === 'number' && leaf.op === 'eq') plain.push(value);
    else if (typeof value === 'string' && patternOf(leaf.op, value)) {
      const tokens = patternOf(leaf.op, value)!;
      if (isPlainText(tokens)) plain.push(literalOf(tokens));
      else others.push(leaf);
    } else return undefined;
  }
  const parts: string[] = [];
  if (plain.length > 0) {
    const numeric = type !== undefined && NUMERIC.has(type) && plain.every((v) => typeof v === 'number' || /^-?\d+(\.\d+)?$/.test(v));
    const f = kqlField(first.field, columns);
    if (numeric) parts.push(`${f} in (${plain.map((v) => (typeof v === 'number' ? pythonNumber(v) : v)).join(', ')})`);
    else {
      const texts = plain.map((v) => kqlString(typeof v === 'number' ? pythonNumber(v) : v));
      const list = `${textOf(f, type)} ${cased ? 'in' : 'in~'} (${texts.join(', ')})`;
      // "" in the list would also match a missing field (see untyped).
      parts.push(untyped(first.field, columns) && plain.includes('') ? `(isnotnull(${f}) and ${list})` : list);
    }
  }
  for (const leaf of others) parts.push(renderMatch(leaf, columns, negated));
  return chain(parts, TOKENS.or, TOKENS);
}

/** A string operator on a non-string column needs the column as text. */
function textOf(f: string, type: string | undefined): string {
  return type && type !== 'string' && type !== 'dynamic' ? `tostring(${f})` : f;
}

function numberOf(f: string, type: string | undefined): string {
  return type && !NUMERIC.has(type) ? `todouble(${f})` : f;
}

/**
 * A keyword anywhere in the row. Plain text is `* contains`; a pattern is matched against the
 * row as JSON text, each wildcard kept inside one JSON string so that it cannot span fields.
 */
function renderKeyword(leaf: Extract<Leaf, { type: 'keyword' }>): string {
  const value = leaf.value;
  if (isPlaceholder(value)) throw new Unprintable(`placeholder %${value.placeholder}% has no values; give them with --placeholders`);
  if (value === null) throw new Unprintable('a keyword cannot be null');
  if (leaf.op === 'regex') throw new Unprintable('KQL has no regular-expression search over every column');
  const tokens: PatternToken[] = leaf.op === 'wildcard' ? patternOf('wildcard', String(value))! : [{ lit: String(value) }];
  const inner = tokens[0] === '*' ? tokens.slice(1) : tokens;
  const body = inner[inner.length - 1] === '*' ? inner.slice(0, -1) : inner;
  if (isPlainText(body)) return `* ${leaf.cased ? 'contains_cs' : 'contains'} ${kqlString(literalOf(body))}`;
  const json = (text: string) => JSON.stringify(text).slice(1, -1);
  const inString = '(?:[^"\\\\]|\\\\.)';
  let regex = '';
  for (const t of body) regex += t === '*' ? `${inString}*` : t === '?' ? inString : json(t.lit).replace(REGEX_SPECIAL, '\\$&');
  return `tostring(pack_all()) matches regex ${kqlString(`${leaf.cased ? '' : '(?i)'}${regex}`)}`;
}

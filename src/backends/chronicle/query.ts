// Google SecOps (Chronicle) expressions, shared by UDM search and YARA-L events. Strings
// compare with `= "x" nocase`; patterns become RE2 regex literals that carry their own anchors
// (Chronicle regexes match anywhere unless anchored); negated tests are written with `!=`.

import { isPlaceholder } from '../../ast/condition.js';
import type { PatternToken } from '../../ast/wildcard.js';
import { printExpression, type Dialect, type MatchLeaf, type TokenTable } from '../printer.js';
import { re2Pattern } from '../regex-dialect.js';
import { Unprintable, type Leaf, type PNode } from '../tree.js';
import { encodeControls, isPlainText, literalOf, patternOf, pythonNumber, regexText } from '../values.js';
import { UDM_ENUM_FIELDS, UDM_NUMBER_FIELDS, UDM_PATH_ROOT } from './udm-fields.js';

const TOKENS: TokenTable = {
  and: ' AND ',
  or: ' OR ',
  binding: { and: 2, or: 1, not: 3 },
  nesting: 'mixed',
  wrapVariantsUnder: ['and'],
  group: (text) => `(${text})`,
  not: (text, grouped) => (grouped ? `NOT (${text})` : `NOT ${text}`),
};

/** Characters a Chronicle regex literal escapes: the RE2 metacharacters and its `/` delimiter. */
const REGEX_LITERAL_SPECIAL = /[.*+?^${}()|[\]\\/]/g;
const COMPARE = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

export interface ChronicleOptions {
  /** Prefix of every field (`$e.` in YARA-L events). */
  prefix: string;
  /** YARA-L can compare two fields of an event; UDM search cannot. */
  fieldComparison: boolean;
}

export function chronicleExpression(tree: PNode, options: ChronicleOptions): string {
  const dialect: Dialect = {
    tokens: TOKENS,
    leaf: (leaf) => renderLeaf(leaf, false, options),
    negatedLeaf: (leaf) => renderLeaf(leaf, true, options),
    list: (group, leaves) => (group.kind === 'or' ? regexList(leaves, false, options) : undefined),
    negatedList: (group, leaves) => (group.kind === 'or' ? regexList(leaves, true, options) : undefined),
    isTerm: (node) => node.kind !== 'not' && node.kind !== 'leaf' && node.expansion,
    listIsTerm: true,
  };
  return printExpression(tree, dialect) ?? `${options.prefix}metadata.event_type != ""`;
}

/** A string literal: backslashes and quotes escaped. */
export function chronicleString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}

/** A UDM path: dotted names, map keys in brackets (`additional.fields["x"]`). */
const UDM_PATH = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*|\["(?:[^"\\\n]|\\.)*"\])*$/;

/** A field as UDM path, or an error for a name that cannot be one. */
export function udmPath(field: string): string {
  if (!UDM_PATH.test(field)) throw new Unprintable(`'${field}' is not a UDM field path; map it to one (--mapping)`);
  return field;
}

function fieldName(field: string, options: ChronicleOptions): string {
  return `${options.prefix}${udmPath(field)}`;
}

/** Enumerated UDM fields take their constants exactly; other strings compare ignoring case. */
function nocase(field: string, cased: boolean): string {
  if (cased) return '';
  return UDM_ENUM_FIELDS.has(field) || (UDM_PATH_ROOT.test(field) && endsWithOneOf(field, UDM_ENUM_FIELDS)) ? '' : ' nocase';
}

/** Whether the path ends with one of the fields (`target.process.pid` ends with `pid`). */
function endsWithOneOf(field: string, fields: Set<string>): boolean {
  for (let i = field.indexOf('.'); i !== -1; i = field.indexOf('.', i + 1)) if (fields.has(field.slice(i + 1))) return true;
  return false;
}

/**
 * A number or boolean as the field takes it: a UDM field holds text unless the schema says it
 * is numeric; a rule's own field names (no mapping) keep the value's type, as Sigma tools print.
 */
function scalar(field: string, value: number | boolean): string {
  const text = typeof value === 'number' ? pythonNumber(value) : String(value);
  const numeric = typeof value === 'number' && endsWithOneOf(field, UDM_NUMBER_FIELDS);
  return UDM_PATH_ROOT.test(field) && !numeric ? chronicleString(text) : text;
}

function renderLeaf(leaf: Leaf, negated: boolean, options: ChronicleOptions): string | undefined {
  const eq = negated ? '!=' : '=';
  switch (leaf.type) {
    case 'match':
      return renderMatch(leaf, negated, options);
    case 'keyword':
      throw new Unprintable('Chronicle has no search of a value anywhere in an event (keyword); map it to a field');
    case 'exists':
      return `${fieldName(leaf.field, options)} ${negated ? '=' : '!='} ""`;
    case 'fieldref': {
      if (!options.fieldComparison) throw new Unprintable('UDM search cannot compare two fields of an event; use the YARA-L format');
      if (leaf.op !== 'eq') throw new Unprintable(`Chronicle has no test for '${leaf.field}' ${leaf.op} the value of '${leaf.ref}'`);
      const [a, b] = [fieldName(leaf.field, options), fieldName(leaf.ref, options)];
      return leaf.cased ? `${a} ${eq} ${b}` : `strings.to_lower(${a}) ${eq} strings.to_lower(${b})`;
    }
    case 'const':
      return negated ? undefined : leaf.value ? `${options.prefix}metadata.event_type != ""` : `${options.prefix}metadata.event_type = ""`;
  }
}

function renderMatch(leaf: MatchLeaf, negated: boolean, options: ChronicleOptions): string | undefined {
  const value = leaf.value;
  const f = fieldName(leaf.field, options);
  const eq = negated ? '!=' : '=';
  if (leaf.part) throw new Unprintable(`Chronicle has no form for the ${leaf.part} of an arbitrary field (${leaf.field})`);
  if (value === null) return `${f} ${eq} ""`;
  if (isPlaceholder(value)) throw new Unprintable(`placeholder %${value.placeholder}% has no values; give them with --placeholders`);
  switch (leaf.op) {
    case 'is':
      throw new Unprintable(`Chronicle has no test of the JSON type of a value (${leaf.field})`);
    case 'regex': {
      const pattern = re2Pattern(String(value), leaf.flags);
      return `${f} ${eq} /${escapeDelimiter(pattern)}/${leaf.flags.includes('i') ? ' nocase' : ''}`;
    }
    case 'cidr':
      return `${negated ? 'NOT ' : ''}net.ip_in_range_cidr(${f}, ${chronicleString(String(value))})`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte': {
      const test = `${f} ${COMPARE[leaf.op]} ${typeof value === 'number' ? pythonNumber(value) : String(Number(value))}`;
      return negated ? `NOT ${test}` : test;
    }
    default:
      if (typeof value === 'number' || typeof value === 'boolean') return `${f} ${eq} ${scalar(leaf.field, value)}`;
      return stringTest(f, leaf.field, patternOf(leaf.op, value)!, leaf.cased, negated);
  }
}

function stringTest(f: string, field: string, tokens: PatternToken[], cased: boolean, negated: boolean): string {
  const eq = negated ? '!=' : '=';
  if (isPlainText(tokens)) return `${f} ${eq} ${chronicleString(literalOf(tokens))}${nocase(field, cased)}`;
  return `${f} ${eq} /${anchoredRegex(tokens)}/${cased ? '' : ' nocase'}`;
}

/**
 * A pattern as a regex: anchored where the pattern does not start or end with `*`; with `(?s)`
 * when a wildcard inside it becomes `.`, which must match newlines as the wildcard does.
 */
function anchoredRegex(tokens: PatternToken[]): string {
  let body = tokens;
  const open = body[0] === '*';
  const close = body.length > 1 && body[body.length - 1] === '*';
  if (open) body = body.slice(1);
  if (close) body = body.slice(0, -1);
  let regex = '';
  for (const t of body) regex += t === '*' ? '.*' : t === '?' ? '.' : regexText(t.lit, REGEX_LITERAL_SPECIAL);
  const anchored = `${open ? '' : '^'}${regex}${close || (open && body.length === 0) ? '' : '$'}`;
  // `//` would open a comment: a pattern that matches anything says so.
  if (anchored === '') return '.*';
  return body.some((t) => typeof t === 'string') ? `(?s)${anchored}` : anchored;
}

/**
 * An OR of string tests of one field as one regex, each alternative with its own anchors;
 * negated, a conjunction of `!=` tests.
 */
function regexList(leaves: MatchLeaf[], negated: boolean, options: ChronicleOptions): string | undefined {
  const first = leaves[0]!;
  if (leaves.some((l) => l.cased !== first.cased || l.part || typeof l.value !== 'string' || !patternOf(l.op, l.value))) return undefined;
  const f = fieldName(first.field, options);
  const suffix = first.cased ? '' : ' nocase';
  const alternatives = leaves.map((l) => anchoredRegex(patternOf(l.op, l.value as string)!));
  if (!negated) return `${f} = /${alternatives.join('|')}/${suffix}`;
  return `(${alternatives.map((a) => `${f} != /${a}/${suffix}`).join(' AND ')})`;
}

/** A regex literal's body: `/` escaped, control characters as escapes (a literal is one line). */
function escapeDelimiter(pattern: string): string {
  return encodeControls(pattern).replace(/\\.|\//g, (m) => (m === '/' ? '\\/' : m));
}

// SPL: the search expression and the pipeline commands it needs.
//
// Search syntax compares case-insensitively with `*` wildcards; whatever it cannot say (a
// regular expression, a `?` wildcard, a case-sensitive value, a field compared with a field)
// becomes a `| regex` / `| where` command after the search when the test is one of the search's
// top-level conjuncts, or else a `| rex` + `| eval` pair that computes a flag the search tests.

import { createHash } from 'node:crypto';
import { printExpression, type Dialect, type LeafContext, type MatchLeaf, type TokenTable } from '../printer.js';
import { Unprintable, type Leaf, type PNode } from '../tree.js';
import { encodeControls, hasSingleWildcard, patternOf, patternRegex, pythonNumber, REGEX_SPECIAL } from '../values.js';
import type { PatternToken } from '../../ast/wildcard.js';
import { isPlaceholder } from '../../ast/condition.js';

/** In SPL's search command OR binds tighter than AND; NOT tightest of all. */
const TOKENS: TokenTable = {
  and: ' ',
  or: ' OR ',
  binding: { and: 1, or: 2, not: 3 },
  nesting: 'binding',
  wrapVariantsUnder: [],
  group: (text) => `(${text})`,
  not: (text, grouped) => (grouped ? `NOT (${text})` : `NOT ${text}`),
};

/** Field names search takes unquoted, including JSON array paths such as `user.groups{}`. */
const BARE_FIELD = /^[\p{L}\p{N}_.{}]+$/u;
const COMPARE = { lt: '<', lte: '<=', gt: '>', gte: '>=' } as const;

export interface SplunkQuery {
  /** The search expression (`*` when everything went to commands). */
  search: string;
  /** `rex` / `eval` commands that compute flags the search tests. */
  flags: string[];
  /** `regex` / `where` commands that filter after the search. */
  filters: string[];
}

export function splunkQuery(tree: PNode): SplunkQuery {
  const state: State = { flags: [], filters: [], counters: new Map() };
  const dialect: Dialect = {
    tokens: TOKENS,
    leaf: (leaf, context) => renderLeaf(leaf, context, state),
    list: (group, leaves) => (group.kind === 'or' ? inList(leaves) : undefined),
  };
  const search = printExpression(tree, dialect) ?? '*';
  return { search, flags: state.flags, filters: state.filters };
}

/**
 * The query as one text: the search terms that select the events (the mapping's `source`, and
 * with `movePrefix` the rule's own leading conjuncts), the flag commands, the rest of the search,
 * then the filters. A query never starts with a pipe: a search without terms starts with `*`.
 */
export function assemble(query: SplunkQuery, options: { movePrefix: boolean; source?: string }): string {
  const source = options.source;
  let text: string;
  if (query.flags.length === 0) text = source ? (query.search === '*' ? source : `${source} ${query.search}`) : query.search;
  else {
    const prefix = options.movePrefix ? leadingConjuncts(query.search, query.flags) : { moved: '', rest: query.search };
    const head = [source, prefix.moved].filter(Boolean).join(' ') || '*';
    text = `${head}\n| ${query.flags.join('\n| ')}\n| search ${prefix.rest}`;
  }
  if (query.filters.length > 0) text += `\n| ${query.filters.join('\n| ')}`;
  return text;
}

interface State {
  flags: string[];
  filters: string[];
  counters: Map<string, number>;
}

function field(name: string): string {
  return BARE_FIELD.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

/** A string in search syntax: `\` and `"` escaped, wildcards as `*`. */
function searchString(tokens: PatternToken[]): string {
  return `"${tokens.map((t) => (t === '*' ? '*' : t === '?' ? '?' : t.lit.replace(/[\\"]/g, '\\$&'))).join('')}"`;
}

/**
 * Search syntax ignores case, has no one-character wildcard and cannot escape a literal `*`
 * (a backslash does not escape it); control characters are safer as regex escapes than raw in
 * a quoted string. Such tests go to a regular expression.
 */
function needsRegex(tokens: PatternToken[], cased: boolean): boolean {
  return cased || hasSingleWildcard(tokens) || tokens.some((t) => typeof t !== 'string' && /[*\x00-\x1f\x7f]/.test(t.lit));
}

function renderLeaf(leaf: Leaf, context: LeafContext, state: State): string | undefined {
  switch (leaf.type) {
    case 'match':
      return renderMatch(leaf, context, state);
    case 'keyword': {
      const value = leaf.value;
      if (isPlaceholder(value)) throw placeholderError(value.placeholder);
      if (typeof value === 'number') return pythonNumber(value);
      const text = String(value);
      if (leaf.op === 'regex') return regexTest('_raw', text, leaf.flags, context, state);
      const tokens = leaf.op === 'wildcard' ? patternOf('wildcard', text)! : [{ lit: text }];
      if (needsRegex(tokens, leaf.cased)) return regexTest('_raw', patternRegex(tokens, REGEX_SPECIAL), wildcardFlags(tokens, leaf.cased), context, state);
      return searchString(tokens);
    }
    case 'exists':
      return `${field(leaf.field)}=*`;
    case 'fieldref':
      return fieldRefTest(leaf, context, state);
    case 'const':
      return leaf.value ? '*' : 'NOT *';
  }
}

function renderMatch(leaf: MatchLeaf, context: LeafContext, state: State): string | undefined {
  const value = leaf.value;
  if (leaf.part) throw new Unprintable(`Splunk search has no form for the ${leaf.part} of a timestamp field (${leaf.field})`);
  if (value === null) return `NOT ${field(leaf.field)}=*`;
  if (isPlaceholder(value)) throw placeholderError(value.placeholder);
  switch (leaf.op) {
    case 'is':
      throw new Unprintable(`Splunk search has no test of the JSON type of a value (${leaf.field})`);
    case 'regex':
      return regexTest(leaf.field, String(value), leaf.flags, context, state);
    case 'cidr':
      // The search command matches IPv4 and IPv6 networks written in CIDR notation.
      return `${field(leaf.field)}="${value}"`;
    case 'lt':
    case 'lte':
    case 'gt':
    case 'gte':
      return `${field(leaf.field)}${COMPARE[leaf.op]}${typeof value === 'number' ? pythonNumber(value) : searchString([{ lit: String(value) }])}`;
    default: {
      if (typeof value === 'number') return `${field(leaf.field)}=${pythonNumber(value)}`;
      if (typeof value === 'boolean') return `${field(leaf.field)}=${value}`;
      const tokens = patternOf(leaf.op, value)!;
      if (needsRegex(tokens, leaf.cased)) {
        return regexTest(leaf.field, `^${patternRegex(tokens, REGEX_SPECIAL)}$`, wildcardFlags(tokens, leaf.cased), context, state);
      }
      return `${field(leaf.field)}=${searchString(tokens)}`;
    }
  }
}

/** `f IN (...)` for an OR of string and number tests of one field, wildcards allowed. */
function inList(leaves: MatchLeaf[]): string | undefined {
  const values: string[] = [];
  for (const leaf of leaves) {
    const value = leaf.value;
    if (leaf.part || leaf.cased) return undefined;
    if (typeof value === 'number' && leaf.op === 'eq') values.push(pythonNumber(value));
    else if (typeof value === 'string') {
      const tokens = patternOf(leaf.op, value);
      if (!tokens || needsRegex(tokens, false)) return undefined;
      values.push(searchString(tokens));
    } else return undefined;
  }
  return `${field(leaves[0]!.field)} IN (${values.join(', ')})`;
}

/**
 * Whether a test can move to a command after the search: it is reached from the top through
 * conjunctions only, with at most a negation right above it.
 */
function topLevelConjunct(context: LeafContext): { ok: boolean; negated: boolean } {
  const a = context.ancestors;
  const negated = a.length > 0 && a[a.length - 1]!.kind === 'not';
  const above = negated ? a.slice(0, -1) : a;
  return { ok: above.every((n) => n.kind === 'and'), negated };
}

/** A pattern's regex ignores case unless cased, and lets `.` (a wildcard) match newlines. */
function wildcardFlags(tokens: PatternToken[], cased: boolean): string {
  return `${cased ? '' : 'i'}${tokens.some((t) => typeof t === 'string') ? 's' : ''}`;
}

function regexTest(name: string, pattern: string, flags: string, context: LeafContext, state: State): string | undefined {
  const regex = encodeControls(`${flags ? `(?${[...flags].sort().join('')})` : ''}${pattern}`).replace(/[\\"]/g, '\\$&');
  const placement = topLevelConjunct(context);
  if (placement.ok) {
    state.filters.push(`regex ${rawField(name)}${placement.negated ? '!=' : '='}"${regex}"`);
    return undefined;
  }
  const { match, condition } = flagNames(name, state);
  state.flags.push(`rex field=${rawField(name)} "(?<${match}>${regex})"`, `eval ${condition}=if(isnotnull(${match}), "true", "false")`);
  return `${field(condition)}="true"`;
}

function fieldRefTest(leaf: Extract<Leaf, { type: 'fieldref' }>, context: LeafContext, state: State): string | undefined {
  const quoted = (f: string) => `'${f.replace(/['\\]/g, '\\$&')}'`;
  const lower = (f: string) => (leaf.cased ? quoted(f) : `lower(${quoted(f)})`);
  const a = lower(leaf.field);
  const b = lower(leaf.ref);
  let test: string;
  switch (leaf.op) {
    case 'eq':
      test = `${a}=${b}`;
      break;
    case 'startswith':
      test = `substr(${a}, 1, len(${quoted(leaf.ref)}))=${b}`;
      break;
    case 'endswith':
      test = `substr(${a}, len(${quoted(leaf.field)})-len(${quoted(leaf.ref)})+1)=${b}`;
      break;
    case 'contains':
      throw new Unprintable(`Splunk has no exact test for '${leaf.field}' containing the value of '${leaf.ref}'`);
  }
  const placement = topLevelConjunct(context);
  if (placement.ok) {
    state.filters.push(`where ${placement.negated ? 'NOT ' : ''}${test}`);
    return undefined;
  }
  const { condition } = flagNames(leaf.field, state);
  state.flags.push(`eval ${condition}=if(${test}, "true", "false")`);
  return `${field(condition)}="true"`;
}

/**
 * `<Field>Match<N>` / `<Field>Condition<N>`, named after the last part of the field and
 * numbered by that name, so that `a.scopes` and `b.scopes` get names of their own.
 */
function flagNames(name: string, state: State): { match: string; condition: string } {
  // Capture group and eval names are words.
  const base = name.slice(name.lastIndexOf('.') + 1).replace(/\W/g, '_');
  const n = (state.counters.get(base) ?? 0) + 1;
  state.counters.set(base, n);
  const suffix = n === 1 ? '' : String(n);
  let match = `${base}Match${suffix}`;
  if (match.length > 32) {
    // Splunk caps capture group names at 32 characters.
    const digest = createHash('blake2s256').update(base).digest('hex').slice(0, 8);
    match = `${base.slice(0, 32 - `Match${suffix}`.length - 8)}${digest}Match${suffix}`;
  }
  return { match, condition: `${base}Condition${suffix}` };
}

/** Commands such as `regex` and `rex` take a field name as written unless it has spaces or quotes. */
function rawField(name: string): string {
  return /^[^\s"=]+$/.test(name) ? name : `"${name.replace(/["\\]/g, '\\$&')}"`;
}

function placeholderError(name: string): Unprintable {
  return new Unprintable(`placeholder %${name}% has no values; give them with --placeholders`);
}

/**
 * The search's leading `field=value` conjuncts, which may run before the `rex`/`eval`
 * commands and so cut the events those have to process. A term followed by `OR` belongs to
 * a disjunction and stays.
 */
function leadingConjuncts(search: string, flags: string[]): { moved: string; rest: string } {
  const generated = new Set(flags.flatMap((f) => /^eval (\S+)=/.exec(f)?.[1] ?? []));
  const term = /^([\p{L}\p{N}_.]+)=(?:"(?:\\.|[^"\\])*"|[^\s")]+)(?=\s|$)/u;
  const moved: string[] = [];
  let rest = search;
  for (;;) {
    const m = term.exec(rest);
    if (!m || generated.has(m[1]!)) break;
    const after = rest.slice(m[0].length);
    if (/^\s+OR\b/.test(after) || after.trim() === '') break;
    moved.push(m[0]);
    rest = after.trimStart();
  }
  return { moved: moved.join(' '), rest };
}

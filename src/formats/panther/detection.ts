// Panther simple detections (`Detection:` and `InlineFilters:` in YAML): match expressions on a
// key (`Key`, `KeyPath` with dots, `DeepKey` as a list) with a named `Condition`, combined by
// `All`, `Any`, `OnlyOne` and `None`; a top-level list means all of its items.

import { and, elements, exists, FALSE, match, not, or, TRUE, unknown, type Condition, type ElementQuantifier, type MatchOp, type Value } from '../../ast/condition.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { asString, asStringList, get, toPlain, type YMap, type YNode } from '../yaml.js';

export interface DetectionResult {
  condition?: Condition;
  diagnostics: Diagnostic[];
}

/** Conditions over the elements of an array field, each with its own `Expressions`. */
const ELEMENT_QUANTIFIERS: Record<string, ElementQuantifier> = { anyelement: 'any', allelements: 'all', noelement: 'none', onlyoneelement: 'one' };

/** Positive conditions by name (`Is` / `Does` prefixes aside), and their negations. */
const TESTS: Record<string, { op: MatchOp | 'null' | 'empty' | 'exists'; negated?: boolean }> = {
  equals: { op: 'eq' },
  doesnotequal: { op: 'eq', negated: true },
  isin: { op: 'eq' },
  isnotin: { op: 'eq', negated: true },
  contains: { op: 'contains' },
  doesnotcontain: { op: 'contains', negated: true },
  startswith: { op: 'startswith' },
  doesnotstartwith: { op: 'startswith', negated: true },
  endswith: { op: 'endswith' },
  doesnotendwith: { op: 'endswith', negated: true },
  isgreaterthan: { op: 'gt' },
  isgreaterthanorequal: { op: 'gte' },
  islessthan: { op: 'lt' },
  islessthanorequal: { op: 'lte' },
  isipaddressincidr: { op: 'cidr' },
  isipaddressnotincidr: { op: 'cidr', negated: true },
  cidrmatch: { op: 'cidr' },
  greaterthan: { op: 'gt' },
  greaterthanorequal: { op: 'gte' },
  lessthan: { op: 'lt' },
  lessthanorequal: { op: 'lte' },
  exists: { op: 'exists' },
  doesnotexist: { op: 'exists', negated: true },
  isnull: { op: 'null' },
  isnotnull: { op: 'null', negated: true },
  isnullorempty: { op: 'empty' },
  isnotnullorempty: { op: 'empty', negated: true },
};

export function simpleDetection(node: YNode): DetectionResult {
  const diagnostics: Diagnostic[] = [];
  const condition = readDetection(node, diagnostics);
  // An empty list (InlineFilters: - All: []) filters nothing.
  return { condition: condition.kind === 'and' && condition.children.length === 0 ? TRUE : condition, diagnostics };
}

function readDetection(node: YNode, diagnostics: Diagnostic[]): Condition {
  const read = (n: YNode): Condition => {
    if (n.kind === 'seq') return and(n.items.map(read));
    if (n.kind !== 'map') {
      diagnostics.push(diagnostic('invalid-attribute', 'a detection item must be a map', n));
      return unknown('malformed detection item', { line: n.line, col: n.col });
    }
    for (const combinator of ['All', 'Any', 'OnlyOne', 'None'] as const) {
      const items = get(n, combinator);
      if (!items) continue;
      const parts = items.kind === 'seq' ? items.items.map(read) : [read(items)];
      if (combinator === 'All') return and(parts);
      if (combinator === 'Any') return or(parts);
      if (combinator === 'None') return not(or(parts));
      // Exactly one: each part true with the others false.
      return or(parts.map((p, i) => and([p, ...parts.filter((_, j) => j !== i).map((q) => not(q))])));
    }
    return matchExpression(n, diagnostics);
  };
  return read(node);
}

function matchExpression(n: YMap, diagnostics: Diagnostic[]): Condition {
  const span = { line: n.line, col: n.col };
  const field = asString(get(n, 'Key')) ?? asString(get(n, 'KeyPath')) ?? (get(n, 'DeepKey') ? asStringList(get(n, 'DeepKey')).join('.') : undefined);
  const name = asString(get(n, 'Condition'));
  if (!field || !name) {
    diagnostics.push(diagnostic('unsupported-construct', `a detection item rulebridge cannot read (${n.entries.map((e) => e.key).join(', ')})`, n));
    return unknown('unsupported detection item', span);
  }
  const quantifier = ELEMENT_QUANTIFIERS[name.toLowerCase()];
  if (quantifier) {
    const inner = get(n, 'Expressions');
    if (!inner) {
      diagnostics.push(diagnostic('invalid-attribute', `detection condition '${name}' needs Expressions`, n));
      return unknown(`${name} without Expressions`, span);
    }
    // inside, keys are read from each element
    return elements(field, quantifier, readDetection(inner, diagnostics), span);
  }
  // an `I` in front of a test's name compares ignoring case (IEquals, IContains, IIsIn, ...)
  const lowered = name.toLowerCase();
  const cased = TESTS[lowered] !== undefined;
  const test = TESTS[lowered] ?? (lowered.startsWith('i') ? TESTS[lowered.slice(1)] : undefined);
  if (!test) {
    diagnostics.push(diagnostic('unsupported-construct', `detection condition '${name}' is not supported`, get(n, 'Condition')!));
    return unknown(`detection condition ${name}`, span);
  }
  const valueNode = get(n, 'Values') ?? get(n, 'Value');
  const values = valueNode ? (toPlain(valueNode) as unknown) : undefined;
  const list = (Array.isArray(values) ? values : values === undefined ? [] : [values]).filter((v): v is Value => v === null || ['string', 'number', 'boolean'].includes(typeof v));
  let positive: Condition;
  if (test.op === 'exists') positive = exists(field, span);
  else if (test.op === 'null') positive = match(field, 'eq', [null], { cased: true, span });
  else if (test.op === 'empty') positive = or([match(field, 'eq', [null], { cased: true, span }), match(field, 'eq', [''], { cased: true, span })]);
  else if (list.length === 0) {
    diagnostics.push(diagnostic('invalid-attribute', `detection condition '${name}' needs a Value`, n));
    return FALSE;
  } else positive = match(field, test.op, list, { cased, span });
  return test.negated ? not(positive) : positive;
}

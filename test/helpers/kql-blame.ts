// Which tests of a rule make its KQL disagree with the evaluator on an event: each test (a leaf of
// the condition) is printed alone, evaluated alone by both sides, and reported when the verdicts
// differ. A leaf where KQL says null and the evaluator says false is reported too: such a leaf
// decides the rule differently once it sits under a `not`.
//
// The class of a blamed leaf names its kind, operator, case-sensitivity and printed form, the
// shape of the field's value, and both verdicts. Grouping disagreements by class turns hundreds of
// failing pairs into a few findings.

import type { Condition } from '../../src/ast/condition.js';
import { visit } from '../../src/ast/walk.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { lookupField } from '../../src/eval/fields.js';
import { kqlExpression } from '../../src/backends/kql/query.js';
import { printTree } from '../../src/backends/tree.js';
import { compileKqlExpression, KqlUnsupported, rowOf } from './kql-eval.js';

export interface Blame {
  /** The leaf as KQL. */
  kql: string;
  evaluator: boolean;
  kqlVerdict: boolean | null | 'unsupported';
  /** What kind of test and value this is: the class of the disagreement. */
  kind: string;
}

export function blame(condition: Condition, event: unknown): Blame[] {
  const out: Blame[] = [];
  visit(condition, (node) => {
    if (node.kind === 'and' || node.kind === 'or' || node.kind === 'not') return;
    const kql = kqlExpression(printTree(node));
    const evaluator = evaluate(node, event);
    let kqlVerdict: Blame['kqlVerdict'];
    try {
      const v = compiled(kql)(rowOf(event));
      kqlVerdict = v.type === 'bool' ? v.value : 'unsupported';
    } catch (error) {
      if (!(error instanceof KqlUnsupported)) throw error;
      kqlVerdict = 'unsupported';
    }
    if (kqlVerdict !== evaluator) out.push({ kql, evaluator, kqlVerdict, kind: `${leafKind(node, kql)} on ${valueShape(node, event)}: evaluator ${evaluator}, KQL ${kqlVerdict}` });
    return false;
  });
  return out;
}

const cache = new Map<string, ReturnType<typeof compileKqlExpression>>();

/** Leaves recur across the events of a rule; Microsoft's parser reads each text once. */
function compiled(kql: string): ReturnType<typeof compileKqlExpression> {
  let expr = cache.get(kql);
  if (!expr) {
    expr = compileKqlExpression(kql);
    cache.set(kql, expr);
  }
  return expr;
}

/** The kind of test, named by the form the printer gave it where that is what matters. */
function leafKind(node: Condition, kql: string): string {
  switch (node.kind) {
    case 'match': {
      const cased = node.cased ? ' cased' : '';
      const values = node.values.some((v) => v === '') ? ' ""' : node.values.some((v) => v === null) ? ' null' : '';
      const base = `${node.op}${cased}${node.flags ? ` /${node.flags}` : ''}${values}`;
      if (node.op === 'regex' || node.op === 'cidr' || !isStringOp(node.op)) return base;
      if (/ matches regex /.test(kql)) return `${base} (printed as a regex)`;
      if (/ startswith(_cs)? ""/.test(kql)) return `${base} matching any text (printed as startswith "")`;
      return base;
    }
    case 'fieldref':
      return `fieldref ${node.op}${node.cased ? ' cased' : ''}`;
    case 'keyword':
      return `keyword ${node.op}`;
    default:
      return node.kind;
  }
}

function isStringOp(op: string): boolean {
  return op === 'eq' || op === 'contains' || op === 'startswith' || op === 'endswith' || op === 'wildcard';
}

/** The shape of the value the leaf looks at: missing, null, empty, text with line breaks... */
function valueShape(node: Condition, event: unknown): string {
  const field = node.kind === 'match' || node.kind === 'exists' || node.kind === 'fieldref' || node.kind === 'elements' ? node.field : undefined;
  if (field === undefined) return 'the whole event';
  const found = lookupField(event, field);
  if (!found.found) return 'a missing field';
  const shapes = new Set(found.values.map(shapeOf));
  return [...shapes].join(' / ');
}

function shapeOf(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return typeof value;
  if (value === '') return 'empty text';
  if (/^(\d{1,3}\.){3}\d{1,3}$/.test(value)) return 'IPv4 text';
  if (value.includes(':') && /^[0-9a-fA-F:.]+$/.test(value)) return 'IPv6 text';
  const features = TEXT_FEATURES.filter(([re]) => re.test(value)).map(([, name]) => name);
  return features.length ? `text with ${features.join(', ')}` : 'text';
}

/** Characters regex dialects disagree about (line ends, \s, case folding). */
const TEXT_FEATURES: Array<[RegExp, string]> = [
  [/\n/, '\\n'],
  [/\r/, '\\r'],
  [/\v/, '\\v'],
  [/\f/, '\\f'],
  [/[\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/, 'Unicode spaces'],
  [/[^\x00-\x7f]/, 'non-ASCII'],
];

// The tests a condition makes, as (field, operator, values) rows: what `inspect` lists and what
// the catalog counts across a corpus. Tests under an odd number of negations are marked
// `negated`: they are what the rule excludes, not what it looks for.

import { ELEMENT_SELF, type Condition, type Value } from './condition.js';
import { visit } from './walk.js';

export interface Indicator {
  /** null for keyword searches, which have no field. */
  field: string | null;
  op: string;
  values: Value[];
  negated: boolean;
  /** With `caseDetail`: whether text compares with case (match, keyword and fieldref tests). */
  cased?: boolean;
  /** With `caseDetail`: a regular expression's flags, where it has any. */
  flags?: string;
}

export interface IndicatorOptions {
  /**
   * Also report how each test treats case. Off for `inspect`, whose rows stay one per test
   * as written; the catalog needs it to tell `eq "X"` from `eq cased "X"`.
   */
  caseDetail?: boolean;
}

export function indicatorsOf(condition: Condition, prefix = '', options: IndicatorOptions = {}): Indicator[] {
  const out: Indicator[] = [];
  const seen = new Set<string>();
  const add = (indicator: Indicator) => {
    const key = JSON.stringify(indicator);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(indicator);
  };
  const detail = (cased: boolean, flags: string | undefined): Partial<Indicator> => {
    if (!options.caseDetail) return {};
    return flags ? { cased, flags } : { cased };
  };
  const path = (field: string) => (prefix ? (field === ELEMENT_SELF ? prefix : `${prefix}.${field}`) : field);
  visit(condition, (node, negated) => {
    switch (node.kind) {
      case 'match': {
        const op = node.part ? `${node.part}.${node.op}` : node.op;
        add({ field: path(node.field), op, values: node.values, negated, ...detail(node.cased, node.flags) });
        break;
      }
      case 'exists':
        add({ field: path(node.field), op: node.truthy ? 'truthy' : 'exists', values: [], negated });
        break;
      case 'keyword':
        add({ field: null, op: `keyword.${node.op}`, values: node.values, negated, ...detail(node.cased, node.flags) });
        break;
      case 'fieldref':
        add({ field: path(node.field), op: `fieldref.${node.op}`, values: [path(node.ref)], negated, ...detail(node.cased, undefined) });
        break;
      case 'elements': {
        // `none` of the elements matching is the negation of `any`: its tests are exclusions.
        const flip = negated !== (node.quantifier === 'none');
        for (const inner of indicatorsOf(node.condition, `${path(node.field)}[]`, options)) {
          add({ ...inner, negated: inner.negated !== flip });
        }
        return false;
      }
    }
    return true;
  });
  return out;
}

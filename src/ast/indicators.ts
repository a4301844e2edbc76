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
}

export function indicatorsOf(condition: Condition, prefix = ''): Indicator[] {
  const out: Indicator[] = [];
  const seen = new Set<string>();
  const add = (indicator: Indicator) => {
    const key = JSON.stringify(indicator);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(indicator);
  };
  const path = (field: string) => (prefix ? (field === ELEMENT_SELF ? prefix : `${prefix}.${field}`) : field);
  visit(condition, (node, negated) => {
    switch (node.kind) {
      case 'match': {
        const op = node.part ? `${node.part}.${node.op}` : node.op;
        add({ field: path(node.field), op, values: node.values, negated });
        break;
      }
      case 'exists':
        add({ field: path(node.field), op: node.truthy ? 'truthy' : 'exists', values: [], negated });
        break;
      case 'keyword':
        add({ field: null, op: `keyword.${node.op}`, values: node.values, negated });
        break;
      case 'fieldref':
        add({ field: path(node.field), op: `fieldref.${node.op}`, values: [path(node.ref)], negated });
        break;
      case 'elements':
        for (const inner of indicatorsOf(node.condition, `${path(node.field)}[]`)) {
          add({ ...inner, negated: inner.negated !== negated });
        }
        return false;
    }
    return true;
  });
  return out;
}

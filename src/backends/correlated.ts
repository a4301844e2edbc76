// The rules a correlation counts, as the target sees them.

import type { Correlation } from '../ast/rule.js';
import { Unprintable } from './tree.js';
import type { ConvertContext, TargetRule } from './types.js';

export interface Correlated {
  /** The reference as written. */
  ref: string;
  /** The rule's handle in aliases: its name, else its id. */
  name: string;
  rule: TargetRule;
}

export function correlatedRules(correlation: Correlation, context: ConvertContext): Correlated[] {
  return correlation.rules.map((ref) => {
    const rule = context.resolve(ref.id ?? ref.ref);
    if (!rule) throw new Unprintable(`the correlation names '${ref.ref}', which is not in the rule set`);
    if (rule.correlation) throw new Unprintable(`the correlation counts another correlation ('${ref.ref}'); chained correlations are not supported`, 'unsupported-correlation');
    return { ref: ref.ref, name: rule.rule.name ?? rule.rule.id, rule };
  });
}

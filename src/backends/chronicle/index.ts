// Chronicle backend: YARA-L 2.0 rules (`yaral`) and UDM search queries (`udm`).

import { diagnostic } from '../../diagnostics/diagnostic.js';
import { printTree, Unprintable } from '../tree.js';
import type { Backend, Conversion, TargetRule } from '../types.js';
import { chronicleExpression } from './query.js';
import { yaraLRule } from './yaral.js';

export const chronicle: Backend = {
  target: 'chronicle',
  formats: ['yaral', 'udm'],
  defaultFormat: 'yaral',
  extension: (format) => (format === 'udm' ? 'udm' : 'yaral'),
  convert(rule, context) {
    try {
      const query = context.format === 'udm' ? udmSearch(rule) : yaraLRule(rule, context);
      return { queries: [query], diagnostics: [] };
    } catch (error) {
      if (error instanceof Unprintable) return refused(error.message);
      throw error;
    }
  },
};

function refused(message: string): Conversion {
  return { queries: [], diagnostics: [diagnostic('unsupported-construct', message)] };
}

/** A UDM search: the event types (from the mapping) and the condition. */
function udmSearch(rule: TargetRule): string {
  if (rule.correlation) throw new Unprintable('UDM search has no correlation; use the YARA-L format');
  if (!rule.condition) throw new Unprintable('the rule has no condition');
  const expression = chronicleExpression(printTree(rule.condition), { prefix: '', fieldComparison: false });
  const types = rule.source.eventTypes ?? [];
  if (types.length === 0) return expression;
  return `(${types.map((t) => `metadata.event_type = "${t}"`).join(' OR ')}) AND (${expression})`;
}

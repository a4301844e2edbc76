// Chronicle backend: YARA-L 2.0 rules (`yaral`) and UDM search queries (`udm`).

import { attempt } from '../attempt.js';
import { printTree, Unprintable } from '../tree.js';
import type { Backend, TargetRule } from '../types.js';
import { chronicleExpression } from './query.js';
import { yaraLRule } from './yaral.js';

export const chronicle: Backend = {
  target: 'chronicle',
  formats: ['yaral', 'udm'],
  defaultFormat: 'yaral',
  typeTests: false,
  elementTests: true,
  extension: (format) => (format === 'udm' ? 'udm' : 'yaral'),
  // UDM search has no comment syntax.
  comment: (format, text) => (format === 'udm' ? undefined : `// ${text.replace(/\s+/g, ' ')}`),
  convert: (rule, context) => attempt(() => (context.format === 'udm' ? udmSearch(rule) : yaraLRule(rule, context))),
};


/** A UDM search: the event types (from the mapping) and the condition. */
function udmSearch(rule: TargetRule): string {
  if (rule.correlation) throw new Unprintable('UDM search has no correlation; use the YARA-L format', 'unsupported-correlation');
  if (!rule.condition) throw new Unprintable('the rule has no condition');
  const expression = chronicleExpression(printTree(rule.condition), { prefix: '', fieldComparison: false });
  const types = rule.source.eventTypes ?? [];
  if (types.length === 0) return expression;
  return `(${types.map((t) => `metadata.event_type = "${t}"`).join(' OR ')}) AND (${expression})`;
}

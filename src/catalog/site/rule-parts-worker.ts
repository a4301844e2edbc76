// Worker thread of rule-parts-thread.ts: receives the catalog's rules (in its order, with their
// paths from its base) and posts back the parts of their pages.

import { parentPort } from 'node:worker_threads';
import type { RuleResult } from '../../ast/rule.js';
import { ruleSetParts } from './rule-parts.js';

parentPort!.once('message', (results: RuleResult[]) => {
  parentPort!.postMessage(ruleSetParts(results));
});

// The targets rulebridge converts to.

import { chronicle } from './chronicle/index.js';
import { kql } from './kql/index.js';
import { splunk } from './splunk/index.js';
import type { Backend, Target } from './types.js';

const BACKENDS: Record<Target, Backend> = { splunk, kql, chronicle };

export const TARGETS: readonly Target[] = ['splunk', 'kql', 'chronicle'];

export function backendFor(target: Target): Backend {
  return BACKENDS[target];
}

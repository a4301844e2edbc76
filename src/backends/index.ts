// The targets rulebridge converts to.

import { splunk } from './splunk/index.js';
import type { Backend, Target } from './types.js';

const BACKENDS: Record<Target, Backend | undefined> = { splunk, kql: undefined, chronicle: undefined };

export const TARGETS: readonly Target[] = ['splunk', 'kql', 'chronicle'];

export function backendFor(target: Target): Backend {
  const backend = BACKENDS[target];
  if (!backend) throw new Error(`no backend for ${target}`);
  return backend;
}

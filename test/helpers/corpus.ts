// Where the shared real corpora are; tests that need them skip with a message when absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const SIGMAHQ = join(import.meta.dirname, '..', '..', '..', 'shared', 'corpus', 'sigmahq');
export const SIGMAHQ_RULE_DIRS = ['rules', 'rules-threat-hunting', 'rules-compliance', 'rules-placeholder'].map((d) => join(SIGMAHQ, d));
export const hasSigmaHQ = existsSync(SIGMAHQ);

if (!hasSigmaHQ) console.warn(`skipping corpus tests: the SigmaHQ corpus is not at ${SIGMAHQ}`);

// The parts of the rule pages (conversions, highlighted code, Markdown: rule-parts.ts) computed
// on a worker thread, so that they take the second core while this thread builds the index and
// renders every other page. They are a function of the rules alone: the worker gets the rules
// (copied by postMessage, a fraction of a second) and never the index.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RuleResult } from '../../ast/rule.js';
import { catalogRuleOrder } from '../index.js';
import { ruleSetParts, type RuleParts } from './rule-parts.js';

export interface RulePartsJob {
  parts: Promise<RuleParts[]>;
  /** Stops the worker if it is still working (the build failed); nothing once it has answered. */
  cancel(): void;
}

/**
 * The parts of the pages of the rules among `results`, in the catalog's order (`pathBase` as
 * given to buildCatalogIndex). The work starts at once, on a worker thread where there is one
 * (the compiled code; from TypeScript sources it is done here, when the promise is awaited).
 */
export function rulePartsOffThread(results: readonly RuleResult[], pathBase?: string): RulePartsJob {
  const ordered: RuleResult[] = catalogRuleOrder(results, pathBase).map(({ result, path }) => ({
    path,
    document: result.document,
    ok: result.ok,
    rule: result.rule!,
    diagnostics: result.diagnostics,
  }));
  const script = new URL('./rule-parts-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(script))) return { parts: Promise.resolve().then(() => ruleSetParts(ordered)), cancel: () => {} };
  const worker = new Worker(script);
  const parts = new Promise<RuleParts[]>((resolve, reject) => {
    worker.once('message', (answer: RuleParts[]) => {
      resolve(answer);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the rule page worker stopped (exit code ${code}) before its answer`)));
  });
  // A build that fails before it waits for the parts must not fail again when they fail.
  parts.catch(() => {});
  worker.postMessage(ordered);
  return { parts, cancel: () => void worker.terminate() };
}

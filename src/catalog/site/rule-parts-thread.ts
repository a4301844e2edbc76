// The parts of the rule pages (conversions, highlighted code, Markdown: rule-parts.ts) computed
// on a worker thread, so that they take the second core while this thread builds the index and
// renders every other page. They are a function of the rules alone: the worker gets the rules
// (copied by postMessage, a fraction of a second) and never the index. The worker can be
// started before the rules are read, so that loading its code overlaps with reading them.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RuleResult } from '../../ast/rule.js';
import { catalogRuleOrder } from '../index.js';
import { ruleSetParts, type RuleParts } from './rule-parts.js';

export interface RulePartsWorker {
  /**
   * The parts of the pages of the rules among `results`, in the catalog's order (`pathBase` as
   * given to buildCatalogIndex). Asked once.
   */
  parts(results: readonly RuleResult[], pathBase?: string): Promise<RuleParts[]>;
  /** Stops the worker if it is still working (a build that failed); nothing once it has answered. */
  close(): void;
}

/**
 * A worker thread for the parts, where there is one to start (the compiled code; from
 * TypeScript sources the parts are computed in this thread, when the promise is awaited).
 */
export function startRulePartsWorker(): RulePartsWorker {
  const script = new URL('./rule-parts-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(script))) {
    return { parts: (results, pathBase) => Promise.resolve().then(() => ruleSetParts(inCatalogOrder(results, pathBase))), close: () => {} };
  }
  const worker = new Worker(script);
  const answer = new Promise<RuleParts[]>((resolve, reject) => {
    worker.once('message', (parts: RuleParts[]) => {
      resolve(parts);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`the rule page worker stopped (exit code ${code}) before its answer`)));
  });
  // A build that fails before it waits for the parts must not fail again when they fail.
  answer.catch(() => {});
  return {
    parts: (results, pathBase) => {
      worker.postMessage(inCatalogOrder(results, pathBase));
      return answer;
    },
    close: () => void worker.terminate(),
  };
}

/** The rules as the converters read them: in the catalog's order, with their paths from its base. */
function inCatalogOrder(results: readonly RuleResult[], pathBase: string | undefined): RuleResult[] {
  return catalogRuleOrder(results, pathBase).map(({ result, path }) => ({
    path,
    document: result.document,
    ok: result.ok,
    rule: result.rule!,
    diagnostics: result.diagnostics,
  }));
}

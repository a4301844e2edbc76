// Loads a rule set: discover the files, parse them (on all cores for large inputs, each file
// read and parsed once), then link the documents that refer to each other.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RuleResult } from '../ast/rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { linkSigmaRuleSet } from '../formats/sigma/ruleset.js';
import { discoverRuleFiles } from './discover.js';
import { parseRuleFile, type ParseOptions } from './parse-file.js';
import type { BatchRequest } from './worker.js';

export interface LoadOptions extends ParseOptions {
  /** Worker threads to use; 0 parses in this thread. Default: one per core for large inputs. */
  workers?: number;
  onProgress?: (filesDone: number, filesTotal: number) => void;
}

export interface LoadResult {
  files: number;
  /** One per rule document, in file order. */
  results: RuleResult[];
  /** Problems with the inputs themselves (missing paths, empty directories). */
  diagnostics: Diagnostic[];
}

const BATCH_SIZE = 24;
/** Below this many files a thread pool costs more than it saves. */
const PARALLEL_THRESHOLD = 96;

export async function loadRules(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const discovery = discoverRuleFiles(paths);
  const files = discovery.files;
  const parseOptions: ParseOptions = {};
  if (options.attack) parseOptions.attack = options.attack;
  if (options.placeholders) parseOptions.placeholders = options.placeholders;
  if (options.maxFileSize) parseOptions.maxFileSize = options.maxFileSize;

  const workers = options.workers ?? (files.length >= PARALLEL_THRESHOLD ? availableParallelism() : 0);
  const workerScript = new URL('./worker.js', import.meta.url);
  const perFile =
    workers > 1 && existsSync(fileURLToPath(workerScript))
      ? await parseInWorkers(files, parseOptions, workers, workerScript, options.onProgress)
      : parseHere(files, parseOptions, options.onProgress);

  const results = perFile.flat();
  linkSigmaRuleSet(results);
  return { files: files.length, results, diagnostics: discovery.diagnostics };
}

function parseHere(files: string[], options: ParseOptions, onProgress?: LoadOptions['onProgress']): RuleResult[][] {
  return files.map((file, i) => {
    const results = parseRuleFile(file, options);
    onProgress?.(i + 1, files.length);
    return results;
  });
}

function parseInWorkers(
  files: string[],
  options: ParseOptions,
  count: number,
  script: URL,
  onProgress?: LoadOptions['onProgress'],
): Promise<RuleResult[][]> {
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) batches.push(files.slice(i, i + BATCH_SIZE));
  const out: RuleResult[][][] = new Array(batches.length);
  let next = 0;
  let finished = 0;
  let filesDone = 0;
  return new Promise((resolve, reject) => {
    const pool = Array.from({ length: Math.min(count, batches.length) }, () => new Worker(script, { workerData: { options } }));
    const stop = () => Promise.all(pool.map((w) => w.terminate()));
    const feed = (worker: Worker) => {
      if (next >= batches.length) return;
      const request: BatchRequest = { batch: next, files: batches[next]! };
      next++;
      worker.postMessage(request);
    };
    for (const worker of pool) {
      worker.on('message', (message: { batch: number; results: RuleResult[][] }) => {
        out[message.batch] = message.results;
        filesDone += message.results.length;
        onProgress?.(filesDone, files.length);
        if (++finished === batches.length) {
          void stop().then(() => resolve(out.flat()));
        } else feed(worker);
      });
      worker.on('error', (error) => {
        void stop().then(() => reject(error));
      });
      feed(worker);
    }
  });
}

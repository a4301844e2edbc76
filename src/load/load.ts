// Loads a rule set: discover the files, parse them (on all cores for large inputs, each file
// read and parsed once), then link the documents that refer to each other.

import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { RuleResult } from '../ast/rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { linkSigmaRuleSet } from '../formats/sigma/ruleset.js';
import { discoverRuleFiles, type Discovery } from './discover.js';
import { parseRuleFile, type ParseOptions } from './parse-file.js';
import type { BatchRequest } from './worker.js';

export interface LoadOptions extends ParseOptions {
  /** Threads to parse on, this one included; 0 or 1 parses here only. Default: one per core for large inputs. */
  workers?: number;
  onProgress?: (filesDone: number, filesTotal: number) => void;
  /** The files, when the caller has discovered them already. */
  discovery?: Discovery;
  /** Earlier results of unchanged files (see src/cache), and where to keep new ones. */
  reuse?: ParsedFileStore;
}

/** Per-file parse results from an earlier run, as they were before the rule set was linked. */
export interface ParsedFileStore {
  get(file: string): RuleResult[] | undefined;
  put(file: string, results: RuleResult[]): void;
}

export interface LoadResult {
  files: number;
  /** One per rule document, in file order. */
  results: RuleResult[];
  /** Problems with the inputs themselves (missing paths, empty directories). */
  diagnostics: Diagnostic[];
}

const BATCH_SIZE = 16;
/** Below this many files another thread costs more than it saves. */
const PARALLEL_THRESHOLD = 400;
/**
 * With fewer cores, V8's own background threads (garbage collection, compilation) already
 * keep the second core busy and a worker only adds its start-up and the copying of results:
 * measured on two cores, one thread is faster at any corpus size (see npm run bench).
 */
const PARALLEL_MIN_CORES = 4;
/** Batches each worker holds at once, so that it never waits for the busy main thread. */
const WORKER_QUEUE = 3;

export async function loadRules(paths: string[], options: LoadOptions = {}): Promise<LoadResult> {
  const discovery = options.discovery ?? discoverRuleFiles(paths);
  const reused = new Map<string, RuleResult[]>();
  for (const file of discovery.files) {
    const results = options.reuse?.get(file);
    if (results) reused.set(file, results);
  }
  const files = discovery.files.filter((f) => !reused.has(f));
  const parseOptions: ParseOptions = {};
  if (options.attack) parseOptions.attack = options.attack;
  if (options.placeholders) parseOptions.placeholders = options.placeholders;
  if (options.maxFileSize) parseOptions.maxFileSize = options.maxFileSize;
  if (options.pantherRoot) parseOptions.pantherRoot = options.pantherRoot;

  const cores = availableParallelism();
  const threads = options.workers ?? (files.length >= PARALLEL_THRESHOLD && cores >= PARALLEL_MIN_CORES ? cores : 1);
  const workerScript = new URL('./worker.js', import.meta.url);
  // Worker threads run the compiled code; from TypeScript sources (tests) everything stays here.
  const parallel = threads > 1 && files.length > BATCH_SIZE && existsSync(fileURLToPath(workerScript));
  const perFile = parallel
    ? await parseInParallel(files, parseOptions, threads - 1, workerScript, options.onProgress)
    : files.map((file, i) => {
        const results = parseRuleFile(file, parseOptions);
        options.onProgress?.(i + 1, files.length);
        return results;
      });

  // Kept before linking, which rewrites results in place.
  if (options.reuse) files.forEach((file, i) => options.reuse!.put(file, perFile[i]!));
  const parsed = new Map(files.map((file, i) => [file, perFile[i]!]));
  const results = discovery.files.flatMap((file) => reused.get(file) ?? parsed.get(file)!);
  linkSigmaRuleSet(results);
  return { files: discovery.files.length, results, diagnostics: discovery.diagnostics };
}

/**
 * Batches of files go to worker threads and to this thread alike: workers keep a few batches
 * queued, and this thread parses whatever is left between handling their answers.
 */
async function parseInParallel(
  files: string[],
  options: ParseOptions,
  workerCount: number,
  script: URL,
  onProgress?: LoadOptions['onProgress'],
): Promise<RuleResult[][]> {
  const batches: string[][] = [];
  for (let i = 0; i < files.length; i += BATCH_SIZE) batches.push(files.slice(i, i + BATCH_SIZE));
  const out: RuleResult[][][] = new Array(batches.length);
  let next = 0;
  let filesDone = 0;
  let inFlight = 0;
  let failure: unknown;
  const done = (batch: number, results: RuleResult[][]) => {
    out[batch] = results;
    filesDone += results.length;
    onProgress?.(filesDone, files.length);
  };

  const workers = Array.from({ length: workerCount }, () => new Worker(script, { workerData: { options } }));
  let settle: () => void = () => {};
  const drained = new Promise<void>((resolve) => (settle = resolve));
  const feed = (worker: Worker) => {
    if (next >= batches.length) return;
    const request: BatchRequest = { batch: next, files: batches[next]! };
    next++;
    inFlight++;
    worker.postMessage(request);
  };
  for (const worker of workers) {
    worker.on('message', (message: { batch: number; results: RuleResult[][] }) => {
      inFlight--;
      done(message.batch, message.results);
      feed(worker);
      if (inFlight === 0 && next >= batches.length) settle();
    });
    worker.on('error', (error) => {
      failure = error;
      settle();
    });
    for (let k = 0; k < WORKER_QUEUE; k++) feed(worker);
  }

  while (next < batches.length && failure === undefined) {
    const batch = next++;
    done(batch, batches[batch]!.map((file) => parseRuleFile(file, options)));
    // Let the workers' answers in, so they are fed again before this thread goes on.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (inFlight > 0 && failure === undefined) await drained;
  await Promise.all(workers.map((w) => w.terminate()));
  if (failure !== undefined) throw failure;
  return out.flat();
}

// Worker thread: parses the batches of files the main thread sends and posts back each file's results.

import { parentPort, workerData } from 'node:worker_threads';
import { parseRuleFile, type ParseOptions } from './parse-file.js';

export interface BatchRequest {
  batch: number;
  files: string[];
}

const options = (workerData as { options: ParseOptions }).options;

parentPort!.on('message', (request: BatchRequest) => {
  const results = request.files.map((file) => parseRuleFile(file, options));
  parentPort!.postMessage({ batch: request.batch, results });
});

// One file -> its results: read it safely, then hand it to the front end that reads it.
// Runs in worker threads as well as in the main thread, so it takes only serialisable options.

import type { RuleResult } from '../ast/rule.js';
import { attackTable, type AttackTableData } from '../attack/table.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { looksLikePanther, readPantherText } from '../formats/panther/index.js';
import { readSigmaText } from '../formats/sigma/index.js';
import { readTextFile, DEFAULT_MAX_FILE_SIZE } from './read.js';

export interface ParseOptions {
  attack?: AttackTableData;
  placeholders?: Record<string, string[]>;
  maxFileSize?: number;
  /** Panther rule sets: the folder with global_helpers/ and data_models/ (else found per rule). */
  pantherRoot?: string;
}

export function parseRuleFile(path: string, options: ParseOptions): RuleResult[] {
  const read = readTextFile(path, options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  if (!read.ok) return [{ path, document: 0, ok: false, diagnostics: [read.diagnostic] }];
  try {
    if (looksLikePanther(read.text)) return readPantherText(path, read.text, { attack: attackTable(options.attack), ...(options.pantherRoot ? { root: options.pantherRoot } : {}) });
    return readSigmaText(path, read.text, {
      attack: attackTable(options.attack),
      ...(options.placeholders ? { placeholders: options.placeholders } : {}),
    });
  } catch (error) {
    // A defect of rulebridge, not of the rule: report it on this file and go on with the others.
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return [{ path, document: 0, ok: false, diagnostics: [diagnostic('internal-error', message, { path, line: 1, col: 1 })] }];
  }
}

// The on-disk cache (`--cache`): a folder with the outputs of the last runs, keyed by
// everything they depend on, and each file's parse results, keyed by its content. A missing,
// stale or damaged cache is rebuilt, never an error.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { RuleResult } from '../ast/rule.js';
import type { ParsedFileStore } from '../load/load.js';

const FORMAT = 1;
/** Outputs kept: enough for every target and format of one corpus. */
const MAX_RUNS = 8;

interface RunsFile {
  format: number;
  code: string;
  runs: Array<{ key: string; output: unknown }>;
}

interface FilesFile {
  format: number;
  code: string;
  parse: string;
  files: Record<string, { digest: string; results: Uint8Array }>;
}

export class Cache {
  private runs: RunsFile;
  private files: FilesFile | undefined;
  private filesChanged = false;
  private runsChanged = false;

  /**
   * @param code identity of the running rulebridge (codeIdentity)
   * @param parse identity of the options rules are parsed with
   * @param digests content digest of each input file
   */
  constructor(
    private readonly dir: string,
    private readonly code: string,
    private readonly parse: string,
    private readonly digests: Map<string, string>,
  ) {
    const runs = readCacheFile<RunsFile>(join(dir, 'runs.bin'));
    this.runs = runs && runs.format === FORMAT && runs.code === code ? runs : { format: FORMAT, code, runs: [] };
  }

  /** The output of an earlier run with the same key. */
  run<T>(key: string): T | undefined {
    return this.runs.runs.find((r) => r.key === key)?.output as T | undefined;
  }

  keepRun(key: string, output: unknown): void {
    this.runs.runs = [{ key, output }, ...this.runs.runs.filter((r) => r.key !== key)].slice(0, MAX_RUNS);
    this.runsChanged = true;
  }

  /** Parse results of files whose content is unchanged. */
  get parsed(): ParsedFileStore {
    const files = this.filesFile();
    return {
      get: (file) => {
        const entry = files.files[file];
        const digest = this.digests.get(file);
        return entry && digest && entry.digest === digest ? (deserialize(entry.results) as RuleResult[]) : undefined;
      },
      put: (file, results) => {
        const digest = this.digests.get(file);
        if (!digest) return;
        files.files[file] = { digest, results: serialize(results) };
        this.filesChanged = true;
      },
    };
  }

  save(): void {
    mkdirSync(this.dir, { recursive: true });
    if (this.runsChanged) writeAtomically(join(this.dir, 'runs.bin'), serialize(this.runs));
    if (this.filesChanged && this.files) writeAtomically(join(this.dir, 'files.bin'), serialize(this.files));
  }

  private filesFile(): FilesFile {
    if (!this.files) {
      const files = readCacheFile<FilesFile>(join(this.dir, 'files.bin'));
      const fresh = files && files.format === FORMAT && files.code === this.code && files.parse === this.parse;
      this.files = fresh ? files : { format: FORMAT, code: this.code, parse: this.parse, files: {} };
    }
    return this.files;
  }
}

function readCacheFile<T>(path: string): T | undefined {
  try {
    const value = deserialize(readFileSync(path)) as unknown;
    return value && typeof value === 'object' ? (value as T) : undefined;
  } catch {
    return undefined;
  }
}

/** Another run reading meanwhile sees the old file or the new one, never half of one. */
function writeAtomically(path: string, data: Uint8Array): void {
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, data);
  renameSync(temporary, path);
}

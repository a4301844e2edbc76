// Paths from the command line -> the rule files to read, in a stable order.

import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export const RULE_EXTENSIONS = ['.yml', '.yaml'];
const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git']);

export interface Discovery {
  files: string[];
  diagnostics: Diagnostic[];
}

/**
 * Files named on the command line are read whatever their extension; directories are walked
 * recursively for `.yml` / `.yaml` files (hidden directories and node_modules skipped).
 */
export function discoverRuleFiles(paths: string[], extensions = RULE_EXTENSIONS): Discovery {
  const files: string[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Set<string>();
  const add = (path: string) => {
    const absolute = resolve(path);
    if (seen.has(absolute)) return;
    seen.add(absolute);
    files.push(path);
  };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      diagnostics.push(diagnostic('path-not-found', `no such file or directory: ${path}`, { path }));
      continue;
    }
    if (!stat.isDirectory()) {
      add(path);
      continue;
    }
    const found: string[] = [];
    walk(path, extensions, found, new Set([safeRealpath(path)]));
    if (found.length === 0) {
      diagnostics.push(diagnostic('no-rules', `${path} holds no ${extensions.join(' or ')} files`, { path }));
    }
    for (const f of found) add(f);
  }
  return { files, diagnostics };
}

function walk(dir: string, extensions: string[], out: string[], visited: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    if (entry.name.startsWith('.') || SKIPPED_DIRECTORIES.has(entry.name)) continue;
    const path = join(dir, entry.name);
    let isDirectory = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const stat = statSync(path);
        isDirectory = stat.isDirectory();
        isFile = stat.isFile();
      } catch {
        continue;
      }
    }
    if (isDirectory) {
      // Symbolic links may loop; each real directory is walked once.
      const real = safeRealpath(path);
      if (visited.has(real)) continue;
      visited.add(real);
      walk(path, extensions, out, visited);
    } else if (isFile && extensions.some((ext) => entry.name.toLowerCase().endsWith(ext))) {
      out.push(path);
    }
  }
}

function safeRealpath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

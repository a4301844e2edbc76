// The output folder of `catalog build`: checked to be one this command may write (new, empty, or
// a catalog built before), then given the new site's files in place of the previous build's.
//
// A rebuild overwrites the files it writes again rather than deleting the folder and writing it
// anew: on ext4, creating tens of thousands of files right after deleting as many makes each
// creation skip past the recently freed inodes (seconds of system time), and rewriting a file
// truncated to zero makes its close start writing it back (ext4's auto_da_alloc). So a file
// that exists is overwritten from its start and cut to its new length, files the new site no
// longer has are deleted, and only new files are created.

import { closeSync, constants, ftruncateSync, mkdirSync, openSync, readdirSync, rmSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SiteFile } from './site/render.js';

/** Marks a folder as a catalog this command wrote, so that rebuilding may replace it. */
export const MARKER = '.rulebridge-catalog';

export interface SiteFolder {
  out: string;
  /** What the folder held before, by path from its root ('/'-separated). */
  previous: Map<string, 'file' | 'folder' | 'other'>;
}

/**
 * The folder, if it is new, empty, or a catalog written before; never a folder of the user's
 * that happens to be named like one.
 */
export function openSiteFolder(out: string): { ok: true; folder: SiteFolder } | { ok: false; diagnostic: Diagnostic } {
  const previous = new Map<string, 'file' | 'folder' | 'other'>();
  let entries: string[];
  try {
    entries = readdirSync(out);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: true, folder: { out, previous } };
    return { ok: false, diagnostic: diagnostic('usage', `--out ${out} is not a folder this command can write: ${(error as Error).message}`) };
  }
  if (entries.length > 0 && !entries.includes(MARKER)) {
    return { ok: false, diagnostic: diagnostic('usage', `--out ${out} is not empty and holds no catalog built before (no ${MARKER}); give a new or empty folder`) };
  }
  list(out, '', previous);
  return { ok: true, folder: { out, previous } };
}

/** Every entry below `dir`, without following symbolic links. */
function list(dir: string, prefix: string, into: Map<string, 'file' | 'folder' | 'other'>): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = prefix + entry.name;
    if (entry.isDirectory()) {
      into.set(path, 'folder');
      list(join(dir, entry.name), `${path}/`, into);
    } else into.set(path, entry.isFile() ? 'file' : 'other');
  }
}

/** The new site in the folder: stale entries removed, existing files overwritten, new ones created. */
export function writeSiteFiles(folder: SiteFolder, files: readonly SiteFile[], onProgress?: (done: number, total: number) => void): void {
  const { out, previous } = folder;
  const wantedFolders = new Set<string>();
  for (const file of files) {
    // Pages are named by the renderer from checked slugs; this guards the folder all the same.
    if (file.path.split('/').some((s) => s === '' || s === '.' || s === '..')) throw new Error(`site file outside the output folder: ${file.path}`);
    for (let d = dirname(file.path); d !== '.'; d = dirname(d)) wantedFolders.add(d);
  }
  const wantedFiles = new Set(files.map((f) => f.path));

  // Deepest first, so that a folder is removed whole only when nothing of it stays.
  for (const [path, kind] of [...previous].reverse()) {
    const keep = kind === 'file' ? wantedFiles.has(path) : kind === 'folder' && wantedFolders.has(path);
    if (keep) continue;
    if (kind === 'folder') rmSync(join(out, path), { recursive: true, force: true });
    else unlinkSync(join(out, path));
    previous.delete(path);
  }
  mkdirSync(out, { recursive: true });
  for (const path of [...wantedFolders].sort()) if (!previous.has(path)) mkdirSync(join(out, path));

  let done = 0;
  for (const file of files) {
    writeOne(join(out, file.path), file.content, previous.has(file.path));
    if (++done % 500 === 0 || done === files.length) onProgress?.(done, files.length);
  }
}

// Symbolic links are never followed: the folder's own entries were checked, and a link put there
// since is refused rather than written through.
const OVERWRITE = constants.O_WRONLY | constants.O_NOFOLLOW;
const CREATE = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

function writeOne(path: string, content: string | Uint8Array, exists: boolean): void {
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const fd = openSync(path, exists ? OVERWRITE : CREATE, 0o666);
  try {
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at, at);
    if (exists) ftruncateSync(fd, bytes.length);
  } finally {
    closeSync(fd);
  }
}

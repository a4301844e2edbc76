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
import { join } from 'node:path';
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

/** The new site in the folder, all at once (see SiteWriter). */
export function writeSiteFiles(folder: SiteFolder, files: readonly SiteFile[], onProgress?: (done: number, total: number) => void): void {
  for (const file of files) checkPath(file.path);
  const writer = new SiteWriter(folder);
  for (const file of files) {
    writer.write(file);
    if (writer.written % 500 === 0 || writer.written === files.length) onProgress?.(writer.written, files.length);
  }
  writer.finish();
}

/**
 * Writes the new site's files into the folder one by one, as they are rendered (so that they
 * need not all be held in memory), and then removes what the previous build had that this one
 * has not. A file replaces whatever the previous build had at its path or at its folders' paths.
 */
export class SiteWriter {
  /** Paths written, files and the folders they are in. */
  private readonly done = new Set<string>();
  written = 0;

  constructor(private readonly folder: SiteFolder) {
    mkdirSync(folder.out, { recursive: true });
  }

  write(file: SiteFile): void {
    const { out, previous } = this.folder;
    const segments = checkPath(file.path);
    if (this.done.has(file.path)) throw new Error(`two files at ${file.path}`);
    for (let i = 1; i < segments.length; i++) {
      const dir = segments.slice(0, i).join('/');
      if (this.done.has(dir)) continue;
      const was = previous.get(dir);
      if (was !== 'folder') {
        if (was !== undefined) this.remove(dir);
        mkdirSync(join(out, dir));
      }
      this.done.add(dir);
    }
    const was = previous.get(file.path);
    if (was !== undefined && was !== 'file') this.remove(file.path);
    writeOne(join(out, file.path), file.content, previous.get(file.path) === 'file');
    this.done.add(file.path);
    this.written++;
  }

  /** Removes what the previous build had and this one did not write. */
  finish(): void {
    // Deepest first: a folder is removed once nothing of it stays.
    for (const path of [...this.folder.previous.keys()].reverse()) {
      if (!this.done.has(path) && this.folder.previous.has(path)) this.remove(path);
    }
  }

  private remove(path: string): void {
    const { out, previous } = this.folder;
    if (previous.get(path) === 'folder') {
      rmSync(join(out, path), { recursive: true, force: true });
      // Whatever it held is gone with it.
      for (const inner of [...previous.keys()]) if (inner.startsWith(`${path}/`)) previous.delete(inner);
    } else unlinkSync(join(out, path));
    previous.delete(path);
  }
}

/** The path's segments; pages are named by the renderer from checked slugs, and this guards the folder all the same. */
function checkPath(path: string): string[] {
  const segments = path.split('/');
  if (segments.some((s) => s === '' || s === '.' || s === '..')) throw new Error(`site file outside the output folder: ${path}`);
  return segments;
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

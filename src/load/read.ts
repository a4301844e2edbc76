// Reads one input file as text, refusing what is not rule text: too large, binary, not UTF-8.

import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export const DEFAULT_MAX_FILE_SIZE = 8 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

export function readTextFile(path: string, maxSize = DEFAULT_MAX_FILE_SIZE): ReadResult {
  const fail = (code: 'file-unreadable' | 'file-too-large' | 'binary-file' | 'invalid-encoding', message: string): ReadResult => ({
    ok: false,
    diagnostic: diagnostic(code, message, { path, line: 1, col: 1 }),
  });
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    if (size > maxSize) {
      return fail('file-too-large', `the file has ${formatSize(size)}, more than the ${formatSize(maxSize)} limit (--max-file-size)`);
    }
    bytes = readFileSync(fd);
  } catch (error) {
    return fail('file-unreadable', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return fail('binary-file', `the file is binary (a NUL byte at offset ${nul}), not YAML text`);
  if (!isUtf8(bytes)) return fail('invalid-encoding', 'the file is not valid UTF-8');
  const text = bytes.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} B`;
}

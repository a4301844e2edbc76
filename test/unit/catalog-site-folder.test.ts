// The output folder of catalog build: refused unless new, empty or a catalog built before; a
// rebuild leaves exactly the new site's files, whatever the previous build or a user left there.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { MARKER, openSiteFolder, writeSiteFiles } from '../../src/catalog/site-folder.js';
import type { SiteFile } from '../../src/catalog/site/index.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'rulebridge-site-folder-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** Every file below `dir` with its text, symbolic links as `-> target`. */
function tree(dir: string, prefix = ''): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const path = join(dir, entry.name);
    if (entry.isSymbolicLink()) out[prefix + entry.name] = '-> link';
    else if (entry.isDirectory()) Object.assign(out, tree(path, `${prefix}${entry.name}/`));
    else out[prefix + entry.name] = readFileSync(path, 'utf8');
  }
  return out;
}

function build(out: string, files: SiteFile[]): void {
  const opened = openSiteFolder(out);
  if (!opened.ok) throw new Error(opened.diagnostic.message);
  writeSiteFiles(opened.folder, [...files, { path: MARKER, content: '' }]);
}

describe('openSiteFolder', () => {
  test('a new or empty folder is accepted', () => {
    expect(openSiteFolder(join(root, 'new')).ok).toBe(true);
    mkdirSync(join(root, 'empty'));
    expect(openSiteFolder(join(root, 'empty')).ok).toBe(true);
  });

  test('a folder with files but no marker is refused and left alone', () => {
    const out = join(root, 'mine');
    mkdirSync(out);
    writeFileSync(join(out, 'notes.txt'), 'keep me');
    const opened = openSiteFolder(out);
    expect(opened.ok).toBe(false);
    if (!opened.ok) expect(opened.diagnostic.message).toContain(MARKER);
    expect(tree(out)).toEqual({ 'notes.txt': 'keep me' });
  });
});

describe('writeSiteFiles', () => {
  test('a rebuild overwrites what stays, cuts shorter files, removes what went and creates what is new', () => {
    const out = join(root, 'site');
    build(out, [
      { path: 'index.html', content: 'a long first version of the page' },
      { path: 'rules/a.html', content: 'rule a' },
      { path: 'rules/b.html', content: 'rule b' },
      { path: 'gone/x.html', content: 'x' },
    ]);
    build(out, [
      { path: 'index.html', content: 'short' },
      { path: 'rules/a.html', content: 'rule a, longer than before' },
      { path: 'rules/c.html', content: new TextEncoder().encode('rule c') },
      { path: 'new/y.html', content: 'y' },
    ]);
    expect(tree(out)).toEqual({
      [MARKER]: '',
      'index.html': 'short',
      'new/y.html': 'y',
      'rules/a.html': 'rule a, longer than before',
      'rules/c.html': 'rule c',
    });
  });

  test('a file where a folder now goes, and a folder where a file now goes, are replaced', () => {
    const out = join(root, 'site');
    build(out, [
      { path: 'pages', content: 'a file' },
      { path: 'index.html/inner.html', content: 'inside a folder' },
    ]);
    build(out, [
      { path: 'pages/one.html', content: 'one' },
      { path: 'index.html', content: 'home' },
    ]);
    expect(tree(out)).toEqual({ [MARKER]: '', 'index.html': 'home', 'pages/one.html': 'one' });
  });

  test('symbolic links in the folder are removed, never written through', () => {
    const out = join(root, 'site');
    const outside = join(root, 'outside');
    mkdirSync(outside);
    writeFileSync(join(outside, 'index.html'), 'not the site');
    build(out, [{ path: 'index.html', content: 'home' }]);
    rmSync(join(out, 'index.html'));
    symlinkSync(join(outside, 'index.html'), join(out, 'index.html'));
    symlinkSync(outside, join(out, 'rules'));
    build(out, [
      { path: 'index.html', content: 'home again' },
      { path: 'rules/index.html', content: 'a rule' },
    ]);
    expect(readFileSync(join(outside, 'index.html'), 'utf8')).toBe('not the site');
    expect(readdirSync(outside)).toEqual(['index.html']);
    expect(lstatSync(join(out, 'rules')).isDirectory()).toBe(true);
    expect(tree(out)).toEqual({ [MARKER]: '', 'index.html': 'home again', 'rules/index.html': 'a rule' });
  });

  test('paths leading out of the folder are refused before anything is written', () => {
    const out = join(root, 'site');
    const opened = openSiteFolder(out);
    if (!opened.ok) throw new Error(opened.diagnostic.message);
    expect(() => writeSiteFiles(opened.folder, [{ path: 'index.html', content: 'x' }, { path: '../escape.html', content: 'x' }])).toThrow(/outside the output folder/);
    expect(existsSync(join(root, 'escape.html'))).toBe(false);
    expect(existsSync(join(out, 'index.html'))).toBe(false);
  });
});

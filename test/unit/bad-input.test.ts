// Bad input never crashes and never vanishes: every input rule ends in a result, with a
// diagnostic carrying a code and a file position, and the other files are still read.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadRules } from '../../src/load/load.js';
import { ruleWithDetection } from '../helpers/sigma.js';

let dir: string;
const good = ruleWithDetection('selection:\n    Image|endswith: \\cmd.exe\ncondition: selection');

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'rulebridge-bad-'));
  const files: Record<string, string | Buffer> = {
    'good.yml': good,
    'malformed.yml': 'title: x\ndetection:\n  selection: [unclosed\n  condition: selection\n',
    'bomb.yml':
      good +
      'x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n' +
      Array.from({ length: 8 }, (_, i) => `x${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`).join('\n') +
      '\n',
    'duplicate-key.yml': good.replace('logsource:', 'title: again\nlogsource:'),
    'not-a-map.yml': '- just\n- a list\n',
    'no-detection.yml': 'title: nothing to detect\nlogsource:\n    product: windows\n',
    'empty.yml': '',
    'comments-only.yml': '# nothing here\n',
    'binary.yml': Buffer.from([0x74, 0x69, 0x74, 0x00, 0x01, 0xff]),
    'latin1.yml': Buffer.concat([Buffer.from('title: caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
    'huge.yml': 'title: big\n# ' + 'x'.repeat(20 * 1024 * 1024) + '\n',
    'deep-yaml.yml': 'title: deep\nvalue: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n',
    'panther.yml': 'AnalysisType: rule\nRuleID: X\n',
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  mkdirSync(join(dir, 'empty-dir'));
  writeFileSync(join(dir, 'empty-dir', 'README.md'), 'no rules here');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('bad input files', () => {
  test('every file gives a result with a positioned diagnostic, and the good one still reads', async () => {
    const loaded = await loadRules([dir, join(dir, 'empty-dir'), join(dir, 'missing.yml')], { workers: 0 });
    const byFile = new Map(loaded.results.map((r) => [r.path.slice(dir.length + 1), r]));
    const codes = (name: string) => byFile.get(name)?.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

    expect(loaded.files).toBe(13);
    expect(loaded.results).toHaveLength(13);
    expect(byFile.get('good.yml')?.ok).toBe(true);
    expect(codes('malformed.yml')).toContain('yaml-syntax');
    expect(codes('bomb.yml')).toEqual(['yaml-alias-limit']);
    expect(codes('duplicate-key.yml')).toEqual(['yaml-duplicate-key']);
    expect(codes('not-a-map.yml')).toEqual(['not-a-rule']);
    expect(codes('no-detection.yml')).toEqual(['not-a-rule']);
    expect(codes('empty.yml')).toEqual(['empty-file']);
    expect(codes('comments-only.yml')).toEqual(['empty-file']);
    expect(codes('binary.yml')).toEqual(['binary-file']);
    expect(codes('latin1.yml')).toEqual(['invalid-encoding']);
    expect(codes('huge.yml')).toEqual(['file-too-large']);
    expect(codes('deep-yaml.yml')?.[0]).toMatch(/^yaml-(syntax|too-deep)$/);
    expect(codes('panther.yml')).toEqual(['missing-attribute']);

    for (const r of loaded.results) {
      expect(r.ok === (r.path.endsWith('good.yml'))).toBe(true);
      for (const d of r.diagnostics) {
        expect(d.path).toBe(r.path);
        expect(d.line).toBeGreaterThan(0);
        expect(d.col).toBeGreaterThan(0);
      }
    }
    expect(byFile.get('duplicate-key.yml')?.diagnostics[0]).toMatchObject({ line: 3, col: 1 });
    expect(loaded.diagnostics.map((d) => d.code).sort()).toEqual(['no-rules', 'path-not-found']);
  });

  test('the size limit can be raised', async () => {
    const loaded = await loadRules([join(dir, 'huge.yml')], { workers: 0, maxFileSize: 64 * 1024 * 1024 });
    expect(loaded.results[0]?.diagnostics.map((d) => d.code)).toEqual(['not-a-rule']);
  });
});

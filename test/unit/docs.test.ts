// The reader's documentation lists what the code does.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DIAGNOSTIC_CODES } from '../../src/diagnostics/codes.js';

const root = join(import.meta.dirname, '..', '..');

test('docs/diagnostics.md lists every diagnostic code with its severity', () => {
  const doc = readFileSync(join(root, 'docs', 'diagnostics.md'), 'utf8');
  for (const [code, info] of Object.entries(DIAGNOSTIC_CODES)) {
    expect(doc, code).toContain(`| \`${code}\` | ${info.severity} |`);
  }
});

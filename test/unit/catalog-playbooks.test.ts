// Playbooks read from Markdown: title, phases with goals, the severity table, ATT&CK techniques
// (names and tactics from the table, unknown ids reported where they are written), the rules
// covering them, slugs, and bad files. The fixtures are written for this test; the index comes
// from a small Sigma rule set written beside them.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCatalogIndex, type CatalogIndex } from '../../src/catalog/index.js';
import { parsePlaybook, readPlaybooks } from '../../src/catalog/playbooks.js';
import { loadRules } from '../../src/load/load.js';

const rule = (n: number, title: string, tags: string[]) =>
  [
    `title: ${title}`,
    `id: 0b7e3a52-1c4d-4f6e-8a90-00000000000${n}`,
    'status: test',
    'logsource:',
    '    product: aws',
    '    service: cloudtrail',
    'detection:',
    '    selection:',
    `        eventName: Call${n}`,
    '    condition: selection',
    'tags:',
    ...tags.map((t) => `    - ${t}`),
    '',
  ].join('\n');

const RULES: Record<string, string> = {
  'a_parent_only.yml': rule(1, 'Parent technique only', ['attack.persistence', 'attack.t1098']),
  'b_sub_technique.yml': rule(2, 'Extra cloud credentials', ['attack.persistence', 'attack.t1098.001']),
  'c_cloud_accounts.yml': rule(3, 'Cloud account login', ['attack.initial_access', 'attack.t1078.004']),
  'd_valid_accounts.yml': rule(4, 'Any valid account', ['attack.initial_access', 'attack.t1078']),
  'e_unrelated.yml': rule(5, 'Unrelated', ['attack.impact', 'attack.t1485']),
};

/** A playbook in the shape of the samples, with something to find in every part. */
const PLAYBOOK = `# Incident Response Playbook: Stolen Deploy Credentials

| Attribute | Value |
|---|---|
| Version | 0.9 |

## 1 Introduction

Stolen deploy credentials usually lead to **T1098** persistence (see \`T1078.004\` below).

## 3 Incident Response Phases

### 3.1 Phase 1: Preparation

*Goal: know every deploy credential and who owns it.*

- Keep an inventory.

### 3.2 Phase 2: Identification & Analysis

There is no goal line here.

### Severity levels

| Level | Description | Target time to contain |
|---|---|---|
| <b>Low</b> | A credential was exposed but *not used*. | 24 hours |
| High | The credential created \`more\` credentials. | 2 hours |

### 3.3 Phase 3: Containment

**Goal:** revoke first, ask later.

## 4 MITRE ATT&CK Framework Mapping

| Tactic | Technique ID | Technique Name |
|---|---|---|
| Persistence | T1098 | Account Manipulation |
| Initial Access | T1078.004 | Valid Accounts: Cloud Accounts |
| Impact | T9999.123 | Not a technique |

See also [the ATT&CK page](https://attack.mitre.org/techniques/T1136/003/).
`;

let dir: string;
let index: CatalogIndex;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rulebridge-playbooks-'));
  mkdirSync(join(dir, 'rules'));
  for (const [name, text] of Object.entries(RULES)) writeFileSync(join(dir, 'rules', name), text);
  const loaded = await loadRules([join(dir, 'rules')]);
  index = buildCatalogIndex(loaded.results, { pathBase: join(dir, 'rules') });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('parsePlaybook', () => {
  test('title, phases with their goals, and the severity table', () => {
    const p = parsePlaybook(PLAYBOOK, 'stolen-deploy-credentials.md', index);
    expect(p.title).toBe('Incident Response Playbook: Stolen Deploy Credentials');
    expect(p.path).toBe('stolen-deploy-credentials.md');
    expect(p.markdown).toBe(PLAYBOOK);
    expect(p.phases).toEqual([
      { title: 'Phase 1: Preparation', goal: 'know every deploy credential and who owns it.' },
      { title: 'Phase 2: Identification & Analysis' },
      { title: 'Phase 3: Containment', goal: 'revoke first, ask later.' },
    ]);
    // The table under the severity heading, not the attribute table above it; cell markup is dropped.
    expect(p.severity).toEqual([
      { Level: 'Low', Description: 'A credential was exposed but not used.', 'Target time to contain': '24 hours' },
      { Level: 'High', Description: 'The credential created more credentials.', 'Target time to contain': '2 hours' },
    ]);
  });

  test('techniques from the mapping table, the prose and link targets, with names and tactics', () => {
    const p = parsePlaybook(PLAYBOOK, 'stolen-deploy-credentials.md', index);
    expect(p.techniques).toEqual([
      { id: 'T1078.004', name: 'Cloud Accounts', tactics: ['TA0001', 'TA0003', 'TA0004', 'TA0005'] },
      { id: 'T1098', name: 'Account Manipulation', tactics: ['TA0003', 'TA0004'] },
      { id: 'T1136.003', name: 'Cloud Account', tactics: ['TA0003'] },
      { id: 'T9999.123', tactics: [] },
    ]);
  });

  test('an unknown technique id is a warning at its line and column', () => {
    const p = parsePlaybook(PLAYBOOK, 'stolen-deploy-credentials.md', index);
    const lines = PLAYBOOK.split('\n');
    const line = lines.findIndex((l) => l.includes('T9999.123')) + 1;
    expect(p.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 'playbook-unknown-technique',
        message: expect.stringContaining('T9999.123'),
        path: 'stolen-deploy-credentials.md',
        line,
        col: lines[line - 1]!.indexOf('T9999.123') + 1,
      },
    ]);
  });

  test('rules covering a technique or one of its sub-techniques, in catalog order; never a parent', () => {
    const p = parsePlaybook(PLAYBOOK, 'stolen-deploy-credentials.md', index);
    // T1098 brings its sub-technique's rule; T1078.004 does not bring the rule tagged T1078.
    expect(p.rules.map((r) => r.title)).toEqual(['Parent technique only', 'Extra cloud credentials', 'Cloud account login']);
    expect(p.rules[0]).toEqual(index.rules[0] && { slug: index.rules[0].slug, id: index.rules[0].id, title: index.rules[0].title, platform: 'sigma' });
  });

  test('ids are matched whole: no lower case, no longer numbers, no tactic ids', () => {
    const p = parsePlaybook('# T\n\nt1098, T10980, XT1098, TA0001, T1098x and T1098.0011 but T1485.\n', 'x.md', index);
    expect(p.techniques.map((t) => t.id)).toEqual(['T1485']);
  });

  test('the same text gives the same playbook; the slug is safe and from the file name', () => {
    const a = parsePlaybook(PLAYBOOK, 'team/Stolen Deploy Credentials.md', index);
    const b = parsePlaybook(PLAYBOOK, 'team/Stolen Deploy Credentials.md', index);
    expect(a).toEqual(b);
    expect(a.slug).toMatch(/^team-stolen-deploy-credentials-[0-9a-f]{12}$/);
    expect(parsePlaybook(PLAYBOOK, 'other.md', index).slug).not.toBe(a.slug);
  });

  test('a file with no heading is titled after the file, with a warning', () => {
    const p = parsePlaybook('Just some notes about T1098.\n', 'notes/triage-notes.md', index);
    expect(p.title).toBe('triage-notes');
    expect(p.diagnostics).toEqual([expect.objectContaining({ code: 'playbook-no-title', severity: 'warning', line: 1, col: 1 })]);
    expect(p.techniques.map((t) => t.id)).toEqual(['T1098']);
  });

  test('empty text and pathological nesting are diagnostics, not exceptions, and come back at once', () => {
    expect(parsePlaybook('', 'e.md', index).diagnostics).toEqual([expect.objectContaining({ code: 'playbook-empty' })]);
    expect(parsePlaybook(' \n\t\n', 'e.md', index).diagnostics).toEqual([expect.objectContaining({ code: 'playbook-empty' })]);
    const started = Date.now();
    const inputs = [
      '>'.repeat(100_000) + ' T1098', // exhausts the parser's stack
      '- '.repeat(40) + 'x', // nested on one line
      Array.from({ length: 300 }, (_, i) => `${' '.repeat(i * 2)}- x`).join('\n'), // nested by indentation
      Array.from({ length: 3000 }, (_, i) => `> quote\n\npara ${i}\n`).join('\n'), // many containers
    ];
    for (const text of inputs) {
      const p = parsePlaybook(text, 'deep.md', index);
      expect(p.diagnostics).toEqual([expect.objectContaining({ code: 'markdown-too-complex', severity: 'error', line: 1, col: 1 })]);
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('readPlaybooks', () => {
  let folder: string;

  beforeAll(() => {
    folder = join(dir, 'playbooks');
    mkdirSync(join(folder, 'cloud', 'aws'), { recursive: true });
    mkdirSync(join(folder, '.drafts'));
    writeFileSync(join(folder, 'z-last.md'), PLAYBOOK.replace('Stolen Deploy Credentials', 'Last'));
    writeFileSync(join(folder, 'cloud', 'aws', 'keys.md'), '# Keys\n\nT1078.004\n');
    writeFileSync(join(folder, 'cloud', 'empty.md'), '');
    writeFileSync(join(folder, 'cloud', 'latin1.md'), Buffer.from([0x23, 0x20, 0x43, 0x61, 0x66, 0xe9, 0x0a])); // "# Café" in Latin-1
    writeFileSync(join(folder, 'cloud', 'binary.md'), Buffer.from([0x23, 0x20, 0x00, 0x01]));
    writeFileSync(join(folder, 'cloud', 'readme.txt'), '# Not a playbook\n');
    writeFileSync(join(folder, '.drafts', 'draft.md'), '# Draft\n');
  });

  test('every .md file under the folder, recursively, in path order; bad files are diagnostics', async () => {
    const run = await readPlaybooks(folder, index);
    expect(run.playbooks.map((p) => [p.path, p.title])).toEqual([
      ['cloud/aws/keys.md', 'Keys'],
      ['z-last.md', 'Incident Response Playbook: Last'],
    ]);
    const byCode = run.diagnostics.map((d) => [d.code, d.severity, d.path]);
    expect(byCode).toEqual(
      expect.arrayContaining([
        ['binary-file', 'error', join(folder, 'cloud', 'binary.md')],
        ['playbook-empty', 'warning', join(folder, 'cloud', 'empty.md')],
        ['invalid-encoding', 'error', join(folder, 'cloud', 'latin1.md')],
        ['playbook-unknown-technique', 'warning', join(folder, 'z-last.md')],
      ]),
    );
    expect(run.diagnostics).toHaveLength(4);
    // A playbook's own diagnostics are also on it, for its page.
    expect(run.playbooks[1]!.diagnostics).toEqual([expect.objectContaining({ code: 'playbook-unknown-technique', path: join(folder, 'z-last.md') })]);
    expect(run.playbooks[0]!.rules.map((r) => r.title)).toEqual(['Cloud account login']);
  });

  test('slugs are unique, safe and the same on every run', async () => {
    const a = await readPlaybooks(folder, index);
    const b = await readPlaybooks(folder, index);
    expect(a.playbooks.map((p) => p.slug)).toEqual(b.playbooks.map((p) => p.slug));
    const slugs = a.playbooks.map((p) => p.slug);
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of slugs) expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });

  test('a missing folder and a folder without Markdown are reported', async () => {
    const missing = await readPlaybooks(join(dir, 'nope'), index);
    expect(missing.playbooks).toEqual([]);
    expect(missing.diagnostics).toEqual([expect.objectContaining({ code: 'path-not-found', severity: 'error' })]);
    const none = await readPlaybooks(join(dir, 'rules'), index);
    expect(none.diagnostics).toEqual([expect.objectContaining({ code: 'no-playbooks', severity: 'warning' })]);
  });

  // The time limit needs the compiled worker thread (npm test builds first).
  const compiled = join(import.meta.dirname, '..', '..', 'dist', 'catalog', 'playbooks.js');
  test.skipIf(!existsSync(compiled))('a file that takes too long to parse is reported and the others are read', async () => {
    const slow = join(dir, 'slow-playbooks');
    mkdirSync(slow);
    writeFileSync(join(slow, 'a.md'), '# A\n\nT1098\n');
    // Unmatched emphasis markers: the parser's time grows with their square (minutes here).
    writeFileSync(join(slow, 'b.md'), `# B\n\n${'*a'.repeat(120_000)}\n`);
    writeFileSync(join(slow, 'c.md'), '# C\n');
    const built = (await import(pathToFileURL(compiled).href)) as typeof import('../../src/catalog/playbooks.js');
    const started = Date.now();
    const run = await built.readPlaybooks(slow, index, { parseTimeoutMs: 1_000 });
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(run.playbooks.map((p) => p.title)).toEqual(['A', 'C']);
    expect(run.diagnostics).toEqual([expect.objectContaining({ code: 'markdown-too-complex', path: join(slow, 'b.md') })]);
  });

  test('progress is reported per file', async () => {
    const calls: Array<[number, number]> = [];
    await readPlaybooks(folder, index, { onProgress: (done, total) => calls.push([done, total]) });
    expect(calls.at(-1)).toEqual([5, 5]);
  });
});

describe('the sample playbooks in catalog/playbooks', () => {
  test('read without diagnostics, with six phases and goals, a four-level severity table and linked rules', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const loaded = await loadRules([join(root, 'catalog', 'rules')]);
    const corpus = buildCatalogIndex(loaded.results, { pathBase: join(root, 'catalog', 'rules') });
    const run = await readPlaybooks(join(root, 'catalog', 'playbooks'), corpus);
    expect(run.diagnostics).toEqual([]);
    expect(run.playbooks.length).toBeGreaterThanOrEqual(4);
    for (const p of run.playbooks) {
      expect(p.phases.map((x) => x.title.slice(0, 8)), p.path).toEqual(['Phase 1:', 'Phase 2:', 'Phase 3:', 'Phase 4:', 'Phase 5:', 'Phase 6:']);
      expect(p.phases.every((x) => x.goal), p.path).toBe(true);
      expect(p.severity.map((r) => r.Level), p.path).toEqual(['Low', 'Medium', 'High', 'Critical']);
      expect(p.techniques.length, p.path).toBeGreaterThan(3);
      expect(p.techniques.every((t) => t.name && t.tactics.length > 0), p.path).toBe(true);
      expect(p.rules.length, p.path).toBeGreaterThan(0);
    }
  });
});

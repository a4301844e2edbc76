// The command line as users run it (needs `npm run build`; `npm test` builds first).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { attackLayer, buildCatalogIndex, catalogJson } from '../../src/catalog/index.js';
import { MARKER } from '../../src/catalog/build.js';
import { readPlaybooks } from '../../src/catalog/playbooks.js';
import { ATTACK_LAYER_PATH, CATALOG_JSON_PATH, renderSite } from '../../src/catalog/site/index.js';
import { prepareRuleInputs } from '../../src/cli/inputs.js';
import { loadRules } from '../../src/load/load.js';
import { ruleWithDetection } from '../helpers/sigma.js';

const root = join(import.meta.dirname, '..', '..');
const cli = join(root, 'bin', 'rulebridge.js');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));
if (!built) console.warn('skipping CLI tests: run `npm run build` first');

function run(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'rulebridge-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const goodRule = join(dir, 'good.yml');
const badRule = join(dir, 'bad.yml');
writeFileSync(goodRule, ruleWithDetection("selection:\n    Image|endswith: '\\cmd.exe'\ncondition: selection"));
writeFileSync(badRule, ruleWithDetection("selection:\n    Image|endswithh: '\\cmd.exe'\ncondition: selection").replace('0001', '0002'));

describe.skipIf(!built)('rulebridge inspect', () => {
  test('text output and exit 0 for good rules', () => {
    const r = run('inspect', goodRule);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Image endswith "\\\\cmd.exe"');
    expect(r.stdout).toContain('1 rule from 1 file: 1 ok, 0 with errors');
  });
  test('--json gives one object per rule with the documented fields', () => {
    const r = run('inspect', '--json', goodRule, badRule);
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      path: goodRule,
      id: '00000000-0000-4000-8000-000000000001',
      title: 'Test rule',
      format: 'sigma',
      kind: 'rule',
      ok: true,
      condition: 'Image endswith "\\\\cmd.exe"',
      indicators: [{ field: 'Image', op: 'endswith', values: ['\\cmd.exe'] }],
      logsource: { product: 'windows', category: 'process_creation' },
      techniques: [],
      tactics: [],
      diagnostics: [],
    });
    expect(lines[1]).toMatchObject({ ok: false, condition: null, diagnostics: [expect.objectContaining({ severity: 'error', code: 'unknown-modifier', line: 8, col: 9 })] });
    expect(r.stderr).toContain('2 rules from 2 files: 1 ok, 1 with errors');
  });
  test('usage errors exit 2', () => {
    expect(run('inspect').code).toBe(2);
    expect(run('inspect', '--bogus', goodRule).code).toBe(2);
    const missing = run('inspect', goodRule, join(dir, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('path-not-found');
    expect(missing.stdout).toContain('Test rule');
    expect(run('inspect', goodRule, '--attack', join(dir, 'nope.json')).code).toBe(2);
  });
  test('output is byte-identical between runs and between one thread and several', () => {
    const args = ['inspect', '--json', join(root, 'catalog', 'rules')];
    const a = run(...args);
    const b = run(...args, '--workers', '2');
    expect(a.stdout).toBe(b.stdout);
    expect(a.stdout.length).toBeGreaterThan(1000);
  });
  test('--help and --version exit 0', () => {
    expect(run('--help').code).toBe(0);
    expect(run('--version').stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

describe.skipIf(!built)('rulebridge test', () => {
  const cases = join(dir, 'cases.yml');
  writeFileSync(
    cases,
    `rule: 00000000-0000-4000-8000-000000000001
tests:
  - name: cmd
    expected: true
    event: {Image: 'C:\\Windows\\System32\\cmd.exe'}
  - name: notepad
    expected: false
    event: {Image: 'C:\\Windows\\notepad.exe'}
`,
  );
  test('passing tests exit 0 with a closing count', () => {
    const r = run('test', goodRule, '--events', cases);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n').pop()).toBe('1 passed, 0 failed');
  });
  test('a failing expectation exits 1 and says which', () => {
    const wrong = join(dir, 'wrong.yml');
    writeFileSync(wrong, `rule: 00000000-0000-4000-8000-000000000001\ntests:\n  - name: nope\n    expected: true\n    event: {Image: x}\n`);
    const r = run('test', goodRule, '--events', wrong, '--json');
    expect(r.code).toBe(1);
    const record = JSON.parse(r.stdout.trim());
    expect(record).toMatchObject({ status: 'failed', tests: [{ name: 'nope', expected: true, actual: false, passed: false }] });
    expect(r.stderr).toContain('0 passed, 1 failed');
  });
  test('--events is required', () => {
    expect(run('test', goodRule).code).toBe(2);
  });
  test('events for every rule are counted', () => {
    const events = join(dir, 'events.jsonl');
    writeFileSync(events, '{"Image": "C:\\\\x\\\\cmd.exe"}\n{"Image": "other"}\n');
    const r = run('test', goodRule, '--events', events);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 of 2 events matched');
  });
});

describe.skipIf(!built)('rulebridge convert', () => {
  test('queries on stdout, diagnostics and a closing count on stderr', () => {
    const r = run('convert', goodRule, '--to', 'kql');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('DeviceProcessEvents\n| where ActionType == "ProcessCreated"\n| where FolderPath endswith "\\\\cmd.exe"\n');
    expect(r.stderr.trim()).toBe('1 rule to kql xdr: 1 converted, 0 failed; 0 warnings');
  });
  test('a rule that fails to load or convert exits 1; the others are still converted', () => {
    const r = run('convert', goodRule, badRule, '--to', 'splunk', '--json');
    expect(r.code).toBe(1);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => [l.ok, l.target, l.format, l.queries.length])).toEqual([
      [true, 'splunk', 'default', 1],
      [false, 'splunk', 'default', 0],
    ]);
    expect(lines[1].diagnostics[0]).toMatchObject({ severity: 'error', code: 'unknown-modifier' });
    expect(r.stderr).toContain('2 rules to splunk default: 1 converted, 1 failed (unknown-modifier 1)');
  });
  test('usage errors exit 2: target, format, mapping file', () => {
    expect(run('convert', goodRule).code).toBe(2);
    expect(run('convert', goodRule, '--to', 'elastic').stderr).toContain("--to must be one of splunk, kql, chronicle, not 'elastic'");
    expect(run('convert', goodRule, '--to', 'kql', '--format', 'udm').code).toBe(2);
    const broken = join(dir, 'broken-mapping.yml');
    writeFileSync(broken, 'target: kql\nlogsources: [x]\n');
    const r = run('convert', goodRule, '--to', 'kql', '--mapping', broken);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${broken}:2:13: error[invalid-mapping]`);
  });
  test('--no-mapping keeps field names; --strict fails unmapped rules', () => {
    expect(run('convert', goodRule, '--to', 'kql', '--no-mapping').stdout).toBe('Image endswith "\\\\cmd.exe"\n');
    const odd = join(dir, 'odd.yml');
    writeFileSync(odd, ruleWithDetection("selection:\n    NoSuchField: x\ncondition: selection").replace('0001', '0003'));
    expect(run('convert', odd, '--to', 'kql').code).toBe(0);
    const strict = run('convert', odd, '--to', 'kql', '--strict');
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(/odd\.yml:\d+:\d+: error\[unmapped-field\] field 'NoSuchField'/);
  });
  test('--out writes one file per rule with the format extension', () => {
    const out = join(dir, 'out');
    const r = run('convert', dir, '--to', 'chronicle', '--out', out, '-q');
    expect(r.code).toBe(1);
    expect(existsSync(join(out, 'good.yaral'))).toBe(true);
    expect(existsSync(join(out, 'bad.yaral'))).toBe(false);
  });
  test('--cache gives the same output as a fresh run, and notices a changed file', () => {
    const rules = join(dir, 'cached');
    const cache = join(dir, 'cache');
    rmSync(rules, { recursive: true, force: true });
    mkdirSync(rules);
    writeFileSync(join(rules, 'a.yml'), ruleWithDetection("selection:\n    Image: a\ncondition: selection"));
    const fresh = run('convert', rules, '--to', 'splunk');
    const first = run('convert', rules, '--to', 'splunk', '--cache', '--cache-location', cache);
    const second = run('convert', rules, '--to', 'splunk', '--cache', '--cache-location', cache);
    expect([first.stdout, first.stderr]).toEqual([fresh.stdout, fresh.stderr]);
    expect([second.stdout, second.stderr]).toEqual([fresh.stdout, fresh.stderr]);
    writeFileSync(join(rules, 'a.yml'), ruleWithDetection("selection:\n    Image: b\ncondition: selection"));
    expect(run('convert', rules, '--to', 'splunk', '--cache', '--cache-location', cache).stdout).toContain('Image="b"');
  });
});

describe.skipIf(!built)('rulebridge catalog build', () => {
  /** Every file below `folder`, by path from it, with its bytes. */
  const files = (folder: string, prefix = ''): Map<string, string> => {
    const out = new Map<string, string>();
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) for (const [p, text] of files(path, `${prefix}${entry.name}/`)) out.set(p, text);
      else out.set(prefix + entry.name, readFileSync(path, 'utf8'));
    }
    return out;
  };

  test('writes the files the site renders in one thread (its rule pages come from a worker), and a rebuild replaces the previous one', async () => {
    const out = join(dir, 'site');
    const args = ['catalog', 'build', 'catalog/rules', '--placeholders', 'catalog/placeholders.yml', '--playbooks', 'catalog/playbooks', '--out', out, '-q'];
    expect(run(...args).code).toBe(0);
    const built = files(out);

    const prepared = prepareRuleInputs({ placeholders: join(root, 'catalog', 'placeholders.yml') });
    if (!prepared.ok) throw new Error('placeholders');
    const results = (await loadRules([join(root, 'catalog', 'rules')], { ...prepared.options, workers: 0 })).results;
    const index = buildCatalogIndex(results, { pathBase: root });
    const { playbooks } = await readPlaybooks(join(root, 'catalog', 'playbooks'), index);
    const expected = new Map<string, string>(renderSite(index, playbooks, { title: 'Detection rules', baseUrl: '' }).map((f) => [f.path, String(f.content)]));
    expected.set(CATALOG_JSON_PATH, catalogJson(index));
    expected.set(ATTACK_LAYER_PATH, attackLayer(index, { name: 'Detection rules' }));
    expected.set(MARKER, '');
    expect([...built.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [path, text] of expected) expect(built.get(path), path).toBe(text);

    writeFileSync(join(out, 'stale.html'), 'left from an older build');
    mkdirSync(join(out, 'stale'));
    writeFileSync(join(out, 'stale', 'page.html'), 'left from an older build');
    writeFileSync(join(out, 'index.html'), 'a much longer text than the home page has, to be cut to the new length '.repeat(400));
    expect(run(...args).code).toBe(0);
    expect(files(out)).toEqual(built);
  });
});


import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import AjvDraft04 from 'ajv-draft-04';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { canonical } from '../../src/ast/canonical.js';
import { parseConditionText } from '../../src/ast/parse.js';
import type { RuleResult } from '../../src/ast/rule.js';
import { checkDuplicates } from '../../src/dupes/index.js';
import { implies } from '../../src/dupes/implies.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { loadRules } from '../../src/load/load.js';
import { conditionTexts } from '../helpers/condition-text.js';

// ajv-draft-04 is CommonJS: under Node's ESM its class is the default export's `default`.
const Ajv = ((AjvDraft04 as unknown as { default?: unknown }).default ?? AjvDraft04) as typeof AjvDraft04.default;

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'test', 'fixtures', 'dupes');
const built = existsSync(join(root, 'dist', 'cli', 'main.js'));

function parse(text: string) {
  const parsed = parseConditionText(text);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.condition;
}
const cond = (text: string) => canonical(parse(text));
const imp = (a: string, b: string) => implies(cond(a), cond(b));

describe('implication', () => {
  test('one test implies another by the operators and values', () => {
    expect(imp('a eq "xyz"', 'a contains "y"')).toBe(true);
    expect(imp('a startswith "ab"', 'a startswith "a"')).toBe(true);
    expect(imp('a endswith "\\\\cmd.exe"', 'a contains "cmd"')).toBe(true);
    expect(imp('a in ["x", "y"]', 'a in ["x", "y", "z"]')).toBe(true);
    expect(imp('a contains all ["x", "y"]', 'a contains "x"')).toBe(true);
    expect(imp('a gt 10', 'a gte 5')).toBe(true);
    expect(imp('a cidr "10.1.0.0/16"', 'a cidr "10.0.0.0/8"')).toBe(true);
    expect(imp('a eq "x"', 'a exists')).toBe(true);
    expect(imp('not a contains "x"', 'not a eq "x"')).toBe(true);
    expect(imp('a eq cased "X"', 'a eq "x"')).toBe(true);
  });
  test('nothing is claimed that does not hold', () => {
    expect(imp('a contains "y"', 'a eq "xyz"')).toBe(false);
    expect(imp('a in ["x", "y", "z"]', 'a in ["x", "y"]')).toBe(false);
    expect(imp('a eq "x"', 'a eq cased "X"')).toBe(false);
    expect(imp('a eq "x"', 'b eq "x"')).toBe(false);
    expect(imp('not a eq "x"', 'not a contains "x"')).toBe(false);
    expect(imp('a regex "x"', 'a contains "x"')).toBe(false);
  });
  test('edge cases a review found: final sigma, empty lists, Python membership', () => {
    // "ΑΣ".toLowerCase() is "ας": it holds no "σ".
    expect(imp('a contains cased "Σ"', 'a contains "Σ"')).toBe(false);
    expect(evaluate(cond('a contains cased "Σ"'), { a: 'ΑΣ' })).toBe(true);
    expect(evaluate(cond('a contains "Σ"'), { a: 'ΑΣ' })).toBe(false);
    expect(imp('a contains all []', 'a eq "zzz"')).toBe(false);
    expect(imp('a in [] and a eq "x"', 'a eq "x"')).toBe(true);
    expect(imp('a eq "x"', 'a in [] and a eq "x"')).toBe(false);
    const python = (x: string, y: string) => implies(canonical(parse(x), { python: true }), canonical(parse(y), { python: true }), { python: true });
    expect(python('a contains cased "ab"', 'a contains cased "a"')).toBe(false);
    expect(python('a contains cased "ab"', 'a contains cased "ab"')).toBe(true);
    expect(python('a eq cased "ab"', 'a contains cased "a"')).toBe(true);
  });
  test('wildcards ignore case as the other text tests do', () => {
    for (const [pattern, text] of [['s*', 'ſx'], ['*i*', 'İ'], ['µ', 'μ']] as const) {
      const plain = cond(`a wildcard "${pattern}"`);
      expect(evaluate(parse(`a wildcard "${pattern}"`), { a: text })).toBe(evaluate(plain, { a: text }));
    }
  });
  test('structure: a narrower conjunction, a wider disjunction, distribution', () => {
    expect(imp('a eq 1 and b eq 2', 'a eq 1')).toBe(true);
    expect(imp('a eq 1', 'a eq 1 or b eq 2')).toBe(true);
    expect(imp('a eq 1 and (b eq 2 or c eq 3)', '(a eq 1 and b eq 2) or (a eq 1 and c eq 3)')).toBe(true);
    expect(imp('a eq 1 or b eq 2', 'a eq 1')).toBe(false);
  });
  test('is sound on random conditions and events (property)', () => {
    const leaf = fc.oneof(
      fc.record({ f: fc.constantFrom('a', 'b'), op: fc.constantFrom('eq', 'contains', 'startswith', 'endswith'), v: fc.constantFrom('x', 'xy', 'X', 'y'), c: fc.constantFrom('', ' cased') }).map(
        (r) => `${r.f} ${r.op}${r.c} "${r.v}"`,
      ),
      fc.record({ f: fc.constantFrom('a', 'b'), v: fc.subarray(['x', 'xy', 'y'], { minLength: 1 }), q: fc.constantFrom('', 'all ') }).map(
        (r) => `${r.f} contains ${r.q}[${r.v.map((v) => `"${v}"`).join(', ')}]`,
      ),
      fc.constantFrom('a exists', 'b exists', 'n gt 1', 'n gte 2', 'n lt 3'),
    );
    const expr = conditionTexts(leaf);
    const value = fc.constantFrom('x', 'X', 'xy', 'XY', 'yx', 'y', undefined);
    const events = fc.array(fc.record({ a: value, b: value, n: fc.constantFrom(0, 1, 2, 3, undefined) }), { minLength: 12, maxLength: 12 });
    let shown = 0;
    fc.assert(
      fc.property(expr, expr, events, (left, right, evs) => {
        const a = cond(left);
        // Half of the pairs are made to hold, so that the claims are tested as often as the refusals.
        const b = cond(shown % 2 ? right : `(${left}) or (${right})`);
        if (!implies(a, b)) return;
        shown++;
        for (const e of evs) {
          const clean = Object.fromEntries(Object.entries(e).filter(([, v]) => v !== undefined));
          if (evaluate(a, clean)) expect(evaluate(b, clean)).toBe(true);
        }
      }),
      { numRuns: 3000 },
    );
    expect(shown).toBeGreaterThan(300);
  });
});

describe('dupes on the fixtures', () => {
  let results: RuleResult[];
  beforeAll(async () => {
    results = (await loadRules([fixtures], { workers: 0 })).results;
  });

  test('a Panther Python rewrite of a Sigma CloudTrail rule is equivalent to it', () => {
    const { findings } = checkDuplicates(results, { minScore: 0.8, failOn: 'equivalent' });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ relation: 'equivalent', failing: true, logSource: 'aws.cloudtrail' });
    expect([findings[0]!.first.id, findings[0]!.second.id].sort()).toEqual(['5f0e1d2c-3b4a-4c5d-8e6f-7a8b9c0d1e2f', 'Fixture.AWS.IAM.AccessKeyCreated']);
    expect(findings[0]!.shared).toEqual(['eventname eq "createaccesskey"', 'eventsource eq "iam.amazonaws.com"', 'useridentity.type eq "iamuser"']);
  });

  test('unrelated rules sharing one common indicator stay below the default score', () => {
    const { findings } = checkDuplicates(results, { minScore: 0, failOn: 'never' });
    const unrelated = findings.filter((f) => f.relation === 'overlap');
    expect(unrelated.length).toBeGreaterThan(0);
    for (const f of unrelated) {
      expect(f.shared).toEqual(['eventsource eq "iam.amazonaws.com"']);
      expect(f.score).toBeLessThan(0.8);
    }
  });

  test('rules under review are compared with the corpus only', () => {
    const panther = join(fixtures, 'panther', 'aws_iam_access_key_created.yml');
    const { findings, summary } = checkDuplicates(results, { minScore: 0.8, failOn: 'equivalent', underReview: (p) => p === panther });
    expect(summary.underReview).toBe(1);
    expect(findings.map((f) => f.first.id)).toEqual(['Fixture.AWS.IAM.AccessKeyCreated']);
  });

  test('the counts add up', () => {
    const { summary } = checkDuplicates(results, { minScore: 0.8, failOn: 'equivalent' });
    expect(summary.compared + summary.notCompared + summary.failedToRead + summary.skipped).toBe(summary.rules);
  });
});

describe.skipIf(!built)('rulebridge dupes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rulebridge-dupes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], cwd = root) => {
    const r = spawnSync(process.execPath, [join(root, 'bin', 'rulebridge.js'), 'dupes', ...args], { cwd, encoding: 'utf8' });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test('an equivalent pair fails the run, and explains itself in two lines', () => {
    const r = run([fixtures]);
    expect(r.code).toBe(1);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/aws_iam_access_key_created\.yml:1:1: error: .* is equivalent to .*\[aws\.cloudtrail\]$/);
    expect(lines[1]).toContain('shared: eventname eq "createaccesskey"');
    expect(r.stdout).toContain('1 equivalent, 0 subsumed, 0 overlapping');
  });

  test('a baseline accepts known pairs; a pair naming unknown ids is a warning', () => {
    const baseline = join(dir, 'baseline.json');
    expect(run([fixtures, '--write-baseline', baseline]).code).toBe(1);
    const written = JSON.parse(readFileSync(baseline, 'utf8'));
    expect(written.accepted).toHaveLength(1);
    written.accepted.push({ rules: ['no-such-rule', 'Fixture.AWS.IAM.AccessKeyCreated'], relation: 'overlap' });
    writeFileSync(baseline, JSON.stringify(written));
    const r = run([fixtures, '--baseline', baseline]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('(1 accepted by the baseline)');
    expect(r.stderr).toContain("baseline-unknown-rule");
    expect(r.stderr).toContain("'no-such-rule'");
    writeFileSync(baseline, '{"accepted": 3}');
    expect(run([fixtures, '--baseline', baseline]).code).toBe(2);
  });

  test('--cache gives the same report from stored parse results', () => {
    const args = [fixtures, '--format', 'json', '--cache', '--cache-location', join(dir, 'cache')];
    const first = run(args);
    expect(existsSync(join(dir, 'cache', 'files.bin'))).toBe(true);
    const second = run(args);
    expect(second.code).toBe(first.code);
    expect(second.stdout).toBe(first.stdout);
  });

  test('usage errors exit 2: bad score, no rules, an invalid git ref', () => {
    expect(run([fixtures, '--min-score', '2']).code).toBe(2);
    expect(run([]).code).toBe(2);
    const r = run([fixtures, '--changed-since', 'no-such-ref-anywhere']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid-git-ref');
  });

  test('--changed-since reviews the rule files a branch changed', () => {
    const repo = join(dir, 'repo');
    cpSync(join(fixtures, 'sigma'), join(repo, 'rules'), { recursive: true });
    const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo, encoding: 'utf8' });
    if (git('init', '-q', '-b', 'main').status !== 0) return console.warn('skipping: git is not available');
    git('add', '.');
    git('commit', '-q', '-m', 'corpus');
    git('checkout', '-q', '-b', 'feature');
    cpSync(join(fixtures, 'panther'), join(repo, 'rules', 'panther'), { recursive: true });
    const r = run(['rules', '--changed-since', 'main', '--format', 'json'], repo);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.summary.underReview).toBe(1);
    expect(report.findings.map((f: { relation: string; first: { path: string } }) => [f.relation, f.first.path])).toEqual([['equivalent', 'rules/panther/aws_iam_access_key_created.yml']]);
    expect(run(['rules', '--changed-since', 'HEAD', '--changed', 'x.yml'], repo).code).toBe(2);
  });

  test('SARIF output validates against the SARIF 2.1.0 schema', () => {
    const schemaPath = join(root, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
    if (!existsSync(schemaPath)) return console.warn(`skipping: no SARIF schema at ${schemaPath}`);
    const r = run([fixtures, '--format', 'sarif', '--min-score', '0']);
    expect(r.code).toBe(1);
    const sarif = JSON.parse(r.stdout);
    const validate = new Ajv({ strict: false, allErrors: true }).compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    expect(validate(sarif), JSON.stringify(validate.errors?.slice(0, 5))).toBe(true);
    const results = sarif.runs[0].results;
    expect(results.map((x: { level: string }) => x.level).sort()).toEqual(['error', 'note', 'note', 'note', 'note', 'note']);
    expect(results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('test/fixtures/dupes/panther/aws_iam_access_key_created.yml');
  });
});

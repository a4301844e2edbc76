// Panther rule files end to end: YAML metadata with its Python or simple detection, a rule set's
// helpers found by walking up, the rules' own Tests (with Mocks), the `inspect --json` record,
// and bad input (broken Python, a missing file, no rule(), helpers calling each other forever,
// bytes that are no UTF-8, policies): every file ends in a result with diagnostics, none crash.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RuleResult } from '../../src/ast/rule.js';
import { inspectRecord } from '../../src/cli/inspect.js';
import { runTests } from '../../src/eval/run-tests.js';
import { loadRules } from '../../src/load/load.js';

let root: string;
let results: RuleResult[];
let files: number;

const yaml = (id: string, filename: string, extra = '') =>
  `AnalysisType: rule\nRuleID: ${id}\nDisplayName: ${id}\nEnabled: true\nFilename: ${filename}\nLogTypes:\n  - Fixture.Audit\nSeverity: High\n${extra}`;

const FILES: Record<string, string | Buffer> = {
  'global_helpers/fx_loop.py': 'def ping(event):\n    return pong(event)\n\ndef pong(event):\n    return ping(event)\n',
  'global_helpers/fx_loop.yml': 'AnalysisType: global\nGlobalID: fx_loop\nFilename: fx_loop.py\n',
  'rules/key_created.py': [
    'def rule(event):',
    '    return event.get("type") == "service_key_created"',
    '',
    'def alert_context(event):',
    '    return {"event_type": event.get("type"), "actor_email": event.deep_get("actor", "email_address")}',
    '',
  ].join('\n'),
  'rules/key_created.yml': yaml(
    'Fixture.Key.Created',
    'key_created.py',
    [
      'Reports:',
      '  MITRE ATT&CK:',
      '    - "TA0003:T1098.001"',
      'Tests:',
      '  - Name: created',
      '    ExpectedResult: true',
      '    Log: {"type": "service_key_created", "actor": {"email_address": "a@example.com"}}',
      '  - Name: deleted',
      '    ExpectedResult: false',
      '    Log:',
      '      type: service_key_deleted',
      '',
    ].join('\n'),
  ),
  'rules/mocked.py': [
    'import json',
    'from unittest.mock import MagicMock',
    'TRUSTED = ["ci-bot"]',
    '',
    'def rule(event):',
    '    global TRUSTED',
    '    if isinstance(TRUSTED, MagicMock):',
    '        TRUSTED = json.loads(TRUSTED())',
    '    return event.get("actor") not in TRUSTED',
    '',
  ].join('\n'),
  'rules/mocked.yml': yaml(
    'Fixture.Mocked',
    'mocked.py',
    [
      'Tests:',
      '  - Name: untrusted actor',
      '    ExpectedResult: true',
      '    Log: {actor: someone}',
      '  - Name: trusted once mocked',
      '    ExpectedResult: false',
      '    Mocks:',
      '      - objectName: TRUSTED',
      '        returnValue: \'["someone"]\'',
      '    Log: {actor: someone}',
      '  - Name: mocks what the rule lacks',
      '    ExpectedResult: true',
      '    Mocks:',
      '      - objectName: lookup_owner',
      '        returnValue: x',
      '    Log: {actor: someone}',
      '',
    ].join('\n'),
  ),
  'rules/simple.yml': [
    'AnalysisType: rule',
    'RuleID: Fixture.Simple',
    'DisplayName: Simple detection',
    'Enabled: true',
    'LogTypes: [Fixture.Audit]',
    'Severity: Low',
    'Detection:',
    '  - Key: type',
    '    Condition: IEquals',
    '    Value: Token.Created',
    '  - Any:',
    '      - KeyPath: actor.role',
    '        Condition: IsIn',
    '        Values: [admin, owner]',
    '      - Key: scopes',
    '        Condition: AnyElement',
    '        Expressions:',
    '          - Key: name',
    '            Condition: StartsWith',
    '            Value: "write:"',
    'InlineFilters:',
    '  - Key: env',
    '    Condition: DoesNotEqual',
    '    Value: sandbox',
    'Tests:',
    '  - Name: admin creates a token',
    '    ExpectedResult: true',
    '    Log: {type: token.created, actor: {role: admin}}',
    '  - Name: write scope',
    '    ExpectedResult: true',
    '    Log: {type: TOKEN.CREATED, scopes: [{name: "read:all"}, {name: "write:repo"}]}',
    '  - Name: in the sandbox',
    '    ExpectedResult: false',
    '    Log: {type: token.created, env: sandbox, actor: {role: admin}}',
    '',
  ].join('\n'),
  'rules/partial.py': 'import json\n\ndef rule(event):\n    body = json.loads(event.get("body", "{}"))\n    return event.get("type") == "req" and body.get("admin") is True\n',
  'rules/partial.yml': yaml(
    'Fixture.Partial',
    'partial.py',
    'Tests:\n  - Name: admin request\n    ExpectedResult: true\n    Log: {type: req, body: \'{"admin": true}\'}\n  - Name: other type\n    ExpectedResult: false\n    Log: {type: other}\n',
  ),
  'rules/loop.py': 'from fx_loop import ping\n\ndef rule(event):\n    return event.get("a") == 1 and ping(event)\n',
  'rules/loop.yml': yaml('Fixture.Loop', 'loop.py'),
  'rules/syntax.py': 'def rule(event):\n    return event.get("a") ==\n',
  'rules/syntax.yml': yaml('Fixture.Syntax', 'syntax.py'),
  'rules/missing.yml': yaml('Fixture.Missing', 'nowhere.py'),
  'rules/norule.py': 'def title(event):\n    return "x"\n',
  'rules/norule.yml': yaml('Fixture.NoRule', 'norule.py'),
  'rules/latin1.py': Buffer.concat([Buffer.from('def rule(event):\n    return event.get("name") == "caf'), Buffer.from([0xe9]), Buffer.from('"\n')]),
  'rules/latin1.yml': yaml('Fixture.Latin1', 'latin1.py'),
  'rules/policy.yml': 'AnalysisType: policy\nPolicyID: Fixture.Policy\nFilename: policy.py\nResourceTypes: [AWS.S3.Bucket]\nSeverity: Low\n',
};

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rulebridge-panther-set-'));
  for (const [name, text] of Object.entries(FILES)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  const loaded = await loadRules([join(root, 'rules'), join(root, 'global_helpers')], { workers: 0 });
  results = loaded.results;
  files = loaded.files;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const byName = (file: string) => results.find((r) => r.path.endsWith(file))!;
const codes = (file: string) => byName(file).diagnostics.map((d) => d.code);

describe('Panther rule files', () => {
  test('every file ends in one result', () => {
    expect(files).toBe(Object.keys(FILES).filter((f) => f.endsWith('.yml')).length);
    expect(results).toHaveLength(files);
  });

  test('the inspect record of a Python rule', () => {
    const record = inspectRecord(byName('key_created.yml'));
    expect(record).toMatchObject({
      format: 'panther',
      id: 'Fixture.Key.Created',
      condition: 'type eq "service_key_created"',
      extraction: 'full',
      unknowns: [],
      logTypes: ['Fixture.Audit'],
      outputFields: [
        { name: 'event_type', source: 'type' },
        { name: 'actor_email', source: 'actor.email_address' },
      ],
      techniques: ['T1098.001'],
      tactics: ['TA0003'],
    });
  });

  test('a partial rule lists what it could not express', () => {
    const record = inspectRecord(byName('partial.yml'));
    expect(record.extraction).toBe('partial');
    expect(record.unknowns).toEqual([{ reason: 'call of attribute get of call of json.loads()', line: 5 }]);
    expect(codes('partial.yml')).toContain('partial-extraction');
  });

  test('a simple detection with its inline filter', () => {
    expect(inspectRecord(byName('simple.yml')).condition).toBe(
      'not env eq "sandbox" and type eq nocase "Token.Created" and (actor.role in ["admin", "owner"] or any(scopes, name startswith "write:"))',
    );
  });

  test('bad input: diagnostics, never a crash', () => {
    expect(codes('syntax.yml')).toEqual(['python-syntax']);
    expect(byName('syntax.yml').diagnostics[0]).toMatchObject({ path: expect.stringMatching(/syntax\.py$/), line: 2 });
    expect(codes('missing.yml')).toEqual(['python-missing']);
    expect(codes('norule.yml')).toEqual(['panther-no-rule']);
    expect(codes('latin1.yml')).toEqual(['python-missing']);
    expect(byName('latin1.yml').diagnostics[0]!.message).toMatch(/UTF-8/);
    // helpers that call each other forever end as an unknown part, not a stack overflow
    expect(byName('loop.yml').rule!.extraction).toBe('partial');
    expect(byName('policy.yml')).toMatchObject({ ok: true, skipped: expect.stringMatching(/polic/) });
    expect(byName('fx_loop.yml').skipped).toMatch(/helper/);
  });
});

describe("the rules' own Tests", () => {
  test('pass, with mocks honoured and a mock of a missing name skipped', () => {
    const run = runTests(results, []);
    const outcome = (id: string) => run.outcomes.find((o) => o.result.rule?.id === id)!;
    expect(outcome('Fixture.Key.Created').status).toBe('passed');
    expect(outcome('Fixture.Simple').status).toBe('passed');
    expect(outcome('Fixture.Partial').status).toBe('passed');
    const mocked = outcome('Fixture.Mocked');
    expect(mocked.status).toBe('passed');
    expect(mocked.cases.map((c) => [c.name, c.passed, c.skipped ?? null])).toEqual([
      ['untrusted actor', true, null],
      ['trusted once mocked', true, null],
      ['mocks what the rule lacks', false, expect.stringMatching(/lookup_owner/)],
    ]);
  });
});

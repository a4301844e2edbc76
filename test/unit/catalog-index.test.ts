// The catalog index over a small mixed corpus written for this test: two Sigma and two Panther
// rules on the CloudTrail CreateAccessKey call (spelled with different key case in Panther, and
// with an exclusion on each side), a Windows service rule, a keyword rule, a Panther rule for
// two log types that share the `action` field, a Panther policy (skipped) and a file that is
// not YAML (failed).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { elements, match } from '../../src/ast/condition.js';
import { indicatorsOf } from '../../src/ast/indicators.js';
import type { RuleResult } from '../../src/ast/rule.js';
import { readActionTable, shippedActionTable } from '../../src/catalog/action-table.js';
import { attackLayer, buildCatalogIndex, catalogJson, type CatalogIndex, type CatalogRule } from '../../src/catalog/index.js';
import { stableJson } from '../../src/catalog/json-text.js';
import { loadRules } from '../../src/load/load.js';

const sigma = (id: string, title: string, logsource: string, detection: string, extra = '') =>
  [`title: ${title}`, `id: ${id}`, 'status: test', 'logsource:', logsource.replace(/^/gm, '    '), 'detection:', detection.replace(/^/gm, '    '), extra].join('\n') + '\n';

const panther = (id: string, filename: string, logTypes: string[], extra = '') =>
  [`AnalysisType: rule`, `RuleID: ${id}`, `DisplayName: ${id}`, 'Enabled: true', `Filename: ${filename}`, `LogTypes: [${logTypes.join(', ')}]`, extra].join('\n') + '\n';

const FILES: Record<string, string> = {
  'sigma/key_for_other_user.yml': sigma(
    '6b0d4c52-9a51-4f0e-8a34-0c5f4b1e7a01',
    'Access Key Created For Another User',
    'product: aws\nservice: cloudtrail',
    'selection:\n    eventSource: iam.amazonaws.com\n    eventName: CreateAccessKey\nfilter_root:\n    userIdentity.type: Root\ncondition: selection and not filter_root',
    'level: high\ntags:\n    - attack.persistence\n    - attack.t1098.001',
  ),
  'sigma/key_or_user_by_root.yml': sigma(
    '6b0d4c52-9a51-4f0e-8a34-0c5f4b1e7a02',
    'Root Creates Users Or Keys',
    'product: aws\nservice: cloudtrail',
    'selection:\n    eventSource: iam.amazonaws.com\n    eventName:\n        - CreateAccessKey\n        - CreateUser\n    userIdentity.type: Root\ncondition: selection',
    'level: medium\ntags:\n    - attack.persistence\n    - attack.t1136.003',
  ),
  'sigma/service_installed.yml': sigma(
    '6b0d4c52-9a51-4f0e-8a34-0c5f4b1e7a03',
    'Service Installed From Temp',
    'product: windows\nservice: system',
    "selection:\n    Provider_Name: Service Control Manager\n    EventID: 7045\n    ImagePath|contains: '\\Temp\\'\ncondition: selection",
    'level: high',
  ),
  'sigma/tool_keywords.yml': sigma(
    '6b0d4c52-9a51-4f0e-8a34-0c5f4b1e7a04',
    'Credential Tool Keywords',
    'product: linux',
    "keywords:\n    - 'SekurLSA::'\n    - 'Kiwi'\ncondition: keywords",
  ),
  'sigma/broken.yml': 'title: [unclosed\nlogsource: {\n',
  'panther/key_created.py': 'def rule(event):\n    return event.get("eventName") == "CreateAccessKey" and event.get("EventSource") == "iam.amazonaws.com"\n',
  'panther/key_created.yml': panther('Fixture.Key.Created', 'key_created.py', ['AWS.CloudTrail'], 'Severity: High\nReports:\n  MITRE ATT&CK:\n    - "TA0003:T1098.001"\n'),
  'panther/key_created_ok.py': [
    'def rule(event):',
    '    if event.get("errorCode") == "AccessDenied":',
    '        return False',
    '    return event.get("EVENTNAME") == "CreateAccessKey" and event.get("eventSource") == "iam.amazonaws.com"',
    '',
  ].join('\n'),
  'panther/key_created_ok.yml': panther('Fixture.Key.Created.Succeeded', 'key_created_ok.py', ['AWS.CloudTrail'], 'Severity: Medium\n'),
  'panther/repo_or_user.py': [
    'def rule(event):',
    '    if event.get("p_log_type") == "GitHub.Audit":',
    '        return event.get("action") == "repo.destroy"',
    '    return event.get("action") == "user_deactivated"',
    '',
  ].join('\n'),
  'panther/repo_or_user.yml': panther('Fixture.Repo.Or.User', 'repo_or_user.py', ['GitHub.Audit', 'Slack.AuditLogs'], 'Severity: Low\n'),
  'panther/policy.yml': 'AnalysisType: policy\nPolicyID: Fixture.Policy\nFilename: policy.py\nResourceTypes: [AWS.S3.Bucket]\nSeverity: Low\n',
};

let root: string;
let results: RuleResult[];
let index: CatalogIndex;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rulebridge-catalog-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  results = (await loadRules([root], { workers: 0 })).results;
  index = buildCatalogIndex(results, { pathBase: root });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function rule(title: string): CatalogRule {
  const found = index.rules.find((r) => r.title === title);
  expect(found, title).toBeDefined();
  return found!;
}

function indicator(r: CatalogRule, field: string | null, op: string, value: string | null, exclusion = false) {
  const found = r.indicators.find((i) => i.field === field && i.op === op && i.value === value && i.exclusion === exclusion);
  expect(found, `${r.title}: ${field} ${op} ${value}${exclusion ? ' (excluded)' : ''} in ${JSON.stringify(r.indicators.map((i) => [i.field, i.op, i.value, i.exclusion]))}`).toBeDefined();
  return found!;
}

describe('indicators and corpus counts', () => {
  test('one indicator per value, counting the other rules that look for it', () => {
    const both = rule('Root Creates Users Or Keys');
    // the other Sigma rule and the two Panther rules on CreateAccessKey
    expect(indicator(both, 'eventname', 'eq', 'createaccesskey').corpusCount).toBe(3);
    expect(indicator(both, 'eventname', 'eq', 'createuser').corpusCount).toBe(0);

    const entry = index.indicators.find((i) => i.field === 'eventname' && i.value === 'createaccesskey')!;
    expect(entry.rules.map((r) => r.platform).sort()).toEqual(['panther', 'panther', 'sigma', 'sigma']);
  });

  test('negated tests are exclusions and are not counted as looked for', () => {
    const excluding = rule('Access Key Created For Another User');
    const lookingFor = rule('Root Creates Users Or Keys');
    const excluded = indicator(excluding, 'useridentity.type', 'eq', 'root', true);
    // The excluding rule sees the one rule that looks for it; that rule sees no other.
    expect(excluded.corpusCount).toBe(1);
    expect(indicator(lookingFor, 'useridentity.type', 'eq', 'root').corpusCount).toBe(0);
    expect(excluding.indicators.some((i) => i.field === 'userIdentity.type' && !i.exclusion)).toBe(false);

    const entry = index.indicators.find((i) => i.slug === excluded.slug)!;
    expect(entry.rules.map((r) => r.title)).toEqual(['Root Creates Users Or Keys']);
    expect(entry.excludedBy.map((r) => r.title)).toEqual(['Access Key Created For Another User']);

    const guarded = rule('Fixture.Key.Created.Succeeded');
    expect(indicator(guarded, 'errorcode', 'eq', 'accessdenied', true).corpusCount).toBe(0);
    expect(guarded.indicators.filter((i) => !i.exclusion).map((i) => i.field)).toEqual(['eventname', 'eventsource']);
  });

  test('fields and text values compare ignoring case, across platforms', () => {
    const a = rule('Fixture.Key.Created');
    const b = rule('Fixture.Key.Created.Succeeded');
    const source = indicator(a, 'eventsource', 'eq', 'iam.amazonaws.com');
    expect(source.written.field).toBe('EventSource');
    expect(indicator(b, 'eventsource', 'eq', 'iam.amazonaws.com').slug).toBe(source.slug);
    // Panther's == compares exactly, Sigma ignores case: both look for the same thing.
    const name = indicator(b, 'eventname', 'eq', 'createaccesskey');
    expect(name.written.field).toBe('EVENTNAME');
    expect(name.written.value).toBe('CreateAccessKey');
    expect(name.slug).toBe(indicator(rule('Root Creates Users Or Keys'), 'eventname', 'eq', 'createaccesskey').slug);
  });

  test('keyword searches have no field; numbers become their text', () => {
    const keywords = rule('Credential Tool Keywords');
    expect(keywords.indicators.map((i) => [i.field, i.op, i.value])).toEqual([
      [null, 'keyword.contains', 'kiwi'],
      [null, 'keyword.contains', 'sekurlsa::'],
    ]);
    expect(indicator(rule('Service Installed From Temp'), 'eventid', 'eq', '7045').corpusCount).toBe(0);
  });

  test('every corpus count is the looking-for list less the rule itself', () => {
    const byKey = new Map(index.indicators.map((i) => [i.slug, i]));
    for (const r of index.rules) {
      for (const i of r.indicators) {
        const entry = byKey.get(i.slug)!;
        const self = entry.rules.some((x) => x.slug === r.slug) ? 1 : 0;
        expect(i.corpusCount, `${r.title} ${i.slug}`).toBe(entry.rules.length - self);
      }
    }
  });

  test('a test inside `none` of an array is an exclusion', () => {
    const [row] = indicatorsOf(elements('roles', 'none', match('name', 'eq', ['admin'])));
    expect(row).toMatchObject({ field: 'roles[].name', op: 'eq', negated: true });
  });
});

describe('actions', () => {
  test('Sigma and Panther rules on CreateAccessKey detect the same action', () => {
    const group = index.actions.find((g) => g.key === 'aws.cloudtrail:CreateAccessKey');
    expect(group?.platforms).toEqual(['sigma', 'panther']);
    expect(group?.rules.map((r) => r.title).sort()).toEqual(
      ['Access Key Created For Another User', 'Fixture.Key.Created', 'Fixture.Key.Created.Succeeded', 'Root Creates Users Or Keys'].sort(),
    );

    const sigmaRule = rule('Access Key Created For Another User');
    expect(sigmaRule.actions.map((a) => [a.family, a.field, a.value])).toEqual([['aws.cloudtrail', 'eventName', 'CreateAccessKey']]);
    expect(sigmaRule.sameAction.samePlatform.map((s) => s.rule.title)).toEqual(['Root Creates Users Or Keys']);
    expect(sigmaRule.sameAction.otherPlatforms.map((s) => s.rule.title)).toEqual(['Fixture.Key.Created', 'Fixture.Key.Created.Succeeded']);

    const pantherRule = rule('Fixture.Key.Created.Succeeded');
    expect(pantherRule.actions.map((a) => a.value)).toEqual(['CreateAccessKey']);
    expect(pantherRule.sameAction.otherPlatforms.map((s) => s.rule.title)).toEqual(['Access Key Created For Another User', 'Root Creates Users Or Keys']);
    expect(pantherRule.sameAction.samePlatform.map((s) => [s.rule.title, s.groups])).toEqual([['Fixture.Key.Created', ['aws.cloudtrail:CreateAccessKey']]]);

    expect(rule('Root Creates Users Or Keys').actions.map((a) => a.group)).toEqual(['aws.cloudtrail:CreateAccessKey', 'aws.cloudtrail:CreateUser']);
    expect(index.totals.crossPlatformPairs).toBe(4);
  });

  test('Windows event ids are actions of their channel', () => {
    expect(rule('Service Installed From Temp').actions.map((a) => a.group)).toEqual(['windows.system:7045']);
    expect(rule('Credential Tool Keywords').actions).toEqual([]);
  });

  test('a test under p_log_type == X is credited to X only', () => {
    const groups = rule('Fixture.Repo.Or.User').actions.map((a) => a.group);
    expect(groups).toContain('github.audit:repo.destroy');
    expect(groups).not.toContain('slack.audit:repo.destroy');
  });

  test('the action table reports schema errors as diagnostics', () => {
    const bad = readActionTable('families:\n  x.y:\n    title: X\n    case: maybe\n    sources:\n      - sigma: {vendor: x}\n        fields: [f]\n', 'bad.yml');
    expect(bad.table).toBeUndefined();
    expect(bad.diagnostics.map((d) => d.code)).toEqual(['invalid-action-table', 'invalid-action-table']);
    expect(bad.diagnostics.map((d) => d.message).join('\n')).toMatch(/'case' must be[\s\S]*cannot match on 'vendor'/);
    expect(shippedActionTable().families.some((f) => f.id === 'aws.cloudtrail')).toBe(true);
  });
});

describe('entries and totals', () => {
  test('a file that does not read is an entry with its diagnostics, and the counts add up', () => {
    expect(index.failed).toHaveLength(1);
    const [failed] = index.failed;
    expect(failed!.path).toBe('sigma/broken.yml');
    expect(failed!.slug).toMatch(/^failed-broken-[0-9a-f]{12}$/);
    expect(failed!.diagnostics.map((d) => d.code)).toContain('yaml-syntax');
    expect(index.skipped.map((s) => s.path)).toEqual(['panther/policy.yml']);
    const { totals } = index;
    expect(totals).toMatchObject({ inputs: results.length, rules: 7, failed: 1, skipped: 1, byPlatform: { sigma: 4, panther: 3 } });
    expect(totals.rules + totals.failed + totals.skipped).toBe(totals.inputs);
  });

  test('slugs are unique, lower-case and file-system safe', () => {
    const slugs = [...index.rules.map((r) => r.slug), ...index.failed.map((f) => f.slug), ...index.indicators.map((i) => i.slug)];
    expect(new Set(slugs).size).toBe(slugs.length);
    for (const slug of [...slugs, ...index.actions.map((a) => a.slug), ...index.facets.logsources.map((l) => l.slug)]) {
      expect(slug).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });

  test('ATT&CK coverage, severities and log sources list the rules under them', () => {
    const persistence = index.attack.tactics.find((t) => t.shortname === 'persistence')!;
    expect(persistence.techniques.map((t) => [t.id, t.count])).toEqual([
      ['T1098.001', 2],
      ['T1136.003', 1],
    ]);
    expect(persistence.techniques[0]!.name).toBe('Additional Cloud Credentials');
    expect(index.attack.tactics[0]!.shortname).toBe('reconnaissance');
    expect(index.attack.techniques.find((t) => t.id === 'T1098.001')?.byPlatform).toEqual({ sigma: 1, panther: 1 });
    expect(index.facets.severities.map((s) => [s.key, s.count])).toEqual([
      ['informational', 0],
      ['low', 1],
      ['medium', 2],
      ['high', 3],
      ['critical', 0],
      ['none', 1],
    ]);
    const cloudtrail = index.facets.logsources.find((l) => l.key === 'sigma:aws//cloudtrail')!;
    expect(cloudtrail.label).toBe('aws / cloudtrail');
    expect(cloudtrail.rules.map((r) => r.title)).toEqual(['Access Key Created For Another User', 'Root Creates Users Or Keys']);
    expect(index.facets.logsources.filter((l) => l.key.startsWith('panther:')).map((l) => [l.key, l.count])).toEqual([
      ['panther:AWS.CloudTrail', 2],
      ['panther:GitHub.Audit', 1],
      ['panther:Slack.AuditLogs', 1],
    ]);
  });
});

describe('machine-readable outputs', () => {
  test('catalog.json has the keys of every object in code-unit order, at any indent, as stableJson writes them', () => {
    for (const indent of [0, 2]) {
      const text = catalogJson(index, { indent });
      expect(stableJson(JSON.parse(text), indent)).toBe(text);
    }
  });

  test('catalog.json is the same bytes whatever the order of the inputs', () => {
    const text = catalogJson(index);
    expect(catalogJson(buildCatalogIndex(results, { pathBase: root }))).toBe(text);
    expect(catalogJson(buildCatalogIndex([...results].reverse(), { pathBase: root }))).toBe(text);
    const data = JSON.parse(text) as Record<string, unknown> & { rules: Array<Record<string, unknown>>; totals: Record<string, number> };
    expect(Object.keys(data)).toEqual([...Object.keys(data)].sort());
    expect(Object.keys(data.rules[0]!)).toEqual([...Object.keys(data.rules[0]!)].sort());
    expect(data.totals.inputs).toBe(results.length);
    expect(text).not.toContain(root);
    const key = data.rules.find((r) => r.title === 'Access Key Created For Another User')!;
    expect(key).toMatchObject({ platform: 'sigma', path: 'sigma/key_for_other_user.yml', extraction: 'complete', level: 'high', tactics: ['TA0003'] });
    expect(key.sameAction).toEqual({
      samePlatform: [rule('Root Creates Users Or Keys').slug],
      otherPlatforms: [rule('Fixture.Key.Created').slug, rule('Fixture.Key.Created.Succeeded').slug],
    });
    expect(text.endsWith('}\n')).toBe(true);
  });

  test('the ATT&CK Navigator layer scores techniques by rule count', () => {
    const layer = JSON.parse(attackLayer(index)) as {
      name: string;
      domain: string;
      versions: Record<string, string>;
      techniques: Array<{ techniqueID: string; tactic?: string; score: number; comment: string }>;
      gradient: { colors: string[]; minValue: number; maxValue: number };
      legendItems: Array<{ label: string; color: string }>;
    };
    expect(layer.domain).toBe('enterprise-attack');
    expect(layer.versions).toEqual({ attack: '17', navigator: expect.stringMatching(/^\d+\.\d+\.\d+$/), layer: '4.5' });
    expect(layer.name).toMatch(/rulebridge/);
    expect(layer.techniques).toContainEqual({ techniqueID: 'T1098.001', tactic: 'persistence', score: 2, comment: '2 rules (1 Sigma, 1 Panther)', enabled: true });
    expect(layer.techniques.every((t) => /^T\d{4}(\.\d{3})?$/.test(t.techniqueID) && t.score > 0)).toBe(true);
    expect(layer.gradient).toMatchObject({ minValue: 0, maxValue: 2 });
    expect(layer.gradient.colors.length).toBeGreaterThanOrEqual(2);
    expect(layer.legendItems.length).toBeGreaterThan(0);

    const pantherOnly = JSON.parse(attackLayer(index, { platform: 'panther' })) as { techniques: Array<{ techniqueID: string; score: number }> };
    expect(pantherOnly.techniques.map((t) => [t.techniqueID, t.score])).toEqual([['T1098.001', 1]]);
    expect(attackLayer(index)).toBe(attackLayer(buildCatalogIndex([...results].reverse(), { pathBase: root })));
  });
});

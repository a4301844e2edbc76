import { describe, expect, test } from 'vitest';
import { printCondition } from '../../src/ast/print.js';
import { codesOf, conditionOf, readSigma } from '../helpers/sigma.js';

const failedLogin = `title: Failed login
id: 53ba33fd-3a50-4468-a5ef-c583635cfa92
name: failed_login
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID:
            - 529
            - 4625
    condition: selection
`;

describe('metadata', () => {
  test('attributes, log source and ATT&CK tags with names', () => {
    const [r] = readSigma(`title: API key created
id: 1497f3a3-7898-484e-b1e8-22fe99efd8a4
status: test
description: An attacker may create an API key.
references:
    - https://example.com/a
author: A. Author
date: 2025-04-23
modified: 2025-05-31
tags:
    - attack.persistence
    - attack.t1098.001
logsource:
    product: aws
    service: cloudtrail
detection:
    selection:
        eventName: CreateApiKey
    condition: selection
fields:
    - userIdentity.arn
falsepositives:
    - Admins
level: medium
`);
    const rule = r!.rule!;
    expect(r!.ok).toBe(true);
    expect(rule).toMatchObject({
      kind: 'rule',
      id: '1497f3a3-7898-484e-b1e8-22fe99efd8a4',
      title: 'API key created',
      status: 'test',
      date: '2025-04-23',
      modified: '2025-05-31',
      level: 'medium',
      author: 'A. Author',
      references: ['https://example.com/a'],
      falsepositives: ['Admins'],
      logsource: { product: 'aws', service: 'cloudtrail' },
      fields: [{ name: 'userIdentity.arn', source: 'userIdentity.arn' }],
    });
    expect(rule.attack.tactics).toEqual([{ id: 'TA0003', name: 'Persistence', shortname: 'persistence' }]);
    expect(rule.attack.techniques).toEqual([{ id: 'T1098.001', name: 'Additional Cloud Credentials', tactics: ['TA0003'] }]);
    expect(rule.stages.map((s) => s.name)).toEqual(['condition', 'selection']);
    expect(rule.stages[1]!.text).toBe('selection:\n    eventName: CreateApiKey');
  });
  test('a technique without tactic tags implies its tactics', () => {
    const [r] = readSigma(failedLogin.replace('logsource:', 'tags:\n    - attack.t1110\nlogsource:'));
    expect(r!.rule!.attack.tactics.map((t) => t.id)).toEqual(['TA0006']);
  });
  test('ATT&CK tags the table does not know are reported', () => {
    const [r] = readSigma(failedLogin.replace('logsource:', 'tags:\n    - attack.stealth\n    - attack.t1685\nlogsource:'));
    expect(r!.ok).toBe(true);
    expect(r!.diagnostics).toEqual([expect.objectContaining({ code: 'unknown-attack-tag', severity: 'warning' })]);
    expect(r!.rule!.attack.techniques).toEqual([{ id: 'T1685', tactics: [] }]);
  });
  test('unknown level and status are warnings', () => {
    const [r] = readSigma(failedLogin.replace('title:', 'level: severe\nstatus: maybe\ntitle:'));
    expect(r!.ok).toBe(true);
    expect(codesOf(r)).toEqual(['attribute-warning', 'attribute-warning']);
  });
  test('a missing title or detection condition is an error', () => {
    expect(codesOf(readSigma(failedLogin.replace('title: Failed login\n', ''))[0])).toContain('missing-attribute');
    expect(codesOf(readSigma(failedLogin.replace('    condition: selection\n', ''))[0])).toEqual(['missing-attribute']);
  });
  test('values are typed the way PyYAML reads them', () => {
    expect(conditionOf("selection:\n    A: y\n    B: yes\n    C: 09\n    D: 1e3\n    E: 010\n    F: 0x1F\n    G: 1.5\ncondition: selection")).toBe(
      'A eq "y" and B eq true and C eq "09" and D eq "1e3" and E eq 8 and F eq 31 and G eq 1.5',
    );
  });
});

describe('multi-document files', () => {
  test('each document is one result', () => {
    const results = readSigma(`${failedLogin}---\n${failedLogin.replace('53ba33fd', '53ba33fe').replace('name: failed_login', 'name: other')}`);
    expect(results.map((r) => r.document)).toEqual([0, 1]);
    expect(results.every((r) => r.ok)).toBe(true);
  });
  test('action: global is merged into the documents after it', () => {
    const results = readSigma(`action: global
title: Shared title
logsource:
    product: windows
detection:
    filter:
        User: SYSTEM
    condition: selection and not filter
---
id: 00000000-0000-4000-8000-00000000000a
logsource:
    service: security
detection:
    selection:
        EventID: 1
---
id: 00000000-0000-4000-8000-00000000000b
logsource:
    service: system
detection:
    selection:
        EventID: 2
`);
    expect(results.map((r) => [r.ok, r.rule?.title, r.rule?.logsource, printCondition(r.rule!.condition!)])).toEqual([
      [true, 'Shared title', { product: 'windows', service: 'security' }, 'EventID eq 1 and not User eq "SYSTEM"'],
      [true, 'Shared title', { product: 'windows', service: 'system' }, 'EventID eq 2 and not User eq "SYSTEM"'],
    ]);
  });
  test('a YAML error in one document leaves the others readable', () => {
    const results = readSigma(`${failedLogin}---\ntitle: broken\ndetection: [\n---\n${failedLogin.replace('53ba33fd', '53ba33ff').replace('failed_login', 'x')}`);
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]!.diagnostics[0]).toMatchObject({ code: 'yaml-syntax' });
  });
});

describe('correlation rules', () => {
  test('all types with group-by, timespan and condition; references resolve by name', () => {
    const results = readSigma(`title: Many failed logins
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: many_failed
correlation:
    type: event_count
    rules:
        - failed_login
    group-by:
        - User
    timespan: 10m
    condition:
        gte: 10
---
${failedLogin}`);
    const c = results[0]!;
    expect(c.ok).toBe(true);
    expect(c.rule!.kind).toBe('correlation');
    expect(c.rule!.condition).toBeNull();
    expect(c.rule!.correlation).toEqual({
      type: 'event_count',
      rules: [{ ref: 'failed_login', id: '53ba33fd-3a50-4468-a5ef-c583635cfa92' }],
      groupBy: ['User'],
      timespan: { text: '10m', seconds: 600 },
      condition: [{ op: 'gte', value: 10 }],
      aliases: {},
      generate: false,
    });
  });
  test('value_count needs a field; temporal defaults to all rules', () => {
    const valueCount = readSigma(`title: Spray
correlation:
    type: value_count
    rules: 53ba33fd-3a50-4468-a5ef-c583635cfa92
    group-by: [IpAddress]
    timespan: 1h
    condition:
        field: TargetUserName
        gt: 20
---
${failedLogin}`)[0]!;
    expect(valueCount.rule!.correlation).toMatchObject({ field: 'TargetUserName', condition: [{ op: 'gt', value: 20 }] });

    const temporal = readSigma(`title: Recon
correlation:
    type: temporal_ordered
    rules: [failed_login, failed_login]
    group-by: [User]
    timespan: 5m
    aliases:
        user:
            failed_login: TargetUserName
---
${failedLogin}`)[0]!;
    expect(temporal.ok).toBe(true);
    expect(temporal.rule!.correlation).toMatchObject({
      condition: [{ op: 'gte', value: 2 }],
      aliases: { user: { failed_login: 'TargetUserName' } },
    });

    for (const type of ['value_sum', 'value_avg', 'value_percentile']) {
      const r = readSigma(`title: T\ncorrelation:\n    type: ${type}\n    rules: [failed_login]\n    group-by: [User]\n    timespan: 1d\n    condition:\n        field: Bytes\n        gt: 5\n---\n${failedLogin}`)[0]!;
      expect(r.ok).toBe(true);
    }
  });
  test('malformed correlations and unknown references', () => {
    const bad = (body: string) => codesOf(readSigma(`title: T\ncorrelation:\n${body}\n---\n${failedLogin}`)[0]);
    expect(bad('    type: event_count\n    rules: [failed_login]\n    timespan: 1h')).toEqual(['invalid-correlation']);
    expect(bad('    type: sometimes\n    rules: [failed_login]\n    timespan: 1h')).toEqual(['invalid-correlation']);
    expect(bad('    type: event_count\n    rules: [failed_login]\n    timespan: soon\n    condition: {gte: 1}')).toEqual(['invalid-correlation']);
    expect(bad('    type: value_count\n    rules: [failed_login]\n    group-by: [A]\n    timespan: 1h\n    condition: {gte: 1}')).toEqual(['invalid-correlation']);
    expect(bad('    type: event_count\n    rules: [nobody]\n    group-by: [A]\n    timespan: 1h\n    condition: {gte: 1}')).toEqual(['unresolved-reference']);
  });
});

describe('filters', () => {
  const filter = (rules: string, logsource = 'product: windows\n    service: security') => `title: Filter admins
id: 11111111-1111-4111-8111-111111111111
logsource:
    ${logsource}
filter:
    rules: ${rules}
    selection:
        User|startswith: 'adm_'
    condition: not selection
`;
  test('a filter adds its condition to the rules it names', () => {
    const results = readSigma(`${failedLogin}---\n${filter('[failed_login]')}`);
    const rule = results[0]!.rule!;
    expect(printCondition(rule.condition!)).toBe('EventID in [529, 4625] and not User startswith "adm_"');
    expect(rule.appliedFilters).toEqual(['11111111-1111-4111-8111-111111111111']);
    expect(results[1]!.rule!.kind).toBe('filter');
  });
  test("'any' applies to every rule of the log source, and only there", () => {
    expect(printCondition(readSigma(`${failedLogin}---\n${filter('any')}`)[0]!.rule!.condition!)).toContain('adm_');
    const other = readSigma(`${failedLogin}---\n${filter('any', 'product: linux')}`)[0]!.rule!;
    expect(printCondition(other.condition!)).toBe('EventID in [529, 4625]');
  });
  test('a filter naming an unknown rule warns', () => {
    const results = readSigma(`${failedLogin}---\n${filter('[nothing_here]')}`);
    expect(results[1]!.diagnostics).toEqual([expect.objectContaining({ code: 'unresolved-reference', severity: 'warning' })]);
  });
  test('a filter without rules is an error', () => {
    expect(codesOf(readSigma(`title: F\nlogsource:\n    product: windows\nfilter:\n    selection:\n        A: 1\n    condition: not selection\n`)[0])).toEqual([
      'invalid-filter',
    ]);
  });
});

describe('rule sets', () => {
  test('duplicate ids are reported', () => {
    const results = readSigma(`${failedLogin}---\n${failedLogin.replace('name: failed_login', 'name: again')}`);
    expect(codesOf(results[1])).toEqual(['duplicate-id']);
  });
});

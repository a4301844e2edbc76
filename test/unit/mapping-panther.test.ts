// The shipped mappings' Panther entries: a small rule of each mapped log type, written for this
// test, converts with no unmapped-logsource or unmapped-field diagnostic, and the query names
// the table, sourcetype or UDM field the entry promises.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { RuleResult } from '../../src/ast/rule.js';
import { convertRuleSet } from '../../src/convert/convert.js';
import { loadRules } from '../../src/load/load.js';

/** [log type, field path, value, splunk search term, sentinel table, xdr table or null, chronicle field or null] */
const CASES: Array<[string, string[], string, string, string, string | null, string | null]> = [
  ['AWS.CloudTrail', ['eventName'], 'StopLogging', 'sourcetype="aws:cloudtrail"', 'AWSCloudTrail', 'CloudAppEvents', 'metadata.product_event_type'],
  ['GCP.AuditLog', ['protoPayload', 'methodName'], 'SetIamPolicy', 'sourcetype="google:gcp:pubsub:message"', 'GCPAuditLogs', null, 'metadata.product_event_type'],
  ['Azure.MonitorActivity', ['operationName'], 'MICROSOFT.AUTHORIZATION/ROLEASSIGNMENTS/WRITE', 'sourcetype="azure:monitor:activity"', 'AzureActivity', null, 'metadata.product_event_type'],
  ['GSuite.ActivityEvent', ['name'], 'CHANGE_PASSWORD', 'sourcetype="gws:reports:*"', 'GoogleWorkspaceReports', null, 'metadata.product_event_type'],
  ['Okta.SystemLog', ['eventType'], 'user.mfa.factor.deactivate', 'sourcetype="OktaIM2:log"', 'OktaV2_CL', null, 'metadata.product_event_type'],
  ['GitHub.Audit', ['action'], 'repo.destroy', 'sourcetype="github:*:audit"', 'GitHubAuditLogsV2_CL', null, 'metadata.product_event_type'],
  ['Amazon.EKS.Audit', ['verb'], 'delete', 'sourcetype="aws:cloudwatchlogs:eks"', 'Amazon_EKS_Audit_CL', null, 'metadata.product_event_type'],
  ['Anthropic.Activity', ['type'], 'api_key_created', 'sourcetype="anthropic:activity"', 'Anthropic_Activity_CL', null, 'metadata.product_event_type'],
  ['OpenAI.Audit', ['type'], 'api_key.created', 'sourcetype="openai:audit"', 'OpenAI_Audit_CL', null, 'metadata.product_event_type'],
  ['Azure.Audit', ['properties', 'riskState'], 'atRisk', 'sourcetype="azure:monitor:aad"', 'SigninLogs', null, null],
  ['Slack.AuditLogs', ['action'], 'user_deactivated', 'sourcetype="slack:auditlogs"', 'Slack_AuditLogs_CL', null, null],
];

let root: string;
let results: RuleResult[];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rulebridge-panther-mapping-'));
  CASES.forEach(([logType, path, value], k) => {
    const read = path.length === 1 ? `event.get("${path[0]}")` : `event.deep_get(${path.map((p) => `"${p}"`).join(', ')})`;
    writeFileSync(join(root, `case_${k}.py`), `def rule(event):\n    return ${read} == "${value}"\n`);
    writeFileSync(join(root, `case_${k}.yml`), ['AnalysisType: rule', `RuleID: Mapping.Case.${k}`, `Filename: case_${k}.py`, 'Enabled: true', `LogTypes: [${logType}]`, 'Severity: Low', ''].join('\n'));
  });
  results = (await loadRules([root], { workers: 0 })).results;
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function converted(logType: string, target: 'splunk' | 'kql' | 'chronicle', format: string) {
  const k = CASES.findIndex(([t]) => t === logType);
  const result = results.find((r) => r.path.endsWith(`case_${k}.yml`));
  expect(result?.rule, `rule for ${logType}`).toBeDefined();
  const [conversion] = convertRuleSet([result!], { target, format });
  const codes = conversion!.diagnostics.map((d) => d.code);
  expect(codes, conversion!.diagnostics.map((d) => d.message).join('\n')).not.toContain('unmapped-logsource');
  expect(codes).not.toContain('unmapped-field');
  return conversion!.queries.join('\n');
}

describe('shipped mappings place Panther log types', () => {
  test.each(CASES)('%s', (logType, _path, value, splunk, sentinel, xdr, udm) => {
    const spl = converted(logType, 'splunk', 'default');
    expect(spl).toContain(splunk);

    const kql = converted(logType, 'kql', 'sentinel');
    expect(kql).toMatch(new RegExp(`(^|\\n)query: [|>-]*\\s*${sentinel}\\b|^${sentinel}\\b|\\b${sentinel}\\n`, 'm'));
    expect(kql).toContain(value);

    if (xdr) expect(converted(logType, 'kql', 'xdr')).toMatch(new RegExp(`^${xdr}\\b`));
    if (udm) expect(converted(logType, 'chronicle', 'yaral')).toContain(udm);
  });
});

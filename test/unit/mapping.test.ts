import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { printCondition } from '../../src/ast/print.js';
import { convertRuleSet } from '../../src/convert/convert.js';
import { mapRule } from '../../src/mapping/apply.js';
import { mappingFor, merge } from '../../src/mapping/load.js';
import { readMapping, type Mapping } from '../../src/mapping/schema.js';
import { readSigma, ruleWithDetection } from '../helpers/sigma.js';

const dir = mkdtempSync(join(tmpdir(), 'rulebridge-mapping-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function mapping(text: string): Mapping {
  const read = readMapping(text, 'm.yml');
  expect(read.diagnostics).toEqual([]);
  return read.mapping!;
}

const KQL = mapping(`
target: kql
fields:
  SourceIp: IPAddress
logsources:
  windows_process_creation:
    match: {product: windows, category: process_creation}
    table: DeviceProcessEvents
    fields:
      Image: FolderPath
      User: [AccountName, InitiatingProcessAccountName]
      CurrentDirectory: {none: the table has no working directory}
      requestParameters.*: RequestParameters.*
  windows_any:
    match: {product: windows}
    table: WindowsEvent
    fields:
      '*': EventData.*
`);

function ruleOf(detection: string, logsource = '') {
  let text = ruleWithDetection(detection);
  if (logsource) text = text.replace(/logsource:\n(?:    .*\n)+/, `logsource:\n${logsource}`);
  const [result] = readSigma(text);
  expect(result?.ok).toBe(true);
  return result!.rule!;
}

describe('reading mapping files', () => {
  test('schema errors are diagnostics with positions', () => {
    const read = readMapping('target: kql\nlogsources:\n  a:\n    match: {product: x}\n    tabel: T\n    fields:\n      F: 3\n', 'bad.yml');
    expect(read.mapping).toBeUndefined();
    expect(read.diagnostics.map((d) => [d.code, d.line, d.message])).toEqual([
      ['invalid-mapping', 5, "log source 'a': unknown key 'tabel' (expected match, search, table, filter, event_types, fields, passthrough, columns, extend)"],
      ['invalid-mapping', 7, "field 'F' must map to a field name, a list of field names, null, {none: reason} or {hashes: {algorithm: field}}"],
    ]);
  });
  test('a wrong target, broken YAML and a non-map are reported, not thrown', () => {
    expect(readMapping('target: elastic\n', 'x.yml').diagnostics[0]?.message).toMatch(/'target' must be one of/);
    expect(readMapping('target: [kql\n', 'x.yml').diagnostics[0]?.code).toBe('invalid-mapping');
    expect(readMapping('- a\n', 'x.yml').diagnostics[0]?.message).toMatch(/one YAML document holding a map/);
  });
  test('every shipped mapping reads, and each target and format has one', () => {
    for (const [target, format] of [['splunk', 'default'], ['splunk', 'savedsearches'], ['kql', 'xdr'], ['kql', 'sentinel'], ['chronicle', 'yaral'], ['chronicle', 'udm']] as const) {
      const loaded = mappingFor(target, format);
      expect(loaded.diagnostics).toEqual([]);
      expect(loaded.mapping?.logsources.length).toBeGreaterThan(0);
      for (const l of loaded.mapping!.logsources) expect(Object.keys(l.match).length).toBeGreaterThan(0);
    }
  });
});

describe('selecting a log source', () => {
  test('the most specific entry wins; ties go to the later entry', () => {
    const rule = ruleOf("selection:\n    Image: 'x'\ncondition: selection");
    expect(mapRule(rule, rule.condition, KQL, 'kql').view.source.table).toBe('DeviceProcessEvents');
    const other = ruleOf("selection:\n    Foo: 'x'\ncondition: selection", '    product: windows\n    service: system\n');
    expect(mapRule(other, other.condition, KQL, 'kql').view.source.table).toBe('WindowsEvent');
    const late = merge(KQL, mapping('target: kql\nlogsources:\n  mine:\n    match: {product: windows, category: process_creation}\n    table: MyTable\n'));
    expect(mapRule(rule, rule.condition, late, 'kql').view.source.table).toBe('MyTable');
  });
  test('an unmapped log source is a warning and the rule keeps its field names', () => {
    const rule = ruleOf("selection:\n    Image: 'x'\ncondition: selection", '    product: linux\n    category: process_creation\n');
    const mapped = mapRule(rule, rule.condition, KQL, 'kql');
    expect(mapped.diagnostics.map((d) => [d.code, d.severity])).toEqual([['unmapped-logsource', 'warning']]);
    expect(printCondition(mapped.view.condition!)).toBe('Image eq "x"');
  });
});

describe('resolving fields', () => {
  test('renames, prefixes, any-of lists and the file-wide map', () => {
    const rule = ruleOf("selection:\n    Image|endswith: '\\\\a.exe'\n    requestParameters.userName: bob\n    SourceIp: 1.2.3.4\n    User: admin\ncondition: selection");
    const mapped = mapRule(rule, rule.condition, KQL, 'kql');
    expect(mapped.diagnostics).toEqual([]);
    expect(printCondition(mapped.view.condition!)).toBe(
      'FolderPath endswith "\\\\a.exe" and RequestParameters.userName eq "bob" and IPAddress eq "1.2.3.4" and (AccountName eq "admin" or InitiatingProcessAccountName eq "admin")',
    );
  });
  test('a field with no equivalent is reported once, with the reason, and kept', () => {
    const rule = ruleOf("a:\n    CurrentDirectory: 'C:\\\\'\nb:\n    CurrentDirectory|endswith: 'x'\ncondition: a or not b");
    const mapped = mapRule(rule, rule.condition, KQL, 'kql');
    expect(mapped.diagnostics.map((d) => d.message)).toEqual([
      "field 'CurrentDirectory' has no kql mapping for DeviceProcessEvents: the table has no working directory; it is kept as written",
    ]);
    expect(printCondition(mapped.view.condition!)).toContain('CurrentDirectory');
  });
  test('the catch-all appends the whole name', () => {
    const rule = ruleOf("selection:\n    ScriptBlockText|contains: 'x'\ncondition: selection", '    product: windows\n    service: powershell\n');
    expect(printCondition(mapRule(rule, rule.condition, KQL, 'kql').view.condition!)).toBe('EventData.ScriptBlockText contains "x"');
  });
  test('KQL columns of the table need no entry; unknown ones are reported', () => {
    const m = mapping('target: kql\nlogsources:\n  p:\n    match: {product: windows, category: process_creation}\n    table: DeviceProcessEvents\n');
    const rule = ruleOf("selection:\n    ProcessCommandLine|contains: 'x'\n    AdditionalFields.Foo: 1\n    Nope: 2\ncondition: selection");
    const mapped = mapRule(rule, rule.condition, m, 'kql');
    expect(mapped.diagnostics.map((d) => /'([^']+)'/.exec(d.message)?.[1])).toEqual(['Nope']);
  });
  test('negation stays around the whole any-of group', () => {
    const rule = ruleOf("filter:\n    User: admin\ncondition: not filter");
    expect(printCondition(mapRule(rule, rule.condition, KQL, 'kql').view.condition!)).toBe('not (AccountName eq "admin" or InitiatingProcessAccountName eq "admin")');
  });
});

describe('digest lists', () => {
  const m = mapping(`
target: kql
logsources:
  p:
    match: {product: windows, category: process_creation}
    table: DeviceProcessEvents
    fields:
      Hashes: {hashes: {md5: MD5, sha256: SHA256, imphash: null}}
`);
  test('ALGORITHM=digest values test the algorithm field; others are reported and kept', () => {
    const sha = 'a'.repeat(64);
    const rule = ruleOf(`selection:\n    Hashes|contains:\n      - 'SHA256=${sha}'\n      - 'MD5=0123'\n      - 'IMPHASH=${'b'.repeat(32)}'\ncondition: selection`);
    const mapped = mapRule(rule, rule.condition, m, 'kql');
    expect(printCondition(mapped.view.condition!)).toBe(`SHA256 eq "${sha}" or MD5 startswith "0123" or Hashes contains "IMPHASH=${'b'.repeat(32)}"`);
    expect(mapped.diagnostics.map((d) => d.message)).toEqual([
      "field 'Hashes' has no kql mapping for DeviceProcessEvents: no field holds IMPHASH digests; it is kept as written",
    ]);
  });
});

describe('user mapping files', () => {
  test('amend a shipped entry by name, add new ones, and reject entries without match', () => {
    const shipped = mappingFor('splunk', 'default').mapping!.logsources[0]!;
    const file = join(dir, 'user.yml');
    writeFileSync(file, `target: splunk\nlogsources:\n  ${shipped.name}:\n    search: index=edr EventCode=1\n  orphan:\n    search: x\n`);
    const loaded = mappingFor('splunk', 'default', [file]);
    expect(loaded.diagnostics.map((d) => d.message)).toEqual(["log source 'orphan' has no 'match' and amends no entry of that name"]);
    const entry = loaded.mapping!.logsources.find((l) => l.name === shipped.name)!;
    expect(entry.search).toBe('index=edr EventCode=1');
    expect(entry.match).toEqual(shipped.match);
    expect(entry.fields).toEqual(shipped.fields);
  });
  test('a file for another target is left out with a warning; a missing file is an error', () => {
    const file = join(dir, 'kql.yml');
    writeFileSync(file, 'target: kql\nlogsources: {}\n');
    expect(mappingFor('splunk', 'default', [file]).diagnostics.map((d) => d.severity)).toEqual(['warning']);
    expect(mappingFor('splunk', 'default', [join(dir, 'none.yml')]).diagnostics[0]?.message).toMatch(/cannot read the mapping file/);
  });
});

describe('conversion with mappings', () => {
  test('--strict turns unmapped fields into errors', () => {
    const results = readSigma(ruleWithDetection("selection:\n    CurrentDirectory: 'x'\ncondition: selection"));
    const [loose] = convertRuleSet(results, { target: 'kql', mapping: KQL });
    const [strict] = convertRuleSet(results, { target: 'kql', mapping: KQL, strict: true });
    expect(loose?.ok).toBe(true);
    expect(strict?.ok).toBe(false);
    expect(strict?.diagnostics[0]).toMatchObject({ code: 'unmapped-field', severity: 'error', path: 'rule.yml' });
  });
  test('correlation group-by fields map through the correlated rule', () => {
    const text = `${ruleWithDetection("selection:\n    Image: 'x'\ncondition: selection")}name: base
---
title: Many
id: 00000000-0000-4000-8000-000000000009
correlation:
    type: event_count
    rules: base
    group-by: [User]
    timespan: 5m
    condition: {gte: 3}
`;
    const results = readSigma(text);
    const conversions = convertRuleSet(results, { target: 'kql', mapping: KQL });
    expect(conversions[1]?.queries[0]).toContain('by bin(Timestamp, 5m), AccountName');
    expect(conversions[0]?.diagnostics.map((d) => d.code)).toEqual(['correlated-only']);
  });
});

import { describe, expect, test } from 'vitest';
import { parseConditionText } from '../../src/ast/parse.js';
import { evaluate, type EvalOptions } from '../../src/eval/evaluate.js';
import { flattenWindowsEvent } from '../../src/events/windows.js';

function holds(condition: string, event: unknown, options?: EvalOptions): boolean {
  const parsed = parseConditionText(condition);
  if (!parsed.ok) throw new Error(`${condition}: ${parsed.message}`);
  return evaluate(parsed.condition, event, options);
}

describe('string operators', () => {
  const event = { Image: 'C:\\Windows\\System32\\CMD.exe', CommandLine: 'cmd /c whoami' };
  test('case-insensitive by default, cased when asked', () => {
    expect(holds('Image endswith "\\\\cmd.exe"', event)).toBe(true);
    expect(holds('Image endswith cased "\\\\cmd.exe"', event)).toBe(false);
    expect(holds('Image eq "c:\\\\windows\\\\system32\\\\cmd.exe"', event)).toBe(true);
    expect(holds('CommandLine contains "WHOAMI"', event)).toBe(true);
    expect(holds('CommandLine startswith "cmd /c"', event)).toBe(true);
  });
  test('any and all quantifiers', () => {
    expect(holds('CommandLine contains ["nothing", "whoami"]', event)).toBe(true);
    expect(holds('CommandLine contains all ["cmd", "whoami"]', event)).toBe(true);
    expect(holds('CommandLine contains all ["cmd", "net"]', event)).toBe(false);
    expect(holds('CommandLine in []', event)).toBe(false);
  });
  test('wildcards: * any run, ? one character, escapes literal', () => {
    // In a pattern, a backslash right before a wildcard escapes it; a path separator there is doubled.
    expect(holds('Image wildcard "C:\\\\\\\\*\\\\cmd.exe"', event)).toBe(true);
    expect(holds('Image wildcard "C:\\\\*\\\\cmd.exe"', event)).toBe(false);
    expect(holds('CommandLine wildcard "cmd /? whoami"', event)).toBe(true);
    expect(holds('CommandLine wildcard "cmd /?? whoami"', event)).toBe(false);
    expect(holds('Name wildcard "a\\\\*b"', { Name: 'a*b' })).toBe(true);
    expect(holds('Name wildcard "a\\\\*b"', { Name: 'axxb' })).toBe(false);
  });
  test('regular expressions are searched, case-sensitive unless i', () => {
    expect(holds('CommandLine regex "/c\\\\s+who"', event)).toBe(true);
    expect(holds('CommandLine regex "WHO"', event)).toBe(false);
    expect(holds('CommandLine regex ignorecase "WHO"', event)).toBe(true);
    expect(holds('CommandLine regex "(?i)WHO"', event)).toBe(true);
    expect(holds('CommandLine regex "^whoami"', event)).toBe(false);
    expect(holds('Text regex multiline "^b$"', { Text: 'a\nb\nc' })).toBe(true);
    expect(holds('Text regex "a.b"', { Text: 'a\nb' })).toBe(false);
    expect(holds('Text regex dotall "a.b"', { Text: 'a\nb' })).toBe(true);
  });
  test('where engines differ, regular expressions read as RE2 reads them', () => {
    expect(holds('Text regex "a.b"', { Text: 'a\rb' })).toBe(true);
    expect(holds('Text regex "a.b"', { Text: 'a\u2028b' })).toBe(true);
    expect(holds('Text regex "a\\\\sb"', { Text: 'a\tb' })).toBe(true);
    expect(holds('Text regex "a\\\\sb"', { Text: 'a\vb' })).toBe(false);
    expect(holds('Text regex "a[\\\\s,]b"', { Text: 'a\u00a0b' })).toBe(false);
    expect(holds('Text regex "a\\\\Sb"', { Text: 'a\vb' })).toBe(true);
  });
  test('a wildcard matches across lines', () => {
    expect(holds('Text wildcard "a*b"', { Text: 'a\nb' })).toBe(true);
    expect(holds('Text wildcard "a?b"', { Text: 'a\nb' })).toBe(true);
  });
});

describe('fields', () => {
  test('a missing field matches nothing but eq null, and its negation matches', () => {
    expect(holds('Missing eq "x"', {})).toBe(false);
    expect(holds('not Missing eq "x"', {})).toBe(true);
    expect(holds('Missing eq null', {})).toBe(true);
    expect(holds('Present eq null', { Present: null })).toBe(true);
    expect(holds('Present eq null', { Present: '' })).toBe(false);
    expect(holds('Present eq ""', { Present: '' })).toBe(true);
  });
  test('exists counts null values as present', () => {
    expect(holds('A exists', { A: null })).toBe(true);
    expect(holds('A exists', {})).toBe(false);
  });
  test('dotted names: flat keys first, then nested paths; arrays expand', () => {
    expect(holds('a.b eq 1', { 'a.b': 1 })).toBe(true);
    expect(holds('a.b eq 1', { a: { b: 1 } })).toBe(true);
    expect(holds('a.b.c eq 1', { 'a.b': { c: 1 } })).toBe(true);
    expect(holds('a.b eq 2', { a: [{ b: 1 }, { b: 2 }] })).toBe(true);
    expect(holds('tags eq "x"', { tags: ['w', 'x'] })).toBe(true);
  });
  test('keys are exact unless asked otherwise', () => {
    expect(holds('image eq "x"', { Image: 'x' })).toBe(false);
    expect(holds('image eq "x"', { Image: 'x' }, { caseInsensitiveKeys: true })).toBe(true);
  });
});

describe('values of other types', () => {
  test('numbers match numbers and their text', () => {
    expect(holds('EventID eq 4688', { EventID: 4688 })).toBe(true);
    expect(holds('EventID eq 4688', { EventID: '4688' })).toBe(true);
    expect(holds('EventID eq "4688"', { EventID: 4688 })).toBe(true);
    expect(holds('EventID in [1, 4688]', { EventID: 4689 })).toBe(false);
  });
  test('booleans match booleans and their text', () => {
    expect(holds('Signed eq false', { Signed: false })).toBe(true);
    expect(holds('Signed eq false', { Signed: 'False' })).toBe(true);
    expect(holds('Signed eq false', { Signed: 0 })).toBe(false);
  });
  test('numeric comparisons read numeric text', () => {
    expect(holds('Size gt 10', { Size: 11 })).toBe(true);
    expect(holds('Size gt 10', { Size: '11' })).toBe(true);
    expect(holds('Size gt 10', { Size: 'big' })).toBe(false);
    expect(holds('Size lte 10', { Size: 10 })).toBe(true);
    expect(holds('Size lt 10', { Size: 10 })).toBe(false);
    expect(holds('Size gte 1.5', { Size: '1.5' })).toBe(true);
  });
  test('cidr for IPv4, IPv6 and IPv4-mapped addresses', () => {
    expect(holds('Ip cidr "10.0.0.0/8"', { Ip: '10.1.2.3' })).toBe(true);
    expect(holds('Ip cidr "10.0.0.0/8"', { Ip: '11.1.2.3' })).toBe(false);
    expect(holds('Ip cidr "fc00::/7"', { Ip: 'fd12:3456::1' })).toBe(true);
    // An IPv4-mapped address is IPv6, as the query languages' range functions read it.
    expect(holds('Ip cidr "10.0.0.0/8"', { Ip: '::ffff:10.0.0.1' })).toBe(false);
    expect(holds('Ip cidr "::ffff:0:0/96"', { Ip: '::ffff:10.0.0.1' })).toBe(true);
    expect(holds('Ip cidr "10.0.0.0/8"', { Ip: 'not an ip' })).toBe(false);
  });
  test('time parts in UTC', () => {
    const event = { Time: '2024-03-05T23:45:10Z' };
    expect(holds('hour(Time) eq 23', event)).toBe(true);
    expect(holds('minute(Time) eq 45', event)).toBe(true);
    expect(holds('day(Time) eq 5', event)).toBe(true);
    expect(holds('month(Time) eq 3', event)).toBe(true);
    expect(holds('year(Time) eq 2024', event)).toBe(true);
    expect(holds('week(Time) eq 10', event)).toBe(true);
    expect(holds('hour(Time) eq 23', { Time: '2024-03-05 23:00:00' })).toBe(true);
    expect(holds('hour(Time) gte 22', { Time: 1709682310 })).toBe(true);
  });
  test('placeholders match nothing until resolved', () => {
    expect(holds('Host eq %Workstations%', { Host: '%Workstations%' })).toBe(false);
  });
});

describe('other nodes', () => {
  test('keywords search every value of the event', () => {
    const event = { a: 'nothing', b: { c: ['x', 'Invoke-Mimikatz -DumpCreds'] }, n: 4688 };
    expect(holds('keyword "mimikatz"', event)).toBe(true);
    expect(holds('keyword cased "mimikatz"', event)).toBe(false);
    expect(holds('keyword "4688"', event)).toBe(true);
    expect(holds('keyword all ["invoke", "dump"]', event)).toBe(true);
    expect(holds('keyword wildcard "invoke*creds"', event)).toBe(true);
    expect(holds('keyword wildcard "mimi?atz"', event)).toBe(true);
    expect(holds('keyword regex "Dump\\\\w+"', event)).toBe(true);
    expect(holds('keyword ["absent"]', event)).toBe(false);
  });
  test('field references', () => {
    expect(holds('A eq field(B)', { A: 'Admin', B: 'admin' })).toBe(true);
    expect(holds('A eq cased field(B)', { A: 'Admin', B: 'admin' })).toBe(false);
    expect(holds('A endswith field(B)', { A: 'CORP\\admin', B: 'admin' })).toBe(true);
    expect(holds('A eq field(B)', { A: 'x' })).toBe(false);
  });
  test('array quantifiers', () => {
    const event = { scopes: ['models:read', 'admin'], records: [{ t: 'a' }, { t: 'b' }] };
    expect(holds('any(scopes, @ in ["admin", "all"])', event)).toBe(true);
    expect(holds('all(scopes, @ in ["admin", "all"])', event)).toBe(false);
    expect(holds('none(scopes, @ eq "all")', event)).toBe(true);
    expect(holds('one(records, t in ["a", "c"])', event)).toBe(true);
    expect(holds('all(missing, @ eq "x")', event)).toBe(true);
    expect(holds('any(missing, @ eq "x")', event)).toBe(false);
  });
  test('unknown parts give the necessary condition by default', () => {
    expect(holds('unknown("x")', {})).toBe(true);
    expect(holds('not unknown("x")', {})).toBe(true);
    expect(holds('A eq 1 and not unknown("x")', { A: 2 })).toBe(false);
    expect(holds('unknown("x")', {}, { unknown: 'false' })).toBe(false);
  });
  test('constants', () => {
    expect(holds('true', {})).toBe(true);
    expect(holds('false or not false', {})).toBe(true);
  });
});

describe('values Panther rules compute (Python semantics)', () => {
  const python = { semantics: 'python' as const };
  test('JSON types', () => {
    expect(holds('a is "list"', { a: [1] }, python)).toBe(true);
    expect(holds('a is ["object", "string"]', { a: 'x' }, python)).toBe(true);
    expect(holds('a is "null"', {}, python)).toBe(false);
  });
  test('deep_walk gathers distinct values across lists; gathering objects raises, and the rule is false', () => {
    const event = { g: [{ r: 'a' }, { r: ['b', 'a'] }, { x: 1 }], h: [{ r: { deep: 1 } }] };
    expect(holds('walk:g.r eq "a"', event, python)).toBe(false);
    expect(holds('walk:g.r contains "b"', event, python)).toBe(true);
    expect(holds('walk.first:g.r eq "a"', event, python)).toBe(true);
    expect(holds('`walk="?":g.x` contains "?"', event, python)).toBe(true);
    expect(holds('not walk:h.r.deep eq 2', event, python)).toBe(true);
    expect(holds('not walk:h.r eq 2', event, python)).toBe(false);
  });
  test('a field inside JSON text, keys matched exactly', () => {
    const event = { Body: '{"Scope": {"level": 3}}' };
    expect(holds('`json(body).Scope.level` gte 3', event, python)).toBe(true);
    expect(holds('`json(body).scope.level` gte 3', event, python)).toBe(false);
    expect(holds('`json(body)` exists', { body: '{oops' }, python)).toBe(false);
  });
  test('int() and float() as Python converts', () => {
    expect(holds('`float(s)` gt 7', { s: ' 7.5 ' }, python)).toBe(true);
    expect(holds('`int(s)` eq 7', { s: 7.9 }, python)).toBe(true);
    expect(holds('`int(s)` eq 7', { s: '7.9' }, python)).toBe(false);
    expect(holds('`float(s, 0)` eq 0', {}, python)).toBe(true);
    expect(holds('`float(s)` exists', {}, python)).toBe(false);
  });
});

describe('windows events', () => {
  test('System attributes become Element_Attribute fields, EventData and UserData fields their names', () => {
    const flat = flattenWindowsEvent({
      Event: {
        System: {
          Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon', Guid: '{x}' } },
          EventID: 1,
          Execution: { '#attributes': { ProcessID: 4 } },
          Channel: 'Microsoft-Windows-Sysmon/Operational',
        },
        EventData: { '#attributes': { Name: 'ignored' }, Image: 'C:\\a.exe' },
        UserData: { Operation_ClientFailure: { '#attributes': { xmlns: 'x' }, Operation: 'op' } },
      },
    });
    expect(flat).toEqual({
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Provider_Guid: '{x}',
      EventID: 1,
      Execution_ProcessID: 4,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Image: 'C:\\a.exe',
      Operation: 'op',
    });
  });
});

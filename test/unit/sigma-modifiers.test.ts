import { describe, expect, test } from 'vitest';
import { conditionOf, readSigma, ruleWithDetection } from '../helpers/sigma.js';

const sel = (item: string) => `selection:\n    ${item.replace(/\n/g, '\n    ')}\ncondition: selection`;

describe('plain values', () => {
  test('a string is an equality test', () => {
    expect(conditionOf(sel("Image: 'C:\\Windows\\cmd.exe'"))).toBe('Image eq "C:\\\\Windows\\\\cmd.exe"');
  });
  test('a list of values is any of them and stays one node', () => {
    expect(conditionOf(sel('EventID:\n    - 4624\n    - 4625'))).toBe('EventID in [4624, 4625]');
  });
  test('leading and trailing wildcards become contains / startswith / endswith', () => {
    expect(conditionOf(sel("Image: '*\\cmd.exe'"))).toBe('Image endswith "\\\\cmd.exe"');
    // A backslash before a wildcard escapes it; a literal backslash there is written twice.
    expect(conditionOf(sel("Image: 'C:\\Temp\\*'"))).toBe('Image eq "C:\\\\Temp*"');
    expect(conditionOf(sel("Image: 'C:\\Temp\\\\*'"))).toBe('Image startswith "C:\\\\Temp\\\\"');
    expect(conditionOf(sel("CommandLine: '*mimikatz*'"))).toBe('CommandLine contains "mimikatz"');
  });
  test('inner wildcards and ? keep a wildcard pattern', () => {
    expect(conditionOf(sel("Image: 'C:\\\\*\\cmd.exe'"))).toBe('Image wildcard "C:\\\\\\\\*\\\\cmd.exe"');
    expect(conditionOf(sel("Image: 'C:/*/cmd.exe'"))).toBe('Image wildcard "C:/*/cmd.exe"');
    expect(conditionOf(sel("Image: 'prog?.exe'"))).toBe('Image wildcard "prog?.exe"');
  });
  test('escaped wildcards are literal characters', () => {
    expect(conditionOf(sel("Name: 'a\\*b'"))).toBe('Name eq "a*b"');
    expect(conditionOf(sel("Name: 'a\\?b*'"))).toBe('Name startswith "a?b"');
    // \\* is a backslash followed by a wildcard
    expect(conditionOf(sel("Name: 'C:\\\\*'"))).toBe('Name startswith "C:\\\\"');
    // \\\* is a backslash and a literal star
    expect(conditionOf(sel("Name: 'a\\\\\\*'"))).toBe('Name eq "a\\\\*"');
  });
  test('null and empty values', () => {
    expect(conditionOf(sel('Field: null'))).toBe('Field eq null');
    expect(conditionOf(sel("Field: ''"))).toBe('Field eq ""');
    expect(conditionOf(sel('Field: []'))).toBe('Field eq null');
  });
  test('numbers and booleans keep their type', () => {
    expect(conditionOf(sel('LogonType: 3'))).toBe('LogonType eq 3');
    expect(conditionOf(sel('Signed: false'))).toBe('Signed eq false');
  });
});

describe('generic modifiers', () => {
  test('contains, startswith, endswith', () => {
    expect(conditionOf(sel("CommandLine|contains: 'x'"))).toBe('CommandLine contains "x"');
    expect(conditionOf(sel("CommandLine|startswith: 'x'"))).toBe('CommandLine startswith "x"');
    expect(conditionOf(sel("CommandLine|endswith: 'x'"))).toBe('CommandLine endswith "x"');
    expect(conditionOf(sel("CommandLine|contains: '*x*'"))).toBe('CommandLine contains "x"');
    expect(conditionOf(sel("CommandLine|contains: 'a*b'"))).toBe('CommandLine wildcard "*a*b*"');
  });
  test('all links the values with and', () => {
    expect(conditionOf(sel("CommandLine|contains|all:\n    - '-a'\n    - '-b'"))).toBe('CommandLine contains all ["-a", "-b"]');
  });
  test('all with a single value warns', () => {
    const [r] = readSigma(ruleWithDetection(sel("CommandLine|contains|all: 'x'")));
    expect(r?.diagnostics.map((d) => d.code)).toContain('all-single-value');
  });
  test('exists', () => {
    expect(conditionOf(sel('User|exists: true'))).toBe('User exists');
    expect(conditionOf(sel('User|exists: false'))).toBe('not User exists');
  });
  test('cased', () => {
    expect(conditionOf(sel("Name|cased: 'Evil'"))).toBe('Name eq cased "Evil"');
    expect(conditionOf(sel("Name|contains|cased: 'Evil'"))).toBe('Name contains cased "Evil"');
  });
  test('neq negates the whole value list', () => {
    expect(conditionOf(sel("Status|neq: 'ok'"))).toBe('not Status eq "ok"');
    expect(conditionOf(sel('Port|neq:\n    - 80\n    - 443'))).toBe('not Port in [80, 443]');
  });
});

describe('string modifiers', () => {
  test('windash expands flag characters in every combination', () => {
    expect(conditionOf(sel("CommandLine|windash|contains: ' -enc '"))).toBe(
      'CommandLine contains [" -enc ", " /enc ", " –enc ", " —enc ", " ―enc "]',
    );
  });
  test('windash leaves dashes inside words alone', () => {
    expect(conditionOf(sel("CommandLine|windash: 'a-b'"))).toBe('CommandLine eq "a-b"');
  });
  test('windash values stay or-linked under all', () => {
    expect(conditionOf(sel("CommandLine|windash|contains|all:\n    - '-a'\n    - 'b'"))).toBe(
      'CommandLine contains ["-a", "/a", "–a", "—a", "―a"] and CommandLine contains "b"',
    );
  });
  test('re, with flags', () => {
    expect(conditionOf(sel("CommandLine|re: '^a.*b$'"))).toBe('CommandLine regex "^a.*b$"');
    expect(conditionOf(sel("CommandLine|re|i|m|s: 'x'"))).toBe('CommandLine regex ignorecase multiline dotall "x"');
    expect(conditionOf(sel("CommandLine|re|ignorecase: 'x'"))).toBe('CommandLine regex ignorecase "x"');
  });
  test('re takes the value as written: wildcards and backslashes are regex syntax', () => {
    expect(conditionOf(sel("CommandLine|re: 'a\\*b.*'"))).toBe('CommandLine regex "a\\\\*b.*"');
  });
  test('base64', () => {
    expect(conditionOf(sel("CommandLine|base64: 'evil'"))).toBe('CommandLine eq "ZXZpbA=="');
    expect(conditionOf(sel("CommandLine|base64|contains: 'evil'"))).toBe('CommandLine contains "ZXZpbA=="');
  });
  test('base64offset gives the three shifted encodings', () => {
    // pySigma's reference values for 'http://' and 'ping'
    expect(conditionOf(sel("CommandLine|base64offset|contains: 'http://'"))).toBe(
      'CommandLine contains ["aHR0cDovL", "h0dHA6Ly", "odHRwOi8v"]',
    );
    expect(conditionOf(sel("CommandLine|base64offset|contains: 'ping'"))).toBe('CommandLine contains ["cGluZ", "Bpbm", "waW5n"]');
  });
  test('utf16 encodings', () => {
    expect(conditionOf(sel("Data|wide|base64: 'cmd'"))).toBe('Data eq "YwBtAGQA"');
    expect(conditionOf(sel("Data|utf16le|base64: 'cmd'"))).toBe('Data eq "YwBtAGQA"');
    expect(conditionOf(sel("Data|utf16be|base64: 'cmd'"))).toBe('Data eq "AGMAbQBk"');
    expect(conditionOf(sel("Data|utf16|base64: 'cmd'"))).toBe('Data eq "//5jAG0AZAA="');
  });
  test('wide with base64offset (PowerShell -EncodedCommand)', () => {
    expect(conditionOf(sel("CommandLine|wide|base64offset|contains: 'ping'"))).toBe(
      'CommandLine contains ["cABpAG4AZw", "AAaQBuAGcA", "wAGkAbgBnA"]',
    );
  });
});

describe('numeric and time modifiers', () => {
  test('lt, lte, gt, gte', () => {
    expect(conditionOf(sel('Size|lt: 10'))).toBe('Size lt 10');
    expect(conditionOf(sel('Size|lte: 10'))).toBe('Size lte 10');
    expect(conditionOf(sel('Size|gt: 10'))).toBe('Size gt 10');
    expect(conditionOf(sel('Size|gte: 1.5'))).toBe('Size gte 1.5');
  });
  test('numeric text is read as a number', () => {
    expect(conditionOf(sel("Size|gt: '10'"))).toBe('Size gt 10');
  });
  test('time parts', () => {
    for (const part of ['minute', 'hour', 'day', 'week', 'month', 'year']) {
      expect(conditionOf(sel(`Time|${part}: 3`))).toBe(`${part}(Time) eq 3`);
    }
  });
  test('a time part out of range is refused', () => {
    expect(conditionOf(sel('Time|hour: 24'))).toBe('ERROR invalid-value');
  });
});

describe('cidr', () => {
  test('IPv4 and IPv6 networks', () => {
    expect(conditionOf(sel("DestinationIp|cidr:\n    - '10.0.0.0/8'\n    - 'fc00::/7'"))).toBe('DestinationIp cidr ["10.0.0.0/8", "fc00::/7"]');
  });
  test('invalid networks are refused with the reason', () => {
    const [r] = readSigma(ruleWithDetection(sel("DestinationIp|cidr: '10.0.0.1/8'")));
    expect(r?.ok).toBe(false);
    expect(r?.diagnostics[0]).toMatchObject({ code: 'invalid-cidr', line: 8, col: 9 });
    expect(r?.diagnostics[0]?.message).toContain('host bits');
    expect(conditionOf(sel("DestinationIp|cidr: '300.0.0.0/8'"))).toBe('ERROR invalid-cidr');
    expect(conditionOf(sel("DestinationIp|cidr: '10.0.0.0/33'"))).toBe('ERROR invalid-cidr');
  });
});

describe('expand and fieldref', () => {
  test('an unresolved placeholder stays a placeholder value, with a warning', () => {
    const [r] = readSigma(ruleWithDetection(sel("ComputerName|expand: '%Workstations%'")));
    expect(r?.ok).toBe(true);
    expect(r?.diagnostics.map((d) => d.code)).toEqual(['unresolved-placeholder']);
    expect(conditionOf(sel("ComputerName|expand: '%Workstations%'"))).toBe('ComputerName eq %Workstations%');
    expect(conditionOf(sel("CommandLine|contains|expand: '%userdomain%'"))).toBe('CommandLine contains %userdomain%');
  });
  test('placeholders resolve to the values given', () => {
    const placeholders = { Workstations: ['ws-*', 'laptop1'] };
    expect(conditionOf(sel("ComputerName|expand: '%Workstations%'"), { placeholders })).toBe(
      'ComputerName startswith "ws-" or ComputerName eq "laptop1"',
    );
    expect(conditionOf(sel("Path|expand: 'C:/%dir%/x'"), { placeholders: { dir: ['a', 'b'] } })).toBe('Path in ["C:/a/x", "C:/b/x"]');
  });
  test('a placeholder inside a value without values is an unknown part', () => {
    expect(conditionOf(sel("Path|expand: 'C:/%dir%/x'"))).toBe('unknown("placeholder %dir% inside a value needs its values (--placeholders)", 8:9)');
  });
  test('an escaped percent sign is not a placeholder', () => {
    expect(conditionOf(sel("Path|expand: '\\%plain%'"))).toBe('Path eq "%plain%"');
  });
  test('fieldref compares two fields', () => {
    expect(conditionOf(sel("TargetUserName|fieldref: SubjectUserName"))).toBe('TargetUserName eq field(SubjectUserName)');
    expect(conditionOf(sel("TargetUserName|fieldref|endswith: SubjectUserName"))).toBe('TargetUserName endswith field(SubjectUserName)');
    expect(conditionOf(sel("TargetUserName|fieldref|neq: SubjectUserName"))).toBe('not TargetUserName eq field(SubjectUserName)');
  });
});

describe('modifier errors', () => {
  test('an unknown modifier, with a suggestion', () => {
    const [r] = readSigma(ruleWithDetection(sel("CommandLine|contians: 'x'")));
    expect(r?.ok).toBe(false);
    expect(r?.diagnostics[0]).toMatchObject({ code: 'unknown-modifier', line: 8, col: 9 });
    expect(r?.diagnostics[0]?.message).toContain("did you mean 'contains'");
  });
  test('a modifier on the wrong value type', () => {
    expect(conditionOf(sel('Flag|contains: true'))).toBe('ERROR modifier-type');
    expect(conditionOf(sel("Size|gt: 'big'"))).toBe('ERROR modifier-type');
    expect(conditionOf(sel("User|exists: 'yes please'"))).toBe('ERROR modifier-type');
    expect(conditionOf(sel('Flag|re|contains|i: x'))).toBe('Flag regex ignorecase ".*x.*"');
    expect(conditionOf(sel("Flag|i: 'x'"))).toBe('ERROR modifier-type');
  });
  test('modifiers that must come first', () => {
    expect(conditionOf(sel("CommandLine|contains|re: 'x'"))).toBe('ERROR modifier-combination');
    expect(conditionOf(sel("Ip|contains|cidr: '10.0.0.0/8'"))).toBe('ERROR modifier-combination');
  });
  test('an invalid regular expression', () => {
    const [r] = readSigma(ruleWithDetection(sel("CommandLine|re: 'a(b'")));
    expect(r?.diagnostics[0]).toMatchObject({ code: 'invalid-regex', line: 8 });
  });
  test('PCRE constructs outside the portable core only warn', () => {
    const [r] = readSigma(ruleWithDetection(sel("CommandLine|re: '(?>ab)c'")));
    expect(r?.ok).toBe(true);
    expect(r?.diagnostics.map((d) => d.code)).toEqual(['unsupported-regex']);
  });
  test('base64 of a value with wildcards', () => {
    expect(conditionOf(sel("CommandLine|base64: 'a*b'"))).toBe('ERROR invalid-value');
    expect(conditionOf(sel("CommandLine|base64offset: 'a?b'"))).toBe('ERROR invalid-value');
  });
  test('a field reference with wildcards', () => {
    expect(conditionOf(sel("A|fieldref: 'B*'"))).toBe('ERROR invalid-value');
  });
  test('exists and fieldref need a field', () => {
    expect(conditionOf("keywords:\n    '|exists': true\ncondition: keywords")).toBe('ERROR modifier-combination');
  });
});

// The Panther extractor on small Python rules, one construct each: the condition it reads from
// `rule(event)`, and that it is complete or partial as it should be. Every rule here is
// written for this test; a rule set (global_helpers/, data_models/) is laid out in a temporary
// folder for the cases that need one.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { printCondition } from '../../src/ast/print.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { extractPython, type PythonMock } from '../../src/formats/panther/extract/index.js';
import { ruleSetFor } from '../../src/formats/panther/extract/ruleset.js';
import { parsePython } from '../../src/formats/panther/python/parse.js';

let root: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'rulebridge-panther-'));
  const files: Record<string, string> = {
    'global_helpers/fx_helpers.py': [
      'def is_service_actor(event):',
      '    return event.deep_get("actor", "type") == "service_account"',
      '',
      'def audit_context(event):',
      '    return {"actor": event.deep_get("actor", "email"), "ip": event.get("sourceIp")}',
      '',
      'def ping(n):',
      '    return pong(n)',
      '',
      'def pong(n):',
      '    return ping(n)',
      '',
    ].join('\n'),
    'global_helpers/fx_helpers.yml': 'AnalysisType: global\nGlobalID: fx_helpers\nFilename: fx_helpers.py\n',
    'data_models/fx_model.py': 'def get_actor(event):\n    return event.get("actorName") or event.deep_get("actor", "name")\n',
    'data_models/fx_model.yml': [
      'AnalysisType: datamodel',
      'DataModelID: Fixture.Audit',
      'LogTypes: [Fixture.Audit]',
      'Filename: fx_model.py',
      'Mappings:',
      '  - Name: source_ip',
      '    Path: $.client.ip',
      '  - Name: actor_user',
      '    Method: get_actor',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(root, name, '..'), { recursive: true });
    writeFileSync(join(root, name), text);
  }
  mkdirSync(join(root, 'rules'), { recursive: true });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

function extract(source: string, mocks: PythonMock[] = []) {
  const path = join(root, 'rules', 'fixture_rule.py');
  const parsed = parsePython(source, path);
  if (!parsed.ok) throw new Error(parsed.diagnostic.message);
  return extractPython(parsed.module, path, ruleSetFor(join(root, 'rules', 'fixture_rule.yml')), ['Fixture.Audit'], mocks);
}

/** The condition as `inspect` prints a Panther rule's. */
function conditionOf(source: string, mocks: PythonMock[] = []): string {
  const x = extract(source, mocks);
  if (!x.condition) throw new Error('no rule() function');
  return printCondition(x.condition, { cased: true });
}

const rule = (...body: string[]) => ['def rule(event):', ...body.map((l) => `    ${l}`), ''].join('\n');

describe('reading rule(event)', () => {
  test.each([
    ['equality', rule("return event.get('type') == 'service_key_created'"), 'type eq "service_key_created"'],
    ['subscript', rule("return event['eventName'] == 'ConsoleLogin'"), 'eventName eq "ConsoleLogin"'],
    ['membership in a tuple', rule("return event.get('type') in ('a.created', 'a.updated')"), 'type in ["a.created", "a.updated"]'],
    ['deep_get and !=', rule("return event.deep_get('user', 'kind') != 'Root'"), 'not user.kind eq "Root"'],
    ['an early return on a truthy field', rule("if event.get('errorCode'):", '    return False', "return event.get('eventName') == 'X'"), 'not errorCode truthy and eventName eq "X"'],
    ['guards in sequence', rule("if event.get('a') != 'b':", '    return False', "if event.get('c') not in {'d', 'e'}:", '    return False', 'return True'), 'a eq "b" and c in ["d", "e"]'],
    ['a None guard on a local variable', rule("name = event.get('eventName')", 'if name is None:', '    return False', "return name.upper() == 'LOGIN'"), 'eventName eq nocase "LOGIN"'],
    ['an `or` default', rule("user = event.get('user') or 'unknown'", "return user != 'unknown'"), 'user truthy and not user eq "unknown"'],
    ['a ternary', rule("kind = 'a' if event.get('x') == 1 else 'b'", "return kind == 'a'"), 'x eq 1'],
    ['lower() and a substring', rule("return 'admin' in event.get('role', '').lower()"), 'role contains nocase "admin"'],
    ['startswith with a tuple', rule("return event.get('path', '').startswith(('/etc/', '/root/'))"), 'path startswith ["/etc/", "/root/"]'],
    ['a numeric comparison', rule("return event.get('count', 0) > 10"), 'count gt 10'],
    ['a nested get with a dict default', rule("return event.get('a', {}).get('b') == 1"), 'a.b eq 1'],
    ['re.search with a flag', 'import re\n' + rule("return bool(re.search(r'evil\\d+', event.get('cmd', ''), re.IGNORECASE))"), 'cmd regex ignorecase "evil\\\\d+"'],
    ['re.fullmatch', 'import re\n' + rule("return re.fullmatch('a.c', event.get('cmd', '')) is not None"), 'cmd regex "\\\\A(?:a.c)\\\\z"'],
    ['fnmatch', 'from fnmatch import fnmatch\n' + rule("return fnmatch(event.get('file', ''), '*.exe')"), 'file wildcard "*.exe"'],
    ['fnmatch with a character set', 'from fnmatch import fnmatch\n' + rule("return fnmatch(event.get('file', ''), 'log[0-9]')"), 'file regex dotall "\\\\A(?:log[0-9])\\\\z"'],
    ['an address in a network', 'import ipaddress\n' + rule("return ipaddress.ip_address(event.get('ip')) in ipaddress.ip_network('10.0.0.0/8')"), 'ip cidr "10.0.0.0/8"'],
    ['any() over an event array', rule("return any(p.get('name') == 'x' for p in event.get('params', []))"), 'any(params, name eq "x")'],
    ['all() over an event array', rule("return all(r.get('ok') for r in event.get('results', []))"), 'all(results, ok truthy)'],
    ['a loop that returns constants', rule("for item in event.get('items', []):", "    if item.get('kind') == 'secret':", '        return True', 'return False'), 'any(items, kind eq "secret")'],
    ['module constants: a list and a dict', "ACTIONS = ['x', 'y']\nLIMITS = {'k': 'v'}\n" + rule("return event.get('action') in ACTIONS and event.get('k') == LIMITS['k']"), 'action in ["x", "y"] and k eq "v"'],
    ['a same-file function', "def is_bad(event):\n    return event.get('status') == 'bad'\n" + rule("return is_bad(event) and not event.get('ok')"), 'status eq "bad" and not ok truthy'],
    ['a global helper, inlined', 'from fx_helpers import is_service_actor\n' + rule('return is_service_actor(event)'), 'actor.type eq "service_account"'],
    ['a data-model path', rule("return event.udm('source_ip') == '10.1.1.1'"), 'client.ip eq "10.1.1.1"'],
    ['a data-model method', rule("return event.udm('actor_user') == 'root'"), 'actorName eq "root" or not actorName truthy and actor.name eq "root"'],
    ['a condition split over a choice', rule("ref = event.get('branch', '') or event.get('ref', '')", "return ref.split('/')[-1] == 'main'"), 'branch truthy and (branch eq "main" or branch endswith "/main") or not branch truthy and (ref eq "main" or ref endswith "/main")'],
    ['eq lists merged', rule("a = event.get('a')", "return a == 'x' or a == 'y'"), 'a in ["x", "y"]'],
  ])('%s', (_name, source, expected) => {
    const x = extract(source);
    expect(x.extraction).toBe('complete');
    expect(printCondition(x.condition!, { cased: true })).toBe(expected);
  });

  test('what it cannot follow becomes an unknown part with its reason and line', () => {
    const x = extract('import json\n' + rule("data = json.loads(event.get('payload'))", "return event.get('type') == 't' and data['x'] == 1"));
    expect(x.extraction).toBe('partial');
    expect(printCondition(x.condition!, { cased: true })).toBe('type eq "t" and unknown("subscript of opaque", 4:41)');
  });

  test('an unknown part inside a helper names the helper file', () => {
    const x = extract('from fx_helpers import ping\n' + rule("return event.get('a') == 1 and ping(1)"));
    expect(x.extraction).toBe('partial');
    expect(printCondition(x.condition!, { cased: true })).toMatch(/^a eq 1 and unknown\(".*", "global_helpers\/fx_helpers\.py" \d+:\d+\)$/);
  });

  test('a module without rule() gives no condition', () => {
    expect(extract('def alert_context(event):\n    return {}\n').condition).toBeUndefined();
  });

  test('a huge constant set stays one list', () => {
    const values = Array.from({ length: 5000 }, (_, i) => `'v${i}'`).join(', ');
    const text = conditionOf(`BIG = {${values}}\n` + rule("return event.get('v') in BIG"));
    expect(text.startsWith('v in ["v0", "v1", ')).toBe(true);
    expect(text.match(/ in /g)).toHaveLength(1);
  });
});

describe('Panther semantics', () => {
  const python = { semantics: 'python' as const };

  test('!= holds for a missing field; == against a get default holds for it too', () => {
    const ne = extract(rule("return event.get('status') != 'ok'")).condition!;
    expect(evaluate(ne, {}, python)).toBe(true);
    expect(evaluate(ne, { status: 'ok' }, python)).toBe(false);
    const withDefault = extract(rule("return event.get('status', 'none') == 'none'")).condition!;
    expect(evaluate(withDefault, {}, python)).toBe(true);
    expect(evaluate(withDefault, { status: 'ok' }, python)).toBe(false);
  });

  test('keys are looked up ignoring case, as Panther events do', () => {
    const c = extract(rule("return event.get('EventName') == 'X'")).condition!;
    expect(evaluate(c, { eventname: 'X' }, python)).toBe(true);
  });

  test('lower() compares ignoring case; a constant with capitals can never equal it', () => {
    expect(conditionOf(rule("return event.get('a', '').lower() == 'Admin'"))).toBe('false');
  });
});

describe('values a rule computes: deep_walk, isinstance, json.loads, int/float, split parts', () => {
  const python = { semantics: 'python' as const };
  const holds = (source: string, event: unknown) => {
    const x = extract(source);
    expect(x.extraction).toBe('complete');
    return evaluate(x.condition!, event, python);
  };

  test('deep_walk: one value, several values across lists, its default, first/last', () => {
    const eq = rule('return event.deep_walk("grants", "role") == "admin"');
    expect(conditionOf(eq)).toBe('walk:grants.role eq "admin"');
    expect(holds(eq, { grants: { role: 'admin' } })).toBe(true);
    expect(holds(eq, { grants: [{ role: 'admin' }, { role: 'admin' }, {}] })).toBe(true);
    // two distinct values make a list, which equals no text
    expect(holds(eq, { grants: [{ role: 'admin' }, { role: 'viewer' }] })).toBe(false);
    const member = rule('return "admin" in event.deep_walk("grants", "role", default=[])');
    expect(holds(member, { grants: [{ role: 'admin' }, { role: 'viewer' }] })).toBe(true);
    expect(holds(member, {})).toBe(false);
    const first = rule('return event.deep_walk("grants", "role", return_val="last") == "viewer"');
    expect(holds(first, { grants: [{ role: 'admin' }, { role: 'viewer' }] })).toBe(true);
  });

  test('deep_walk normalised to a list and looped over', () => {
    const source = rule(
      'roles = event.deep_walk("grants", "role")',
      'if not isinstance(roles, list):',
      '    roles = [roles]',
      'return any(r == "owner" for r in roles)',
    );
    expect(holds(source, { grants: [{ role: 'owner' }, { role: 'viewer' }] })).toBe(true);
    expect(holds(source, { grants: { role: 'owner' } })).toBe(true);
    expect(holds(source, { grants: { role: 'viewer' } })).toBe(false);
  });

  test('isinstance of an event value is a type test; int and float stay unknown', () => {
    const source = rule('value = event.get("detail")', 'return isinstance(value, dict) and value.get("kind") == "key"');
    expect(holds(source, { detail: { kind: 'key' } })).toBe(true);
    expect(holds(source, { detail: 'key' })).toBe(false);
    expect(extract(rule('return isinstance(event.get("n"), int)')).extraction).toBe('partial');
  });

  test('json.loads inside a try: a field of the decoded text; text that is not JSON takes the handler', () => {
    const source = [
      'import json',
      '',
      'def rule(event):',
      '    try:',
      '        body = json.loads(event.get("body"))',
      '    except json.JSONDecodeError:',
      '        return False',
      '    return body.get("scope") == "admin"',
      '',
    ].join('\n');
    expect(conditionOf(source)).toContain('json(body).scope');
    expect(holds(source, { body: '{"scope": "admin"}' })).toBe(true);
    expect(holds(source, { body: '{"Scope": "admin"}' })).toBe(false);
    expect(holds(source, { body: 'scope=admin' })).toBe(false);
    // a TypeError (no text at all) is not what the handler catches, and the rule raises
    expect(holds(source, {})).toBe(false);
  });

  test('json.loads outside a try is left unknown: what it raises would end the rule', () => {
    expect(extract(rule('import json', 'return json.loads(event.get("body")).get("a") == 1')).extraction).toBe('partial');
  });

  test('float() and int() of a field compare as Python converts them', () => {
    const source = rule('return 7.0 <= float(event.get("severity", 0)) <= 8.9');
    expect(holds(source, { severity: 7.5 })).toBe(true);
    expect(holds(source, { severity: ' 8.0 ' })).toBe(true);
    expect(holds(source, { severity: 'high' })).toBe(false);
    expect(holds(source, {})).toBe(false);
    expect(holds(rule('return int(event.get("n", 0)) == 3'), { n: 3.9 })).toBe(true);
  });

  test('a middle part of split and the number of parts, by counting separators', () => {
    const part = rule('return event.get("arn", "::::").split(":")[4] == "123456789012"');
    expect(holds(part, { arn: 'arn:aws:iam::123456789012:user/alice' })).toBe(true);
    expect(holds(part, { arn: 'arn:aws:iam::999:user/alice' })).toBe(false);
    expect(holds(part, { arn: 'arn:aws' })).toBe(false);
    const count = rule('return len(event.get("path", "").split("/")) == 3');
    expect(holds(count, { path: 'a/b/c' })).toBe(true);
    expect(holds(count, { path: 'a/b/c/d' })).toBe(false);
    // the default has no such part: Python raises where the field is missing
    expect(conditionOf(rule('return event.get("arn", "").split(":")[4] == "1"'))).toContain('unknown("part 4 of the split default of arn"');
  });

  test('a lookup in a constant table guarded by membership is complete', () => {
    const source = ['ALLOWED = {"okta": ["password"], "google": ["saml", "oidc"]}', '', rule('idp = event.get("idp")', 'return idp in ALLOWED and event.get("method") in ALLOWED[idp]')].join('\n');
    expect(holds(source, { idp: 'google', method: 'saml' })).toBe(true);
    expect(holds(source, { idp: 'okta', method: 'saml' })).toBe(false);
    expect(holds(source, { idp: 'github', method: 'saml' })).toBe(false);
  });

  test('a loop may set a global it never reads (kept for the alert) without losing the condition', () => {
    const source = [
      'FOUND = None',
      '',
      'def rule(event):',
      '    for item in event.get("items", []):',
      '        if item.get("group") == "all":',
      '            global FOUND',
      '            FOUND = item',
      '            return True',
      '    return False',
      '',
    ].join('\n');
    expect(holds(source, { items: [{ group: 'team' }, { group: 'all' }] })).toBe(true);
    expect(holds(source, { items: [{ group: 'team' }] })).toBe(false);
  });
});

describe('output fields from alert_context', () => {
  test('a dict literal, a dict built over statements, and a helper', () => {
    const x = extract(
      [
        'from fx_helpers import audit_context',
        rule('return True'),
        'def alert_context(event):',
        '    context = audit_context(event)',
        "    context['event_type'] = event.get('type')",
        "    context['summary'] = f\"{event.get('a')}-{event.get('b')}\"",
        '    return context',
        '',
      ].join('\n'),
    );
    expect(x.fields).toEqual([
      { name: 'actor', source: 'actor.email' },
      { name: 'ip', source: 'sourceIp' },
      { name: 'event_type', source: 'type' },
      { name: 'summary', source: '' },
    ]);
  });
});

describe('Mocks', () => {
  const source = [
    'import json',
    'from unittest.mock import MagicMock',
    "ALLOWED = ['a']",
    rule('global ALLOWED', 'if isinstance(ALLOWED, MagicMock):', '    ALLOWED = json.loads(ALLOWED())', "return event.get('org') not in ALLOWED"),
  ].join('\n');

  test('deployed, nothing is a mock: the constant holds', () => {
    expect(conditionOf(source)).toBe('not org eq "a"');
  });

  test('a mocked constant takes the mock return value', () => {
    expect(conditionOf(source, [{ name: 'ALLOWED', returns: '["b", "c"]' }])).toBe('not org in ["b", "c"]');
  });

  test('a mock of a name the module lacks is reported', () => {
    expect(extract(source, [{ name: 'nowhere', returns: 'x' }]).unmocked).toEqual(['nowhere']);
  });
});

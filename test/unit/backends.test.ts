// What each backend prints for awkward values and field names, and that every string literal
// it prints reads back as the original value.
import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import type { Condition, MatchNode } from '../../src/ast/condition.js';
import { parseConditionText } from '../../src/ast/parse.js';
import { chronicleExpression } from '../../src/backends/chronicle/query.js';
import { kqlExpression } from '../../src/backends/kql/query.js';
import { assemble, splunkQuery } from '../../src/backends/splunk/query.js';
import { printTree } from '../../src/backends/tree.js';
import { convertRuleSet } from '../../src/convert/convert.js';
import { readSigma } from '../helpers/sigma.js';

const require = createRequire(import.meta.url);
require('@kusto/language-service-next/bridge.min.js');
require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
// The Kusto bridge is untyped CommonJS that installs globals.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const Kusto = (globalThis as any).Kusto.Language;

interface KustoNode {
  ChildCount: number;
  GetChild(i: number): KustoNode | null;
  constructor: { $$name?: string };
  LiteralValue?: unknown;
}

function kqlErrors(query: string): string[] {
  const list = Kusto.KustoCode.Parse(query).GetDiagnostics();
  const out: string[] = [];
  for (let i = 0; i < list.Count; i++) if (list.getItem(i).Severity === 'Error') out.push(list.getItem(i).Message);
  return out;
}

function kqlLiterals(query: string): unknown[] {
  const out: unknown[] = [];
  const walk = (node: KustoNode | null) => {
    if (!node) return;
    if (node.constructor.$$name?.endsWith('.LiteralExpression')) out.push(node.LiteralValue);
    for (let i = 0; i < node.ChildCount; i++) walk(node.GetChild(i));
  };
  walk(Kusto.KustoCode.Parse(query).Syntax);
  return out;
}

const match = (field: string, value: string, op: MatchNode['op'] = 'eq', cased = false): MatchNode => ({ kind: 'match', field, op, values: [value], quantifier: 'any', cased });

const spl = (c: Condition) => assemble(splunkQuery(printTree(c)), { movePrefix: true });
const kql = (c: Condition) => kqlExpression(printTree(c));
const udm = (c: Condition) => chronicleExpression(printTree(c), { prefix: '', fieldComparison: false });

/** Reads a double-quoted literal with backslash escapes (`\\`, `\"`, `\n`, `\r`, `\t`). */
function unquote(literal: string): string {
  expect(literal.startsWith('"') && literal.endsWith('"')).toBe(true);
  const map: Record<string, string> = { n: '\n', r: '\r', t: '\t' };
  return literal.slice(1, -1).replace(/\\(.)/gs, (_m, c: string) => map[c] ?? c);
}

/** Values with everything that needs care in a query: quotes, escapes, wildcards, unicode. */
const awkward = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', "'", '\\', '|', '\n', '\r', '\t', '*', '?', '%', ' ', '/', '(', ')', '[', ']', '$', '^', '.', '`', '=', 'é', '☃', '\u0000', '\u007f'),
    fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }),
    fc.integer({ min: 0, max: 0x10ffff }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c)),
  ),
  minLength: 1,
  maxLength: 20,
});

describe('string literals read back as the value', () => {
  test('KQL: Microsoft parser decodes every literal to the value', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        const query = `T | where ${kql(match('f', value))}`;
        expect(kqlErrors(query)).toEqual([]);
        expect(kqlLiterals(query)).toEqual([value]);
      }),
      { numRuns: 300 },
    );
  });
  test('SPL: a search string unescapes to the value; otherwise an anchored regex matches exactly it', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        const query = spl(match('f', value));
        const search = /^f=("(?:[^"\\]|\\.)*")$/s.exec(query);
        if (search) {
          expect(search[1]!.replace(/\\./g, '')).not.toMatch(/\*/);
          expect(unquote(search[1]!)).toBe(value);
          return;
        }
        const regex = /^\*\n\| regex f="((?:[^"\\]|\\.)*)"$/s.exec(query);
        expect(regex, query).not.toBeNull();
        const pattern = regex![1]!.replace(/\\(.)/gs, '$1').replace(/^\(\?i\)/, '');
        expect(pattern).not.toMatch(/[\n\r]/);
        const re = new RegExp(pattern, 'iu');
        expect(re.test(value)).toBe(true);
        expect(re.test(`${value}x`)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
  test('YARA-L / UDM: a string literal unescapes to the value; a regex literal matches exactly it', () => {
    fc.assert(
      fc.property(awkward, (value) => {
        const eq = /^f = ("(?:[^"\\]|\\.)*") nocase$/s.exec(udm(match('f', value)));
        expect(eq).not.toBeNull();
        expect(unquote(eq![1]!)).toBe(value);
        const starts = /^f = \/((?:[^/\\\n]|\\.)*)\/ nocase$/.exec(udm(match('f', value, 'startswith')));
        expect(starts).not.toBeNull();
        const re = new RegExp(starts![1]!.replace(/\\\//g, '/'), 'iu');
        expect(re.test(`${value}tail`)).toBe(true);
        expect(re.test(`x${value}`) && !`x${value}`.toLowerCase().startsWith(value.toLowerCase())).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('awkward rules', () => {
  const rule = `title: Awkward values
id: 00000000-0000-4000-8000-0000000000b1
logsource: {product: windows, category: process_creation}
detection:
  sel:
    CommandLine|contains:
      - 'say "hi" | more'
      - "line1\\nline2"
      - 'C:\\Temp\\'
      - '100% \\* done\\?'
      - ' padded '
      - 'ünïcödé ☃'
    'field with space': 'x'
    'a.b-c': 'y'
    'arr[0]': z
    Empty: []
    "Quote'd": q
  condition: not sel
`;
  const convert = (target: 'splunk' | 'kql' | 'chronicle', format?: string) => {
    const [c] = convertRuleSet(readSigma(rule), { target, mapping: null, ...(format ? { format } : {}) });
    return c!;
  };

  test('SPL: one line per command, quoted names, literal * and control characters through a regex', () => {
    const c = convert('splunk');
    expect(c.ok).toBe(true);
    expect(c.queries[0]).toBe(
      [
        '*',
        '| rex field=CommandLine "(?<CommandLineMatch>(?is)^.*line1\\\\x0aline2.*$)"',
        '| eval CommandLineCondition=if(isnotnull(CommandLineMatch), "true", "false")',
        '| rex field=CommandLine "(?<CommandLineMatch2>(?is)^.*100% \\\\* done\\\\?.*$)"',
        '| eval CommandLineCondition2=if(isnotnull(CommandLineMatch2), "true", "false")',
        '| search NOT (CommandLine="*say \\"hi\\" | more*" OR CommandLineCondition="true" OR CommandLine="*C:\\\\Temp\\\\*" OR CommandLineCondition2="true" OR ' +
          'CommandLine="* padded *" OR CommandLine="*ünïcödé ☃*" "field with space"="x" "a.b-c"="y" "arr[0]"="z" NOT Empty=* "Quote\'d"="q")',
      ].join('\n'),
    );
  });
  test('KQL: the query parses, names are bracketed and the whole condition is negated', () => {
    const c = convert('kql');
    expect(c.ok).toBe(true);
    expect(kqlErrors(`T | where ${c.queries[0]}`)).toEqual([]);
    expect(c.queries[0]).toMatch(/^not\(\(/);
    expect(c.queries[0]).toContain(`['field with space'] =~ "x" and ['a.b-c'] =~ "y" and ['arr[0]'] =~ "z" and isnull(Empty) and ['Quote\\'d'] =~ "q"`);
    expect(kqlLiterals(`T | where ${c.queries[0]}`)).toContain('line1\nline2');
  });
  test('Chronicle: a name that is no UDM path is refused, not printed', () => {
    const c = convert('chronicle');
    expect(c.ok).toBe(false);
    expect(c.diagnostics.map((d) => d.message)).toEqual(["'field with space' is not a UDM field path; map it to one (--mapping)"]);
  });
  test('Chronicle: control characters in a regex literal become escapes', () => {
    const text = rule.replace(/    'field with space'[\s\S]*?(?=  condition)/, '');
    const [c] = convertRuleSet(readSigma(text), { target: 'chronicle', mapping: null, format: 'udm' });
    expect(c?.ok).toBe(true);
    expect(c?.queries[0]).toBe(
      '(CommandLine != /say "hi" \\| more/ nocase AND CommandLine != /line1\\x0aline2/ nocase AND CommandLine != /C:\\\\Temp\\\\/ nocase AND ' +
        'CommandLine != /100% \\* done\\?/ nocase AND CommandLine != / padded / nocase AND CommandLine != /ünïcödé ☃/ nocase)',
    );
  });
  test('a condition that is `not` of everything is kept whole in every target', () => {
    const all = `title: Not anything
id: 00000000-0000-4000-8000-0000000000b2
logsource: {product: windows, category: process_creation}
detection:
  a: {Image|endswith: '\\a.exe'}
  b: {CommandLine|contains: x}
  condition: not (a or b)
`;
    const out = (target: 'splunk' | 'kql' | 'chronicle') => convertRuleSet(readSigma(all), { target, mapping: null })[0]!.queries[0];
    expect(out('splunk')).toBe('NOT (Image="*\\\\a.exe" OR CommandLine="*x*")');
    expect(out('kql')).toBe('not((Image endswith "\\\\a.exe" or CommandLine contains "x"))');
    expect(out('chronicle')).toContain('    (NOT ($e.Image = /\\\\a\\.exe$/ nocase OR $e.CommandLine = /x/ nocase))\n');
  });
  test('SPL: regex helpers of two fields with the same last name part get names of their own', () => {
    const rule = `title: Same last part
id: 00000000-0000-4000-8000-0000000000b3
logsource: {product: okta, service: okta}
detection:
  a: {created.scopes|re: 'write$'}
  b: {updated.scopes|re: 'admin'}
  condition: a or b
`;
    const query = convertRuleSet(readSigma(rule), { target: 'splunk', mapping: null })[0]!.queries[0]!;
    expect(query).toContain('rex field=created.scopes "(?<scopesMatch>');
    expect(query).toContain('rex field=updated.scopes "(?<scopesMatch2>');
    expect(query).toContain('scopesCondition="true" OR scopesCondition2="true"');
  });
  test('KQL compares a dynamic array as a whole: a test of its elements is left out, and the query is the necessary condition', () => {
    const [result] = readSigma(`title: Elements
id: 00000000-0000-4000-8000-0000000000b4
logsource: {product: okta, service: okta}
detection:
  sel: {type: x}
  condition: sel
`);
    const parsed = parseConditionText('type eq "x" and any(scopes, @ eq "admin")');
    if (!parsed.ok) throw new Error(parsed.message);
    const withElements = [{ ...result!, rule: { ...result!.rule!, condition: parsed.condition } }];
    const kql = convertRuleSet(withElements, { target: 'kql', mapping: null })[0]!;
    expect(kql.queries[0]).not.toContain('scopes');
    expect(kql.diagnostics.map((d) => d.code)).toContain('partial-condition');
    const spl = convertRuleSet(withElements, { target: 'splunk', mapping: null })[0]!;
    expect(spl.queries[0]).toContain('scopes="admin"');
    expect(spl.diagnostics.map((d) => d.code)).not.toContain('partial-condition');
  });
});

// Every KQL query rulebridge emits for the SigmaHQ corpus parses with Microsoft's own parser
// (@kusto/language-service-next), in both formats (xdr: the query itself; sentinel: the `query:`
// of the analytics-rule YAML), without a mapping and with the shipped mappings. A query of a
// fully mapped rule (no unmapped-field / unmapped-logsource diagnostic) is also bound against the
// Defender XDR and Sentinel table schemas in ../shared/kusto-schema (merged: a table in both
// files has the columns of both) and must have no error there either: no unknown table, column
// or function, no type error.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, test } from 'vitest';
import type { RuleResult } from '../../src/ast/rule.js';
import { convertRuleSet, type RuleConversion } from '../../src/convert/convert.js';
import { loadRules } from '../../src/load/load.js';
import { mappingFor } from '../../src/mapping/load.js';
import { hasSigmaHQ, SIGMAHQ } from '../helpers/corpus.js';
import {
  analyzeKql,
  errorsOf,
  diagnosticsOf,
  kustoGlobals,
  KUSTO_SCHEMA_DIR,
  parseKql,
  readKustoSchemas,
  type KustoDiagnostic,
  type KustoGlobals,
} from '../helpers/kusto.js';

const RULE_DIRS = ['rules', 'rules-threat-hunting', 'rules-compliance'].map((d) => join(SIGMAHQ, d));
const SCHEMA_FILES = ['sentinel-all-tables.json', 'defender-xdr-and-sentinel-tables.json'].map((f) => join(KUSTO_SCHEMA_DIR, f));
const hasSchemas = SCHEMA_FILES.every((f) => existsSync(f));
const MAPPING_CODES = new Set(['unmapped-field', 'unmapped-logsource']);
const SHOWN = 20;

if (hasSigmaHQ && !hasSchemas) console.warn(`[kql-parse] the Kusto schemas are not in ${KUSTO_SCHEMA_DIR}: queries are parsed, not bound`);

interface Failure {
  path: string;
  query: string;
  diagnostics: KustoDiagnostic[];
}

interface Outcome {
  parsed: number;
  parseFailures: Failure[];
  analysed: number;
  analysisFailures: Failure[];
  warnings: number;
}

/** The KQL of one emitted query: the text itself (xdr) or the `query` of the YAML (sentinel). */
function kqlOf(format: string, emitted: string): string {
  if (format !== 'sentinel') return emitted;
  const query = (parseYaml(emitted) as { query?: unknown } | null)?.query;
  if (typeof query !== 'string') throw new Error('the analytics rule has no query');
  return query;
}

function isMapped(conversion: RuleConversion): boolean {
  return !conversion.diagnostics.some((d) => MAPPING_CODES.has(d.code));
}

function check(conversions: RuleConversion[], format: string, globals: KustoGlobals | undefined): Outcome {
  const outcome: Outcome = { parsed: 0, parseFailures: [], analysed: 0, analysisFailures: [], warnings: 0 };
  for (const conversion of conversions) {
    for (const emitted of conversion.queries) {
      const path = conversion.result.path;
      let query: string;
      try {
        query = kqlOf(format, emitted);
      } catch (error) {
        outcome.parseFailures.push({ path, query: emitted, diagnostics: [{ severity: 'Error', code: 'YAML', message: (error as Error).message, start: 0, length: 0 }] });
        continue;
      }
      outcome.parsed++;
      const errors = errorsOf(parseKql(query));
      if (errors.length > 0) outcome.parseFailures.push({ path, query, diagnostics: errors });
      if (!globals || !isMapped(conversion)) continue;
      outcome.analysed++;
      const diagnostics = diagnosticsOf(analyzeKql(query, globals));
      outcome.warnings += diagnostics.filter((d) => d.severity === 'Warning').length;
      const bound = diagnostics.filter((d) => d.severity === 'Error');
      if (bound.length > 0) outcome.analysisFailures.push({ path, query, diagnostics: bound });
    }
  }
  return outcome;
}

function describeFailures(failures: Failure[]): string {
  return failures
    .slice(0, SHOWN)
    .map((f) => {
      const query = f.query.length > 500 ? `${f.query.slice(0, 500)}… (${f.query.length} characters)` : f.query;
      const diagnostics = f.diagnostics.map((d) => `${d.code} at ${d.start}: ${d.message}`).join('; ');
      return `${f.path}\n  ${diagnostics}\n  ${query.replace(/\n/g, '\n  ')}`;
    })
    .join('\n');
}

/** [name, format, mapping]: `none` is --no-mapping (rules' own field names), `shipped` the default. */
const CASES: Array<[string, 'xdr' | 'sentinel', 'none' | 'shipped']> = [
  ['xdr without a mapping', 'xdr', 'none'],
  ['xdr with the shipped mapping', 'xdr', 'shipped'],
  ['sentinel without a mapping', 'sentinel', 'none'],
  ['sentinel with the shipped mapping', 'sentinel', 'shipped'],
];

describe.skipIf(!hasSigmaHQ)('KQL emitted for the SigmaHQ corpus parses with Microsoft’s parser', () => {
  let results: RuleResult[];
  let globals: KustoGlobals | undefined;

  beforeAll(async () => {
    results = (await loadRules(RULE_DIRS, { workers: 0 })).results;
    if (hasSchemas) globals = kustoGlobals(readKustoSchemas(SCHEMA_FILES));
  });

  test.each(CASES)('%s', (name, format, mapping) => {
    const conversions = convertRuleSet(results, { target: 'kql', format, mapping: mapping === 'none' ? null : undefined });
    const outcome = check(conversions, format, mapping === 'shipped' ? globals : undefined);
    const analysed = mapping === 'shipped' ? `; ${outcome.analysed} queries of fully mapped rules bound to the schemas: ${outcome.analysisFailures.length} failures, ${outcome.warnings} warnings` : '';
    console.log(`[kql-parse] ${name}: ${outcome.parsed} queries parsed, ${outcome.parseFailures.length} failures${analysed}`);

    expect(outcome.parsed).toBeGreaterThan(3000);
    expect(outcome.parseFailures.length, describeFailures(outcome.parseFailures)).toBe(0);
    if (mapping === 'shipped' && globals) expect(outcome.analysed).toBeGreaterThan(500);
    expect(outcome.analysisFailures.length, describeFailures(outcome.analysisFailures)).toBe(0);
  });
});

// --- Panther ------------------------------------------------------------------------------------
// The Python rules of panther-analysis (../panther-analysis or PANTHER_ANALYSIS), converted with
// the shipped mappings. Tables that the published schemas lack (custom `_CL` tables, connector
// tables) are bound with the columns their mapping entry declares.
const PANTHER = process.env.PANTHER_ANALYSIS ?? join(import.meta.dirname, '..', '..', '..', 'panther-analysis');
const hasPanther = existsSync(join(PANTHER, 'rules'));
if (!hasPanther) console.warn(`[kql-parse] panther-analysis is not at ${PANTHER}: the Panther section is skipped`);

const PANTHER_CASES: Array<[string, 'xdr' | 'sentinel']> = [
  ['xdr with the shipped mapping', 'xdr'],
  ['sentinel with the shipped mapping', 'sentinel'],
];

describe.skipIf(!hasPanther)('KQL emitted for panther-analysis parses with Microsoft’s parser', () => {
  let results: RuleResult[];
  let globals: KustoGlobals | undefined;

  beforeAll(async () => {
    results = (await loadRules([join(PANTHER, 'rules')], { workers: 0 })).results;
    if (!hasSchemas) return;
    const schema = readKustoSchemas(SCHEMA_FILES);
    for (const format of ['xdr', 'sentinel']) {
      for (const entry of mappingFor('kql', format).mapping?.logsources ?? []) {
        if (entry.table && entry.columns && !schema[entry.table]) schema[entry.table] = { ...entry.columns };
      }
    }
    globals = kustoGlobals(schema);
  });

  test.each(PANTHER_CASES)('%s', (name, format) => {
    const conversions = convertRuleSet(
      results.filter((r) => !r.skipped),
      { target: 'kql', format },
    );
    const outcome = check(conversions, format, globals);
    console.log(`[kql-parse] panther ${name}: ${outcome.parsed} queries parsed, ${outcome.parseFailures.length} failures; ${outcome.analysed} queries of fully mapped rules bound to the schemas: ${outcome.analysisFailures.length} failures, ${outcome.warnings} warnings`);

    expect(outcome.parsed).toBeGreaterThan(500);
    expect(outcome.parseFailures.length, describeFailures(outcome.parseFailures)).toBe(0);
    expect(outcome.analysisFailures.length, describeFailures(outcome.analysisFailures)).toBe(0);
  });
});

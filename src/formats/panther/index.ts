// The Panther front end: a rule's YAML (metadata, tests) and its Python (`rule(event)`,
// `alert_context(event)`) -> one Rule. The Python is parsed and read symbolically, never run.

import { dirname, join } from 'node:path';
import { and, type Condition } from '../../ast/condition.js';
import type { Rule, RuleResult, RuleTest, Stage } from '../../ast/rule.js';
import { containsUnknown } from '../../ast/walk.js';
import type { AttackTable } from '../../attack/table.js';
import { diagnostic, hasErrors, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { readTextFile } from '../../load/read.js';
import { parseYamlDocuments } from '../yaml.js';
import { simpleDetection } from './detection.js';
import { extractPython, type PythonExtraction, type PythonMock } from './extract/index.js';
import { ruleSetFor } from './extract/ruleset.js';
import { readPantherMetadata } from './metadata.js';
import { parsePython } from './python/parse.js';

export interface PantherOptions {
  attack: AttackTable;
  /** The folder holding global_helpers/ and data_models/ (else found by walking up). */
  root?: string;
}

/** Whether a YAML text is a Panther analysis document rather than a Sigma rule. */
export function looksLikePanther(text: string): boolean {
  return /^(?:AnalysisType|RuleID|PolicyID|DataModelID)\s*:/m.test(text);
}

export function readPantherText(path: string, text: string, options: PantherOptions): RuleResult[] {
  const docs = parseYamlDocuments(text, { version: '1.2' });
  const doc = docs[0];
  const diagnostics: Diagnostic[] = [...(doc?.diagnostics ?? [])];
  const failed = (): RuleResult[] => [{ path, document: 0, ok: false, diagnostics: diagnostics.map((d) => ({ ...d, path })) }];
  if (!doc?.tree) {
    if (diagnostics.length === 0) diagnostics.push(diagnostic('empty-file', 'the file holds no YAML document', { line: 1, col: 1 }));
    return failed();
  }
  if (doc.tree.kind !== 'map') {
    diagnostics.push(diagnostic('not-a-rule', 'a Panther analysis file must be a YAML map', doc.tree));
    return failed();
  }
  const read = readPantherMetadata(doc.tree, options.attack);
  diagnostics.push(...read.diagnostics);
  if (read.kind === 'skipped') {
    diagnostics.push(diagnostic('not-converted', read.reason, doc.tree));
    return [{ path, document: 0, ok: !hasErrors(diagnostics), skipped: read.reason, diagnostics: diagnostics.map((d) => ({ ...d, path })) }];
  }
  const meta = read.metadata;
  const stages: Stage[] = [];
  let condition: Condition | null = null;
  let fields: Rule['fields'] = [];

  if (meta.detection) {
    const detection = simpleDetection(meta.detection);
    diagnostics.push(...detection.diagnostics);
    condition = detection.condition ?? null;
  } else if (meta.filename) {
    const pyPath = join(dirname(path), meta.filename);
    const source = readTextFile(pyPath);
    if (!source.ok) diagnostics.push(diagnostic('python-missing', `cannot read ${meta.filename}: ${source.diagnostic.message}`, doc.tree));
    else {
      const parsed = parsePython(source.text, pyPath);
      if (!parsed.ok) diagnostics.push(parsed.diagnostic);
      else {
        const ruleSet = ruleSetFor(path, options.root);
        const extracted = extractPython(parsed.module, pyPath, ruleSet, meta.logTypes);
        if (!extracted.condition) diagnostics.push(diagnostic('panther-no-rule', `${meta.filename} defines no rule(event) function`, { path: pyPath, line: 1, col: 1 }));
        else {
          condition = extracted.condition;
          // cases often share their mocks: one extraction per distinct set
          const byMocks = new Map<string, PythonExtraction>();
          for (const test of meta.tests) {
            if (!test.mocks) continue;
            const key = JSON.stringify(test.mocks);
            let mocked = byMocks.get(key);
            if (!mocked) byMocks.set(key, (mocked = extractPython(parsed.module, pyPath, ruleSet, meta.logTypes, test.mocks as PythonMock[])));
            applyMocks(test, mocked);
          }
        }
        fields = extracted.fields;
        stages.push({ name: meta.filename, text: source.text });
      }
    }
  } else diagnostics.push(diagnostic('missing-attribute', 'a Panther rule needs a Filename (its Python) or a Detection', doc.tree));

  if (condition && meta.inlineFilters) {
    const filters = simpleDetection(meta.inlineFilters);
    diagnostics.push(...filters.diagnostics);
    if (filters.condition) {
      const filter = filters.condition;
      condition = and([filter, condition]);
      for (const test of meta.tests) if (test.condition) test.condition = and([filter, test.condition]);
    }
  }
  const extraction = condition && containsUnknown(condition) ? 'partial' : 'complete';
  if (extraction === 'partial') diagnostics.push(diagnostic('partial-extraction', 'the rule also runs logic the parser cannot express as a filter; its condition is the part it could extract', doc.tree));

  const ok = !hasErrors(diagnostics) && condition !== null;
  const rule: Rule = {
    kind: 'rule',
    id: meta.id,
    title: meta.title,
    references: meta.references,
    tags: meta.tags,
    falsepositives: [],
    attack: meta.attack,
    logsource: { logTypes: meta.logTypes },
    condition,
    extraction,
    fields,
    tests: meta.tests,
    stages,
    alerting: { enabled: meta.enabled, ...(meta.dedupPeriodMinutes !== undefined ? { dedupPeriodMinutes: meta.dedupPeriodMinutes } : {}), ...(meta.threshold !== undefined ? { threshold: meta.threshold } : {}) },
    source: { path, format: 'panther', document: 0, line: doc.position.line, col: doc.position.col, text: doc.text },
  };
  if (meta.description) rule.description = meta.description;
  if (meta.runbook) rule.runbook = meta.runbook;
  if (meta.level) rule.level = meta.level;
  const result: RuleResult = { path, document: 0, ok, diagnostics: diagnostics.map((d) => ({ ...d, path: d.path ?? path })) };
  if (meta.id) result.rule = rule;
  return [result];
}

/** A test case's own condition under its mocks; a mock of a name the rule lacks makes the case unrunnable. */
function applyMocks(test: RuleTest, mocked: PythonExtraction): void {
  if (mocked.unmocked) test.skip = `it mocks ${mocked.unmocked.join(', ')}, which the rule's module does not define or import`;
  else if (mocked.condition) test.condition = mocked.condition;
}

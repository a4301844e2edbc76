// rulebridge inspect <paths...> [--json]: one result per rule document.

import type { Command } from 'commander';
import { indicatorsOf } from '../ast/indicators.js';
import { printCondition, printCorrelation } from '../ast/print.js';
import type { Rule, RuleResult } from '../ast/rule.js';
import { unknownsOf } from '../ast/walk.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { addRuleInputOptions, type RuleInputOptions } from './rule-options.js';
import { countDiagnostics, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isUsageProblem, plural, printRunDiagnostics, writeLines } from './output.js';

interface InspectOptions extends RuleInputOptions {
  json?: boolean;
  verbose?: boolean;
}

export function registerInspect(program: Command): void {
  const command = program
    .command('inspect')
    .description('parse rules and show, for each, its condition, indicators, ATT&CK coverage and diagnostics')
    .argument('<paths...>', 'rule files or directories (walked for .yml / .yaml)')
    .option('--json', 'one JSON object per rule on stdout')
    .option('-v, --verbose', 'also show informational diagnostics');
  addRuleInputOptions(command).action(async (paths: string[], options: InspectOptions) => {
    process.exitCode = await inspect(paths, options);
  });
}

export async function inspect(paths: string[], options: InspectOptions): Promise<number> {
  const { prepareRuleInputs, loadWithProgress } = await import('./inputs.js');
  const prepared = prepareRuleInputs(options);
  if (!prepared.ok) {
    printRunDiagnostics(prepared.diagnostics);
    return EXIT_USAGE;
  }
  const loaded = await loadWithProgress(paths, prepared.options);
  printRunDiagnostics(loaded.diagnostics);

  if (options.json) writeLines(process.stdout, loaded.results.map((r) => JSON.stringify(inspectRecord(r))));
  else writeLines(process.stdout, loaded.results.flatMap((r) => inspectText(r, options.verbose ?? false)));

  const failed = loaded.results.filter((r) => !r.ok).length;
  const summary =
    `${plural(loaded.results.length, 'rule')} from ${plural(loaded.files, 'file')}: ` +
    `${loaded.results.length - failed} ok, ${failed} with errors; ${countDiagnostics(loaded.results)}`;
  (options.json ? process.stderr : process.stdout).write(summary + '\n');

  if (loaded.diagnostics.some(isUsageProblem) || loaded.files === 0) return EXIT_USAGE;
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** The `--json` record of one result (documented in the README). */
export function inspectRecord(result: RuleResult): Record<string, unknown> {
  const rule = result.rule;
  const record: Record<string, unknown> = {
    path: result.path,
    document: result.document,
    id: rule?.id ?? null,
    title: rule?.title ?? null,
    format: rule?.source.format ?? 'sigma',
    kind: rule?.kind ?? null,
    ok: result.ok,
    condition: rule?.condition ? printCondition(rule.condition, conditionStyle(rule)) : null,
    extraction: extractionState(result),
    indicators: rule?.condition
      ? indicatorsOf(rule.condition, '', { caseDetail: true }).map((i) => ({
          field: i.field,
          op: i.op,
          values: i.values,
          ...(i.flags ? { flags: i.flags } : {}),
          ...(i.negated ? { negated: true } : {}),
        }))
      : [],
    logsource: rule?.logsource ?? {},
    level: rule?.level ?? null,
    techniques: rule?.attack.techniques.map((t) => t.id) ?? [],
    tactics: rule?.attack.tactics.map((t) => t.id) ?? [],
    fields: rule?.fields.map((f) => f.name) ?? [],
  };
  if (rule?.source.format === 'panther') {
    record.logTypes = rule.logsource.logTypes ?? [];
    record.unknowns = rule.condition ? unknownsOf(rule.condition) : [];
    record.outputFields = rule.fields.map((f) => ({ name: f.name, source: f.source }));
  }
  if (rule?.correlation) record.correlation = rule.correlation;
  if (rule?.filter) record.filter = { rules: rule.filter.rules };
  if (rule?.appliedFilters) record.appliedFilters = rule.appliedFilters;
  record.diagnostics = result.diagnostics.map((d) => ({
    severity: d.severity,
    code: d.code,
    message: d.message,
    line: d.line ?? null,
    col: d.col ?? null,
  }));
  return record;
}

/** `full`: the condition is all the rule tests; `partial`: it holds unknown parts; `none`: no condition was read. */
function extractionState(result: RuleResult): 'full' | 'partial' | 'none' {
  const rule = result.rule;
  if (!rule || (!rule.condition && !rule.correlation)) return 'none';
  return rule.extraction === 'partial' ? 'partial' : 'full';
}

function inspectText(result: RuleResult, verbose: boolean): string[] {
  const rule = result.rule;
  const lines: string[] = [];
  if (rule) {
    const where = `${result.path}:${rule.source.line}`;
    lines.push(`${where}  ${rule.title}  [${rule.source.format} ${rule.kind} ${rule.id}]`);
    if (rule.correlation) lines.push(`  ${printCorrelation(rule.correlation)}`);
    else if (rule.condition) lines.push(`  ${rule.extraction === 'partial' ? '(partial) ' : ''}${printCondition(rule.condition, conditionStyle(rule))}`);
    if (rule.condition && rule.extraction === 'partial') for (const u of unknownsOf(rule.condition)) lines.push(`  not expressed: ${u.reason}${u.line ? ` (${u.file ? `${u.file} ` : ''}line ${u.line})` : ''}`);
    if (rule.source.format === 'panther' && rule.fields.length > 0) lines.push(`  output fields: ${rule.fields.map((f) => `${f.name} <- ${f.source || '(computed)'}`).join(', ')}`);
  } else {
    lines.push(`${result.path}  ${result.skipped ? `(skipped: ${result.skipped})` : '(not read)'}`);
  }
  for (const d of result.diagnostics) {
    if (d.severity === 'info' && !verbose) continue;
    lines.push(`  ${formatDiagnostic(d, result.path)}`);
  }
  return lines;
}

/** Python compares text exactly: Panther conditions print `nocase` where a rule lower-cases, not `cased` everywhere. */
function conditionStyle(rule: Rule): { cased: boolean } {
  return { cased: rule.source.format === 'panther' };
}

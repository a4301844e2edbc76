// rulebridge test <paths...> --events <file-or-dir>...: evaluate rules against events.

import type { Command } from 'commander';
import { diagnostic, formatDiagnostic } from '../diagnostics/diagnostic.js';
import type { RuleOutcome } from '../eval/run-tests.js';
import { addRuleInputOptions, type RuleInputOptions } from './rule-options.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isUsageProblem, plural, printRunDiagnostics, writeLines } from './output.js';

interface TestOptions extends RuleInputOptions {
  events?: string[];
  json?: boolean;
  all?: boolean;
}

export function registerTest(program: Command): void {
  const command = program
    .command('test')
    .description("evaluate rules against events and check the expected matches (and Panther rules' own tests)")
    .argument('<paths...>', 'rule files or directories')
    .option(
      '--events <file-or-dir>',
      'events: JSON, JSON lines, raw lines, or the SigmaHQ regression layout (repeatable; optional for rules with their own tests)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option('--json', 'one JSON object per tested rule on stdout')
    .option('--all', 'also list rules that have no events');
  addRuleInputOptions(command).action(async (paths: string[], options: TestOptions) => {
    process.exitCode = await test(paths, options);
  });
}

export async function test(paths: string[], options: TestOptions): Promise<number> {
  const [{ prepareRuleInputs, loadWithProgress }, { runTests }, { readEventSources }] = await Promise.all([
    import('./inputs.js'),
    import('../eval/run-tests.js'),
    import('../events/read.js'),
  ]);
  const prepared = prepareRuleInputs(options);
  if (!prepared.ok) {
    printRunDiagnostics(prepared.diagnostics);
    return EXIT_USAGE;
  }
  const events = readEventSources(options.events ?? []);
  const loaded = await loadWithProgress(paths, prepared.options);
  if (!options.events?.length && !loaded.results.some((r) => (r.rule?.tests.length ?? 0) > 0)) {
    printRunDiagnostics([...loaded.diagnostics, diagnostic('usage', 'nothing to test: give --events, or rules that carry their own tests (Panther Tests)')]);
    return EXIT_USAGE;
  }
  const run = runTests(loaded.results, events.sets);
  printRunDiagnostics([...loaded.diagnostics, ...events.diagnostics, ...run.diagnostics]);

  const shown = run.outcomes.filter((o) => options.all || o.status !== 'untested');
  if (options.json) writeLines(process.stdout, shown.map((o) => JSON.stringify(testRecord(o))));
  else writeLines(process.stdout, shown.flatMap(testText));

  const count = (status: RuleOutcome['status']) => run.outcomes.filter((o) => o.status === status).length;
  const failed = count('failed');
  const extra = [
    count('evaluated') > 0 ? `${count('evaluated')} evaluated without expectations` : '',
    count('untested') > 0 ? `${plural(count('untested'), 'rule')} without events or tests` : '',
  ].filter(Boolean);
  const summary = `${count('passed')} passed, ${failed} failed${extra.length ? ` (${extra.join(', ')})` : ''}`;
  (options.json ? process.stderr : process.stdout).write(summary + '\n');

  if ([...loaded.diagnostics, ...events.diagnostics].some(isUsageProblem) || loaded.files === 0) return EXIT_USAGE;
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

function testRecord(o: RuleOutcome): Record<string, unknown> {
  const rule = o.result.rule;
  const record: Record<string, unknown> = {
    path: o.result.path,
    id: rule?.id ?? null,
    title: rule?.title ?? null,
    status: o.status,
    passed: o.status === 'passed',
    events: o.sets,
    tests: o.cases,
  };
  if (o.reason) record.reason = o.reason;
  if (!o.result.ok) record.diagnostics = o.result.diagnostics;
  return record;
}

function testText(o: RuleOutcome): string[] {
  const rule = o.result.rule;
  const label = { passed: 'PASS', failed: 'FAIL', evaluated: 'RAN ', untested: 'NONE' }[o.status];
  const lines = [`${label}  ${o.result.path}${rule ? `  ${rule.title}` : ''}`];
  if (o.reason) lines.push(`      ${o.reason}`);
  for (const s of o.sets) {
    const expectation = s.expected === undefined ? '' : ` (at least ${s.expected} expected)`;
    lines.push(`      ${s.matched} of ${plural(s.events, 'event')} matched${expectation}: ${s.path}`);
  }
  for (const c of o.cases) {
    if (c.skipped) lines.push(`      test '${c.name}': skipped: ${c.skipped}`);
    else if (!c.passed) lines.push(`      test '${c.name}': expected ${c.expected}, got ${c.actual}`);
    else if (c.inconclusive) lines.push(`      test '${c.name}': matched by the extracted part of a partial rule (inconclusive)`);
  }
  const run = o.cases.filter((c) => !c.skipped);
  const skipped = o.cases.length - run.length;
  if (o.cases.length > 0) lines.push(`      ${run.filter((c) => c.passed).length} of ${plural(run.length, 'test')} passed${skipped > 0 ? `, ${skipped} skipped` : ''}`);
  if (!o.result.ok) for (const d of o.result.diagnostics) if (d.severity === 'error') lines.push(`      ${formatDiagnostic(d, o.result.path)}`);
  return lines;
}

// rulebridge test <paths...> --events <file-or-dir>...: evaluate rules against events.

import type { Command } from 'commander';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
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
    .description('evaluate rules against events and check the expected matches')
    .argument('<paths...>', 'rule files or directories')
    .requiredOption(
      '--events <file-or-dir>',
      'events: JSON, JSON lines, raw lines, or the SigmaHQ regression layout (repeatable)',
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
    if (!c.passed) lines.push(`      test '${c.name}': expected ${c.expected}, got ${c.actual}`);
  }
  if (o.cases.length > 0) lines.push(`      ${o.cases.filter((c) => c.passed).length} of ${plural(o.cases.length, 'test')} passed`);
  if (!o.result.ok) for (const d of o.result.diagnostics) if (d.severity === 'error') lines.push(`      ${formatDiagnostic(d, o.result.path)}`);
  return lines;
}

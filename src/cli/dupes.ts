// rulebridge dupes [paths...] [--against <paths...>] [--changed <files...> | --changed-since <ref>]:
// duplicate and overlap findings for CI.

import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option, type Command } from 'commander';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { addRuleInputOptions, type RuleInputOptions } from './rule-options.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isUsageProblem, printRunDiagnostics } from './output.js';
import { packageVersion } from './version.js';

interface DupesOptions extends RuleInputOptions {
  against?: string[];
  changed?: string[];
  changedSince?: string;
  minScore: string;
  failOn: 'equivalent' | 'subsumed' | 'overlap' | 'never';
  baseline?: string;
  writeBaseline?: string;
  format: 'text' | 'json' | 'sarif';
  out?: string;
  cache?: boolean;
  cacheLocation: string;
}

export function registerDupes(program: Command): void {
  const command = program
    .command('dupes')
    .description('find rules that duplicate (equivalent), subsume or largely overlap other rules of the same log source')
    .argument('[paths...]', 'rule files or directories; compared with each other, or, with --against or --changed, the rules under review')
    .option('--against <paths...>', 'the corpus to compare the rules given as paths with')
    .option('--changed <files...>', 'review only these rule files (compared with the paths and --against)')
    .option('--changed-since <git-ref>', 'review the rule files changed since this git reference (e.g. origin/main)')
    .option('--min-score <n>', 'report overlaps scoring at least this (0 to 1)', '0.8')
    .addOption(new Option('--fail-on <relation>', 'exit 1 on findings at or above this relation').choices(['equivalent', 'subsumed', 'overlap', 'never']).default('equivalent'))
    .option('--baseline <file>', 'accepted pairs (written by --write-baseline): only other findings are reported and fail the run')
    .option('--write-baseline <file>', 'write every finding of this run as accepted, to start a baseline')
    .addOption(new Option('--format <format>', 'report format').choices(['text', 'json', 'sarif']).default('text'))
    .option('--out <file>', 'write the report to this file instead of standard output')
    .option('--cache', 'reuse the parse results of unchanged rule files from earlier runs')
    .option('--cache-location <dir>', 'folder of the --cache', '.rulebridge-cache');
  addRuleInputOptions(command).action(async (paths: string[], options: DupesOptions) => {
    process.exitCode = await dupes(paths, options);
  });
}

export async function dupes(paths: string[], options: DupesOptions): Promise<number> {
  const { prepareRuleInputs, loadWithProgress } = await import('./inputs.js');
  const { progress } = await import('./progress.js');
  const { discoverRuleFiles } = await import('../load/discover.js');
  const lib = await import('../dupes/index.js');

  const problems: Diagnostic[] = [];
  const usage = (message: string) => problems.push(diagnostic('usage', message));
  const minScore = Number(options.minScore);
  if (!(minScore >= 0 && minScore <= 1)) usage(`--min-score must be a number from 0 to 1, not '${options.minScore}'`);
  if (options.changed && options.changedSince) usage('give either --changed or --changed-since, not both');
  const against = options.against ?? [];
  if (paths.length === 0 && against.length === 0) usage('name the rules to compare: paths, --against <corpus>, or both');

  let changed = options.changed;
  if (options.changedSince !== undefined) {
    const found = lib.changedRuleFiles(options.changedSince);
    if ('error' in found) problems.push(found.error);
    else changed = found.files;
  }
  let baseline: Parameters<typeof lib.checkDuplicates>[1]['baseline'];
  if (options.baseline) {
    const read = lib.readBaseline(options.baseline);
    if ('error' in read) problems.push(read.error);
    else baseline = { baseline: read.baseline, ids: read.pairs.flatMap((p) => p.rules) };
  }
  const prepared = prepareRuleInputs(options);
  if (!prepared.ok) problems.push(...prepared.diagnostics);
  if (problems.length > 0 || !prepared.ok) {
    printRunDiagnostics(problems);
    return EXIT_USAGE;
  }
  if (changed && changed.length === 0) {
    process.stderr.write(`no rule files changed${options.changedSince ? ` since ${options.changedSince}` : ''}: nothing to review\n`);
    return EXIT_OK;
  }

  // Under review: the changed files; else, with a corpus to compare against, the paths; else none.
  const reviewed = changed ?? (against.length > 0 ? discoverRuleFiles(paths).files : undefined);
  const reviewSet = reviewed ? new Set(reviewed.map((f) => resolve(f))) : undefined;
  const inputs = [...paths, ...against, ...(changed ?? [])];
  const discovery = discoverRuleFiles(inputs);
  const cache = options.cache ? (await import('./rule-cache.js')).openRuleCache(options.cacheLocation, options, discovery.files).cache : undefined;
  const loaded = await loadWithProgress(inputs, { ...prepared.options, discovery, ...(cache ? { reuse: cache.parsed } : {}) });
  if (cache) {
    try {
      cache.save();
    } catch (error) {
      loaded.diagnostics.push(diagnostic('cache-unwritable', `cannot write the cache: ${(error as Error).message}`, { path: options.cacheLocation }));
    }
  }
  printRunDiagnostics(loaded.diagnostics);
  if (loaded.diagnostics.some(isUsageProblem) || loaded.files === 0) return EXIT_USAGE;
  for (const result of loaded.results) if (!result.rule && !result.skipped) printRunDiagnostics(result.diagnostics.map((d) => ({ ...d, path: d.path ?? result.path })));

  const bar = progress('Comparing rules');
  const checked = lib.checkDuplicates(loaded.results, {
    minScore,
    failOn: options.failOn,
    ...(reviewSet ? { underReview: (path: string) => reviewSet.has(resolve(path)) } : {}),
    ...(baseline ? { baseline } : {}),
    onProgress: (done, total) => bar.update(done, total),
  });
  bar.done();
  printRunDiagnostics(checked.diagnostics);

  const report =
    options.format === 'json'
      ? JSON.stringify({ summary: checked.summary, findings: checked.findings }, null, 2) + '\n'
      : options.format === 'sarif'
        ? lib.sarifReport(checked.findings, packageVersion())
        : lib.textReport(checked.findings, checked.summary);
  if (options.out) writeFileSync(options.out, report);
  else process.stdout.write(report);
  if (options.out || options.format !== 'text') process.stderr.write(lib.summaryLine(checked.summary) + '\n');
  if (options.writeBaseline) {
    const pairs = checked.findings.map((f) => ({ rules: [f.first.id, f.second.id] as [string, string], relation: f.level }));
    writeFileSync(options.writeBaseline, lib.baselineText(pairs));
    process.stderr.write(`wrote ${pairs.length} accepted pairs to ${options.writeBaseline}\n`);
  }
  const unreadable = checked.summary.failedToRead > 0;
  return checked.summary.failing > 0 || unreadable ? EXIT_FINDINGS : EXIT_OK;
}

// rulebridge catalog build <paths...> --out <dir>: the static catalog site of a rule corpus.

import type { Command } from 'commander';
import { addRuleInputOptions, type RuleInputOptions } from './rule-options.js';
import { useBatchJitBudget } from './jit-budget.js';
import { countDiagnostics, EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isUsageProblem, plural, printRunDiagnostics } from './output.js';

interface BuildOptions extends RuleInputOptions {
  out: string;
  playbooks?: string;
  baseUrl: string;
  title: string;
  quiet?: boolean;
}

export function registerCatalogBuild(catalog: Command): void {
  const command = catalog
    .command('build')
    .description('build the static catalog site of a rule corpus: a page per rule, indicators, ATT&CK matrix, playbooks, search')
    .argument('<paths...>', 'rule files or directories (Sigma and Panther)')
    .requiredOption('--out <dir>', 'folder to write the site into (new, empty, or a catalog built before)')
    .option('--playbooks <dir>', 'folder of Markdown incident-response playbooks to link with the rules')
    .option('--base-url <path>', 'where the site will be served from, for canonical links (pages link relatively, so the site works from any folder and from file://)', '')
    .option('--title <text>', 'the site title', 'Detection rules')
    .option('-q, --quiet', 'print only the summary and problems');
  addRuleInputOptions(command).action(async (paths: string[], options: BuildOptions) => {
    process.exitCode = await build(paths, options);
  });
}

export async function build(paths: string[], options: BuildOptions): Promise<number> {
  useBatchJitBudget();
  const { prepareRuleInputs, loadWithProgress } = await import('./inputs.js');
  const { progress } = await import('./progress.js');
  const { buildCatalogSite } = await import('../catalog/build.js');
  const { startRulePartsWorker } = await import('../catalog/site/rule-parts-thread.js');
  const prepared = prepareRuleInputs(options);
  if (!prepared.ok) {
    printRunDiagnostics(prepared.diagnostics);
    return EXIT_USAGE;
  }
  // Started first: the worker loads its code while this thread reads the rules.
  const worker = startRulePartsWorker();
  const loaded = await loadWithProgress(paths, prepared.options).catch((error: unknown) => {
    worker.close();
    throw error;
  });
  printRunDiagnostics(loaded.diagnostics);
  if (loaded.diagnostics.some(isUsageProblem) || loaded.files === 0) {
    worker.close();
    return EXIT_USAGE;
  }

  const bars = new Map<string, ReturnType<typeof progress>>();
  const built = await buildCatalogSite(loaded.results, {
    out: options.out,
    title: options.title,
    baseUrl: options.baseUrl,
    pathBase: process.cwd(),
    worker,
    ...(options.playbooks ? { playbooks: options.playbooks } : {}),
    onProgress: (stage, done, total) => {
      let bar = bars.get(stage);
      if (!bar) bars.set(stage, (bar = progress(STAGE_LABELS[stage] ?? stage)));
      bar.update(done, total);
      if (done === total) bar.done();
    },
  });
  for (const bar of bars.values()) bar.done();
  printRunDiagnostics(built.diagnostics);
  if (!built.ok || !built.index) return EXIT_USAGE;

  const totals = built.index.totals;
  const failed = loaded.results.filter((r) => !r.ok).length;
  const lines = [
    `${plural(loaded.results.length, 'rule document')} from ${plural(loaded.files, 'file')}: ${totals.rules} rules (${totals.byPlatform.sigma} Sigma, ${totals.byPlatform.panther} Panther), ${totals.failed} not read, ${totals.skipped} not rules; ${countDiagnostics(loaded.results)}`,
    `${plural(totals.indicators, 'indicator')} (${totals.sharedIndicators} in more than one rule), ${plural(totals.techniques, 'technique')}, ${plural(built.playbooks.length, 'playbook')}`,
    `${plural(built.files, 'file')} written to ${options.out}; open ${options.out}/index.html or run: rulebridge catalog serve ${options.out}`,
  ];
  process.stdout.write(lines.join('\n') + '\n');
  return failed > 0 || built.diagnostics.some((d) => d.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
}

const STAGE_LABELS: Record<string, string> = { pages: 'Writing pages', playbooks: 'Reading playbooks' };

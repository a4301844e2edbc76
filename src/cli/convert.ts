// rulebridge convert <paths...> --to <target>: queries to stdout, to files (--out) or as JSON lines.

import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { backendFor, TARGETS } from '../backends/index.js';
import type { Target } from '../backends/types.js';
import { digest } from '../cache/identity.js';
import type { Cache } from '../cache/store.js';
import { outputPaths } from '../convert/output-paths.js';
import { conversionRecord, type ConversionRecord } from '../convert/record.js';
import { diagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverRuleFiles, type Discovery } from '../load/discover.js';
import type { Mapping } from '../mapping/schema.js';
import { mappingSources } from '../mapping/sources.js';
import { openRuleCache } from './rule-cache.js';
import { addRuleInputOptions, type RuleInputOptions } from './rule-options.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, isUsageProblem, plural, printRunDiagnostics, writeLines } from './output.js';

interface ConvertCommandOptions extends RuleInputOptions {
  to: string;
  format?: string;
  /** undefined: the shipped mapping; false: none (--no-mapping); files to merge over it. */
  mapping?: string[] | false;
  strict?: boolean;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  cache?: boolean;
  cacheLocation: string;
}

/** What a run produces before it is printed; also what the cache keeps. */
interface RunOutput {
  files: number;
  diagnostics: Diagnostic[];
  records: ConversionRecord[];
  /** Documents that are not rules by design (Panther helpers, data models, policies), not converted. */
  notRules?: number;
}

export function registerConvert(program: Command): void {
  const command = program
    .command('convert')
    .description('convert rules to Splunk SPL, KQL (Defender XDR, Sentinel) or Google SecOps (YARA-L, UDM search)')
    .argument('<paths...>', 'rule files or directories (walked for .yml / .yaml)')
    .requiredOption('--to <target>', `target: ${TARGETS.join(', ')}`)
    .option('--format <format>', formatHelp())
    .option('--mapping <file>', 'mapping file merged over the shipped one (repeatable; see docs/mapping.md)', (value: string, previous: string[] | false = []) => [
      ...(previous || []),
      value,
    ])
    .option('--no-mapping', "keep the rules' field names and add no table, index or event type")
    .option('--strict', 'unmapped fields and log sources are errors: such rules are not converted')
    .option('--out <dir>', 'write one file per rule under this folder instead of printing')
    .option('--json', 'one JSON object per rule on stdout')
    .option('-q, --quiet', 'print errors only, not warnings')
    .option('--cache', 'reuse results of unchanged inputs from earlier runs')
    .option('--cache-location <dir>', 'folder of the --cache', '.rulebridge-cache');
  addRuleInputOptions(command).action(async (paths: string[], options: ConvertCommandOptions) => {
    process.exitCode = await convert(paths, options);
  });
}

function formatHelp(): string {
  return `output format: ${TARGETS.map((t) => `${t}: ${backendFor(t).formats.join(' | ')} (default ${backendFor(t).defaultFormat})`).join('; ')}`;
}

export async function convert(paths: string[], options: ConvertCommandOptions): Promise<number> {
  const setup = prepare(options);
  if (!setup.ok) {
    printRunDiagnostics(setup.diagnostics);
    return EXIT_USAGE;
  }
  const discovery = discoverRuleFiles(paths);
  const cache = options.cache ? runCache(options, setup, discovery.files) : undefined;
  let run = cache?.stored;
  if (!run) {
    const computed = await runConversion(paths, options, setup, discovery, cache);
    if ('usage' in computed) {
      printRunDiagnostics(computed.usage);
      return EXIT_USAGE;
    }
    run = computed;
  }
  printRunDiagnostics(run.diagnostics);
  const records = run.records;
  writeLines(process.stderr, records.flatMap((r) => diagnosticLines(r, options.quiet ?? false)));
  if (options.json) writeLines(process.stdout, records.map((r) => JSON.stringify(jsonRecord(r))));
  else if (options.out) writeFiles(options.out, paths, records, setup.target);
  else writeLines(process.stdout, queryText(records, setup.target));

  const notRules = run.notRules ? `; left out, not rules: ${run.notRules} (Panther helpers, data models, policies)` : '';
  process.stderr.write(`${summary(records, setup.target, setup.format)}${notRules}${options.out ? ` into ${options.out}` : ''}\n`);
  if (run.diagnostics.some(isUsageProblem) || run.files === 0) return EXIT_USAGE;
  return records.some((r) => !r.ok) ? EXIT_FINDINGS : EXIT_OK;
}

interface RunCache {
  cache: Cache;
  key: string;
  stored?: RunOutput;
}

/**
 * The cache, and the output of an identical earlier run if there was one. The key is made of
 * texts (rule files, mapping files, option files), so that a repeated run parses nothing.
 */
function runCache(options: ConvertCommandOptions, setup: Ready, files: string[]): RunCache {
  const { cache, parse, digests } = openRuleCache(options.cacheLocation, options, files);
  const key = digest({
    files: files.map((f) => [f, digests.get(f) ?? null]),
    target: setup.target,
    format: setup.format,
    strict: !!options.strict,
    mapping: options.mapping === false ? null : mappingSources(setup.target, options.mapping ?? []),
    parse,
  });
  const stored = cache.run<RunOutput>(key);
  return stored ? { cache, key, stored } : { cache, key };
}

/**
 * Reads the options' files and the mapping, loads and converts. The modules this needs are
 * loaded here, on use, so that a run answered by the cache starts fast.
 */
async function runConversion(paths: string[], options: ConvertCommandOptions, setup: Ready, discovery: Discovery, cache: RunCache | undefined): Promise<RunOutput | { usage: Diagnostic[] }> {
  const [{ prepareRuleInputs, loadWithProgress }, { mappingFor }, { convertRuleSet }] = await Promise.all([
    import('./inputs.js'),
    import('../mapping/load.js'),
    import('../convert/convert.js'),
  ]);
  const prepared = prepareRuleInputs(options);
  let mapping: Mapping | null = null;
  const setupDiagnostics: Diagnostic[] = prepared.ok ? [] : prepared.diagnostics;
  if (options.mapping !== false) {
    const loaded = mappingFor(setup.target, setup.format, options.mapping ?? []);
    setupDiagnostics.push(...loaded.diagnostics);
    if (loaded.mapping) mapping = loaded.mapping;
    else setupDiagnostics.push(diagnostic('usage', `no mapping for ${setup.target} ${setup.format}; use --no-mapping`));
  }
  if (!prepared.ok || setupDiagnostics.some((d) => d.severity === 'error')) return { usage: setupDiagnostics };

  const loaded = await loadWithProgress(paths, { ...prepared.options, discovery, ...(cache ? { reuse: cache.cache.parsed } : {}) });
  const conversions = convertRuleSet(loaded.results, { target: setup.target, format: setup.format, mapping, ...(options.strict ? { strict: true } : {}) });
  const output: RunOutput = {
    files: loaded.files,
    diagnostics: [...setupDiagnostics, ...loaded.diagnostics],
    records: conversions.map(conversionRecord),
    notRules: loaded.results.filter((r) => r.skipped !== undefined).length,
  };
  if (cache) {
    cache.cache.keepRun(cache.key, output);
    try {
      cache.cache.save();
    } catch (error) {
      output.diagnostics = [...output.diagnostics, diagnostic('cache-unwritable', `cannot write the cache: ${(error as Error).message}`, { path: options.cacheLocation })];
    }
  }
  return output;
}

interface Ready {
  ok: true;
  target: Target;
  format: string;
}

/** Checks the target and format; a wrong one is a usage error. */
function prepare(options: ConvertCommandOptions): Ready | { ok: false; diagnostics: Diagnostic[] } {
  const target = options.to as Target;
  if (!TARGETS.includes(target)) return { ok: false, diagnostics: [diagnostic('usage', `--to must be one of ${TARGETS.join(', ')}, not '${options.to}'`)] };
  const backend = backendFor(target);
  const format = options.format ?? backend.defaultFormat;
  if (!backend.formats.includes(format)) {
    return { ok: false, diagnostics: [diagnostic('usage', `--format for ${target} must be one of ${backend.formats.join(', ')}, not '${format}'`)] };
  }
  return { ok: true, target, format };
}

function diagnosticLines(r: ConversionRecord, quiet: boolean): string[] {
  return r.diagnostics.filter((d) => d.severity === 'error' || (!quiet && d.severity === 'warning')).map((d) => formatDiagnostic(d, r.path));
}

/** The `--json` record of one rule (documented in the README). */
function jsonRecord(r: ConversionRecord): Record<string, unknown> {
  return {
    ...r,
    diagnostics: r.diagnostics.map((d) => ({ severity: d.severity, code: d.code, message: d.message, line: d.line ?? null, col: d.col ?? null })),
  };
}

/** Queries in input order; with several rules each is labelled with a comment where the format has one. */
function queryText(records: ConversionRecord[], target: Target): string[] {
  const converted = records.filter((r) => r.queries.length > 0);
  const backend = backendFor(target);
  return converted.map((c, i) => {
    const text = c.queries.join('\n').replace(/\n+$/, '');
    const label = converted.length > 1 ? backend.comment(c.format, `${c.title ?? c.id} (${c.path})`) : undefined;
    return `${i > 0 ? '\n' : ''}${label ? `${label}\n` : ''}${text}`;
  });
}

function writeFiles(out: string, inputs: string[], records: ConversionRecord[], target: Target): void {
  const converted = records.filter((r) => r.queries.length > 0);
  const names = outputPaths(
    converted.map((c) => ({ path: c.path, document: c.document })),
    inputs,
    backendFor(target).extension(converted[0]?.format ?? ''),
  );
  converted.forEach((c, i) => {
    const file = join(out, names[i]!);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${c.queries.join('\n').replace(/\n+$/, '')}\n`);
  });
}

/** "3284 rules to kql xdr: 3198 converted, 86 failed (unsupported-construct 86); 120 warnings (unmapped-field 120)" */
function summary(conversions: ConversionRecord[], target: Target, format: string): string {
  const failed = conversions.filter((c) => !c.ok);
  const reasons = new Map<string, number>();
  for (const c of failed) {
    const code = c.diagnostics.find((d) => d.severity === 'error')?.code ?? 'no-query';
    reasons.set(code, (reasons.get(code) ?? 0) + 1);
  }
  const warnings = new Map<string, number>();
  for (const c of conversions) for (const d of c.diagnostics) if (d.severity === 'warning') warnings.set(d.code, (warnings.get(d.code) ?? 0) + 1);
  const byCount = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([k, n]) => `${k} ${n}`).join(', ');
  const warningCount = [...warnings.values()].reduce((a, b) => a + b, 0);
  return (
    `${plural(conversions.length, 'rule')} to ${target} ${format}: ${conversions.length - failed.length} converted, ${failed.length} failed` +
    `${failed.length ? ` (${byCount(reasons)})` : ''}; ${plural(warningCount, 'warning')}${warningCount ? ` (${byCount(warnings)})` : ''}`
  );
}

#!/usr/bin/env node
// npm run bench: whole-process wall times on the real corpus, each next to the floor measured in
// the same run (Panther rows: next to their own floor). Commands run interleaved, several times; the table shows the minimum and the
// median. `node test/bench/run.js [--runs N] [--only name]`; `--growth` instead times the catalog
// build on the corpora and on a synthetic corpus ten times their size.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const corpus = join(root, '..', 'shared', 'corpus', 'sigmahq');
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] ?? 0) || 5;
const only = args.includes('--only') ? args[args.indexOf('--only') + 1] : undefined;

if (!existsSync(corpus)) {
  console.log(`skipped: the SigmaHQ corpus is not at ${corpus}`);
  process.exit(0);
}
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  console.error('build first: npm run build');
  process.exit(2);
}

const sigmaDirs = ['rules', 'rules-threat-hunting', 'rules-compliance', 'rules-placeholder'].map((d) => join(corpus, d));
const cli = join(root, 'bin', 'rulebridge.js');
const floor = { name: 'floor: read + yaml parse', argv: [join(root, 'test', 'bench', 'floor.js'), ...sigmaDirs] };
const cache = mkdtempSync(join(tmpdir(), 'rulebridge-bench-'));
process.on('exit', () => rmSync(cache, { recursive: true, force: true }));
const convert = (...options) => [cli, 'convert', ...sigmaDirs, '-q', ...options];
const benchmarks = [
  floor,
  { name: 'rulebridge inspect --json', argv: [cli, 'inspect', '--json', ...sigmaDirs] },
  { name: 'rulebridge inspect --json --workers 2', argv: [cli, 'inspect', '--json', '--workers', '2', ...sigmaDirs] },
  { name: 'rulebridge convert --to splunk', argv: convert('--to', 'splunk') },
  { name: 'rulebridge convert --to kql', argv: convert('--to', 'kql') },
  { name: 'rulebridge convert --to kql --format sentinel', argv: convert('--to', 'kql', '--format', 'sentinel') },
  { name: 'rulebridge convert --to chronicle', argv: convert('--to', 'chronicle') },
  { name: 'rulebridge convert --to chronicle --format udm', argv: convert('--to', 'chronicle', '--format', 'udm') },
  // Repeated runs: the cache is filled once before the timed runs.
  { name: 'rulebridge convert --to kql --cache (repeat)', argv: convert('--to', 'kql', '--cache', '--cache-location', cache), warm: true },
  // A pull-request check: one rule against the corpus; and the corpus against itself. Their
  // summary lines tell how many candidate pairs were decided of all pairs.
  {
    name: 'rulebridge dupes --changed <one rule> --against',
    argv: [cli, 'dupes', '--changed', join(corpus, 'rules', 'windows', 'process_creation', 'proc_creation_win_certutil_download.yml'), '--against', ...sigmaDirs],
    summary: true,
  },
  {
    name: 'rulebridge dupes --changed ... --cache (repeat)',
    argv: [cli, 'dupes', '--changed', join(corpus, 'rules', 'windows', 'process_creation', 'proc_creation_win_certutil_download.yml'), '--against', ...sigmaDirs, '--cache', '--cache-location', join(cache, 'dupes')],
    warm: true,
  },
  { name: 'rulebridge dupes (self-comparison)', argv: [cli, 'dupes', ...sigmaDirs], summary: true },
];

// Panther: the panther-analysis checkout (../panther-analysis or PANTHER_ANALYSIS), its rules
// with their Python, helpers and data models, next to a floor that parses the same YAML.
const panther = process.env.PANTHER_ANALYSIS ?? join(root, '..', 'panther-analysis');
const pantherRules = join(panther, 'rules');
const pantherFloor = { name: 'panther floor: read + yaml parse', argv: [join(root, 'test', 'bench', 'floor.js'), pantherRules] };
if (existsSync(pantherRules)) {
  benchmarks.push(
    pantherFloor,
    { name: 'panther: rulebridge inspect --json', argv: [cli, 'inspect', '--json', pantherRules], floor: pantherFloor },
    { name: 'panther: rulebridge convert --to kql', argv: [cli, 'convert', pantherRules, '-q', '--to', 'kql'], floor: pantherFloor },
  );
  // The catalog site of both corpora (about 4,200 rules), written into a scratch folder.
  const site = join(cache, 'site');
  benchmarks.push({ name: 'catalog build: SigmaHQ + Panther', argv: [cli, 'catalog', 'build', ...sigmaDirs, pantherRules, '--out', site, '-q'] });
} else console.log(`no Panther rows: panther-analysis is not at ${panther}`);

if (args.includes('--growth')) {
  growth();
  process.exit(0);
}

const selected = benchmarks.filter((b) => !only || b === floor || b === pantherFloor || b.name.includes(only));

for (const b of selected.filter((b) => b.warm)) spawnSync(process.execPath, b.argv, { stdio: 'ignore' });

const times = new Map(selected.map((b) => [b, []]));
for (let i = 0; i < runs; i++) {
  for (const b of selected) {
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, b.argv, { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 26 });
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (r.status !== 0 && r.status !== 1) {
      console.error(`${b.name} exited with ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
      process.exit(1);
    }
    times.get(b).push(ms);
  }
}

const stats = (list) => {
  const sorted = [...list].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)] };
};
console.log(`${runs} runs each, ${availableParallelism()} cores (${cpus()[0]?.model ?? 'unknown cpu'}), node ${process.version}`);
console.log(`${'benchmark'.padEnd(48)} ${'min s'.padStart(7)} ${'median s'.padStart(9)} ${'× floor'.padStart(8)}`);
for (const b of selected) {
  const s = stats(times.get(b));
  const base = stats(times.get(b.floor ?? (b === pantherFloor ? pantherFloor : floor)));
  console.log(`${b.name.padEnd(48)} ${(s.min / 1000).toFixed(2).padStart(7)} ${(s.median / 1000).toFixed(2).padStart(9)} ${(s.median / base.median).toFixed(2).padStart(8)}`);
}
for (const b of selected.filter((b) => b.summary)) {
  const out = spawnSync(process.execPath, b.argv, { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout.trim().split('\n');
  console.log(`${b.name}: ${out[out.length - 1]}`);
}

/**
 * `--growth`: the catalog build on the real corpora and on a synthetic corpus ten times their
 * size (test/bench/synthetic-corpus.js), once each: linear growth takes at most ~10× as long.
 */
function growth() {
  if (!existsSync(pantherRules)) {
    console.log(`skipped: panther-analysis is not at ${panther}`);
    return;
  }
  const sources = [
    ...sigmaDirs.map((d) => `sigma/${d.split(/[\\/]/).pop()}=${d}`),
    ...['rules', 'global_helpers', 'data_models'].map((d) => `panther/${d}=${join(panther, d)}`),
  ];
  const results = [];
  for (const copies of [1, 10]) {
    const corpusDir = join(cache, `corpus-${copies}`);
    spawnSync(process.execPath, [join(root, 'test', 'bench', 'synthetic-corpus.js'), corpusDir, String(copies), ...sources], { stdio: 'ignore' });
    const inputs = Array.from({ length: copies }, (_, i) => [...sigmaDirs.map((d) => join(corpusDir, `copy${i}`, 'sigma', d.split(/[\\/]/).pop())), join(corpusDir, `copy${i}`, 'panther', 'rules')]).flat();
    const start = process.hrtime.bigint();
    const r = spawnSync(process.execPath, ['--max-old-space-size=16384', cli, 'catalog', 'build', ...inputs, '--out', join(cache, `site-${copies}`), '-q'], { stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 26 });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (r.status !== 0 && r.status !== 1) {
      console.error(`catalog build of ${copies}× exited with ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
      process.exit(1);
    }
    results.push({ copies, seconds, summary: r.stdout.toString().split('\n')[0] });
    rmSync(join(cache, `site-${copies}`), { recursive: true, force: true });
    rmSync(corpusDir, { recursive: true, force: true });
  }
  for (const r of results) console.log(`catalog build, ${String(r.copies).padStart(2)}× corpus: ${r.seconds.toFixed(1)} s  (${r.summary})`);
  console.log(`10× / 1×: ${(results[1].seconds / results[0].seconds).toFixed(2)}`);
}

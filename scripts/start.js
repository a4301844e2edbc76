#!/usr/bin/env node
// `npm start`: the main job on the embedded corpus in catalog/. Reads and checks the sample
// rules, runs their tests, converts them to every target into out/<target>/, and builds the
// catalog site into out/site/. A step that reports findings (exit 1) is shown and the job goes
// on; a usage error (exit 2) stops it.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';

const cli = ['bin/rulebridge.js'];
const rules = ['catalog/rules', '--placeholders', 'catalog/placeholders.yml'];
const steps = [
  ['inspect', ...rules],
  ['test', ...rules, '--events', 'catalog/tests', '--events', 'catalog/events'],
  ...[
    ['splunk', 'default'],
    ['kql', 'sentinel'],
    ['chronicle', 'yaral'],
  ].map(([target, format]) => ['convert', ...rules, '--to', target, '--format', format, '--out', `out/${target}`, '-q']),
  ['catalog', 'build', ...rules, '--playbooks', 'catalog/playbooks', '--title', 'rulebridge sample catalog', '--out', 'out/site'],
];

rmSync('out', { recursive: true, force: true });
let worst = 0;
for (const step of steps) {
  console.log(`\n$ rulebridge ${step.join(' ')}`);
  const run = spawnSync(process.execPath, [...cli, ...step], { stdio: 'inherit' });
  const code = run.status ?? 2;
  if (code === 2) process.exit(2);
  worst = Math.max(worst, code);
}
console.log(`\nConverted queries are in out/<target>/; the catalog site is out/site/index.html (or: node bin/rulebridge.js catalog serve out/site). ${worst === 0 ? 'No findings.' : 'Some steps reported findings (above).'}`);

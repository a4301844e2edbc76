// The rule files a branch changed: what `--changed-since <ref>` reviews in a pull request.
// Changes are taken from where the branch left `ref` (their merge base), committed or not,
// plus files git does not track yet; deleted files have nothing left to compare.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

const RULE_FILE = /\.(ya?ml|py)$/i;

export function changedRuleFiles(ref: string, cwd = process.cwd()): { files: string[] } | { error: Diagnostic } {
  const fail = (message: string) => ({ error: diagnostic('invalid-git-ref', message) });
  const git = (...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const root = git('rev-parse', '--show-toplevel');
  if (root.error) return fail(`cannot run git: ${root.error.message}`);
  if (root.status !== 0) return fail(`${cwd} is not inside a git work tree`);
  if (ref.startsWith('-')) return fail(`'${ref}' is not a git reference`);
  const commit = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
  if (commit.status !== 0) return fail(`'${ref}' is not a commit in this repository (a shallow CI checkout may need fetch-depth: 0)`);
  const base = git('merge-base', commit.stdout.trim(), 'HEAD');
  if (base.status !== 0) return fail(`'${ref}' and HEAD have no common ancestor`);
  const top = root.stdout.trim();
  const diff = git('diff', '--name-only', '-z', '--diff-filter=ACMR', base.stdout.trim(), '--');
  const untracked = git('ls-files', '-z', '--others', '--exclude-standard', '--full-name', top);
  if (diff.status !== 0 || untracked.status !== 0) return fail(`git could not list the changes since '${ref}': ${(diff.stderr || untracked.stderr).trim()}`);
  const names = [...diff.stdout.split('\0'), ...untracked.stdout.split('\0')].filter((n) => RULE_FILE.test(n));
  const files = new Set<string>();
  for (const name of names) {
    const path = join(top, name);
    // A Panther rule is its YAML file; a change to its Python is a change to the rule.
    const rule = /\.py$/i.test(path) ? [path.replace(/\.py$/i, '.yml'), path.replace(/\.py$/i, '.yaml')].find((p) => existsSync(p)) : path;
    if (rule && existsSync(rule)) files.add(rule);
  }
  return { files: [...files].sort() };
}

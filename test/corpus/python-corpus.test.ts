// The Python parser against CPython: for our own fixtures (test/fixtures/python) and, when the
// checkout is there, every .py file of panther-analysis' rules, global_helpers and data_models
// (../panther-analysis), the tree parsePython builds equals the tree python3's `ast` module
// builds, by the comparison test/helpers/cpython.ts defines. Skips with a message when python3
// or the checkout is missing.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parsePython } from '../../src/formats/panther/python/parse.js';
import { comparableTree, cpythonTrees, firstDifference, hasPython3, ourTree, python3Version } from '../helpers/cpython.js';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'python');
const PANTHER = join(import.meta.dirname, '..', '..', '..', 'panther-analysis');
const PANTHER_DIRS = ['rules', 'global_helpers', 'data_models'].map((d) => join(PANTHER, d));
const hasPanther = PANTHER_DIRS.every((d) => existsSync(d));

const python = hasPython3();
if (!python) console.warn('skipping the CPython comparison: python3 (3.10 or later) is not on PATH');
else console.info(`comparing the Python parser with ${python3Version()}`);
if (!hasPanther) console.warn(`skipping the panther-analysis comparison: no checkout at ${PANTHER}`);

function pythonFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...pythonFiles(path));
    else if (entry.name.endsWith('.py')) out.push(path);
  }
  return out.sort();
}

interface Comparison {
  files: number;
  parsed: number;
  identical: number;
  problems: string[];
}

function compareWithCPython(files: string[]): Comparison {
  const reference = cpythonTrees(files);
  const result: Comparison = { files: files.length, parsed: 0, identical: 0, problems: [] };
  for (const path of files) {
    const expected = reference.get(path);
    const ours = parsePython(readFileSync(path, 'utf8'), path);
    if (!expected?.ok) {
      result.problems.push(`${path}: CPython rejects it (${expected?.message ?? 'no result'})`);
      continue;
    }
    if (!ours.ok) {
      const d = ours.diagnostic;
      result.problems.push(`${path}:${d.line}:${d.col}: ${d.message}`);
      continue;
    }
    result.parsed++;
    const difference = firstDifference(comparableTree(ourTree(ours.module)), comparableTree(expected.tree));
    if (difference) result.problems.push(`${path}: ${difference}`);
    else result.identical++;
  }
  return result;
}

describe.skipIf(!python)('Python parser against CPython', () => {
  test('fixtures: same trees as CPython', () => {
    const files = pythonFiles(FIXTURES);
    expect(files.length).toBeGreaterThan(5);
    const result = compareWithCPython(files);
    expect(result.problems).toEqual([]);
    expect(result.identical).toBe(files.length);
  });

  test.skipIf(!hasPanther)('panther-analysis: every rule, helper and data model parses to CPython\'s tree', () => {
    const files = PANTHER_DIRS.flatMap(pythonFiles);
    expect(files.length).toBeGreaterThan(900);
    const result = compareWithCPython(files);
    console.info(`panther-analysis: ${result.files} files, ${result.parsed} parsed, ${result.identical} identical to CPython`);
    expect(result.problems.slice(0, 20)).toEqual([]);
    expect(result.identical).toBe(files.length);
  });
});

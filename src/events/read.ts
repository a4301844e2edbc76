// Test events from files and directories:
//
// - `*.json`: one or more JSON values one after another (a top-level array is a list of events);
// - `*.jsonl` / `*.ndjson`: one JSON value per line;
// - `*.raw` / `*.log` / `*.txt`: one raw log line per event (found by keyword searches);
// - the SigmaHQ regression layout: a directory with `info.yml` naming the rule
//   (`rule_metadata[0].id`) next to `<rule-id>.json` or `.raw`; its events belong to that rule
//   and `regression_tests_info[0].match_count` says how many must match;
// - test case files `*.yml` / `*.yaml`: `{rule: <id>, tests: [{name, expected, event}]}`, events
//   that must match (`expected: true`) or must not.
//
// Windows event log records (`Event.System` + `Event.EventData`) are flattened on the way in.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { flattenWindowsEvent, isWindowsEvent } from './windows.js';

export interface TestCase {
  name: string;
  expected: boolean;
  event: unknown;
}

export interface EventSet {
  path: string;
  events: unknown[];
  /** The rule these events belong to; without it they are for every rule. */
  ruleId?: string;
  /** How many of the events must match (regression layout). */
  expectedMatches?: number;
  /** Events with their expected verdicts (test case files). */
  cases?: TestCase[];
}

export interface EventReading {
  sets: EventSet[];
  diagnostics: Diagnostic[];
}

const JSON_EXTENSIONS = new Set(['.json']);
const LINE_JSON_EXTENSIONS = new Set(['.jsonl', '.ndjson']);
const RAW_EXTENSIONS = new Set(['.raw', '.log', '.txt']);
const CASE_EXTENSIONS = new Set(['.yml', '.yaml']);

export function readEventSources(paths: string[]): EventReading {
  const reading: EventReading = { sets: [], diagnostics: [] };
  for (const path of paths) {
    let stat;
    try {
      stat = statSync(path);
    } catch {
      reading.diagnostics.push(diagnostic('path-not-found', `no such events file or directory: ${path}`, { path }));
      continue;
    }
    if (stat.isDirectory()) readDirectory(path, reading);
    else if (CASE_EXTENSIONS.has(extname(path).toLowerCase())) readCaseFile(path, reading);
    else readEventFile(path, reading);
  }
  return reading;
}

function readDirectory(dir: string, reading: EventReading): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    reading.diagnostics.push(diagnostic('invalid-events', `cannot read the directory ${dir}`, { path: dir }));
    return;
  }
  const info = entries.find((e) => e.isFile() && e.name === 'info.yml');
  if (info) {
    readRegressionCase(dir, reading);
    return;
  }
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) readDirectory(path, reading);
    else if (entry.isFile() && CASE_EXTENSIONS.has(extname(entry.name).toLowerCase())) readCaseFile(path, reading);
    else if (entry.isFile() && isEventFile(entry.name)) readEventFile(path, reading);
  }
}

function isEventFile(name: string): boolean {
  const ext = extname(name).toLowerCase();
  return JSON_EXTENSIONS.has(ext) || LINE_JSON_EXTENSIONS.has(ext) || RAW_EXTENSIONS.has(ext);
}

function readRegressionCase(dir: string, reading: EventReading): void {
  const infoPath = join(dir, 'info.yml');
  let info: unknown;
  try {
    info = parseYaml(readFileSync(infoPath, 'utf8'));
  } catch (error) {
    reading.diagnostics.push(diagnostic('invalid-events', `cannot read ${infoPath}: ${(error as Error).message}`, { path: infoPath }));
    return;
  }
  const meta = (info as { rule_metadata?: Array<{ id?: string }> })?.rule_metadata?.[0];
  const ruleId = meta?.id;
  if (!ruleId) {
    reading.diagnostics.push(diagnostic('invalid-events', `${infoPath} names no rule (rule_metadata[0].id)`, { path: infoPath }));
    return;
  }
  const tests = (info as { regression_tests_info?: Array<{ match_count?: number }> })?.regression_tests_info;
  const expected = typeof tests?.[0]?.match_count === 'number' ? tests[0].match_count : undefined;
  const candidates = readdirSync(dir)
    .filter((name) => basename(name, extname(name)) === ruleId && isEventFile(name))
    .sort();
  if (candidates.length === 0) {
    reading.diagnostics.push(diagnostic('invalid-events', `${dir} has info.yml but no ${ruleId}.json or .raw`, { path: infoPath }));
    return;
  }
  for (const name of candidates) readEventFile(join(dir, name), reading, { ruleId, expectedMatches: expected });
}

function readCaseFile(path: string, reading: EventReading): void {
  const fail = (message: string) => reading.diagnostics.push(diagnostic('invalid-events', message, { path }));
  let data: unknown;
  try {
    data = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`cannot read test cases: ${(error as Error).message.split('\n')[0]}`);
    return;
  }
  const file = data as { rule?: unknown; tests?: unknown };
  if (!file || typeof file.rule !== 'string' || !Array.isArray(file.tests)) {
    fail("a test case file needs 'rule' (a rule id) and 'tests' (a list of {name, expected, event})");
    return;
  }
  const cases: TestCase[] = [];
  for (const [i, t] of (file.tests as Array<Record<string, unknown>>).entries()) {
    if (!t || typeof t.expected !== 'boolean' || t.event === undefined) {
      fail(`test ${i + 1} needs 'expected' (true or false) and 'event'`);
      return;
    }
    cases.push({ name: typeof t.name === 'string' ? t.name : `test ${i + 1}`, expected: t.expected, event: normalizeEvent(t.event) });
  }
  reading.sets.push({ path, events: cases.map((c) => c.event), ruleId: file.rule, cases });
}

function readEventFile(path: string, reading: EventReading, owner?: { ruleId: string; expectedMatches: number | undefined }): void {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    reading.diagnostics.push(diagnostic('invalid-events', `cannot read ${path}: ${(error as Error).message}`, { path }));
    return;
  }
  const ext = extname(path).toLowerCase();
  let parsed: { events: unknown[] } | { error: string; line: number; col: number };
  if (RAW_EXTENSIONS.has(ext)) parsed = { events: rawLines(text) };
  else if (LINE_JSON_EXTENSIONS.has(ext)) parsed = jsonLines(text);
  else parsed = jsonValues(text);
  if ('error' in parsed) {
    reading.diagnostics.push(diagnostic('invalid-events', parsed.error, { path, line: parsed.line, col: parsed.col }));
    return;
  }
  const events = parsed.events.flatMap((e) => (Array.isArray(e) ? e : [e])).map(normalizeEvent);
  const set: EventSet = { path, events };
  if (owner) {
    set.ruleId = owner.ruleId;
    if (owner.expectedMatches !== undefined) set.expectedMatches = owner.expectedMatches;
  }
  reading.sets.push(set);
}

function normalizeEvent(event: unknown): unknown {
  return isWindowsEvent(event) ? flattenWindowsEvent(event) : event;
}

function rawLines(text: string): unknown[] {
  return text
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map((line) => ({ message: line }));
}

function jsonLines(text: string): { events: unknown[] } | { error: string; line: number; col: number } {
  const events: unknown[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) continue;
    try {
      events.push(JSON.parse(line));
    } catch (error) {
      return { error: `line ${i + 1} is not JSON: ${(error as Error).message}`, line: i + 1, col: 1 };
    }
  }
  return { events };
}

/** JSON values written one after another (pretty-printed or not). */
export function jsonValues(text: string): { events: unknown[] } | { error: string; line: number; col: number } {
  const events: unknown[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && /\s/.test(text[i]!)) i++;
    if (i >= text.length) break;
    const end = valueEnd(text, i);
    const chunk = text.slice(i, end);
    try {
      events.push(JSON.parse(chunk));
    } catch (error) {
      const before = text.slice(0, i);
      const line = before.split('\n').length;
      return { error: `not JSON: ${(error as Error).message}`, line, col: i - before.lastIndexOf('\n') };
    }
    i = end;
  }
  return { events };
}

/** End of the JSON value starting at `start`: the matching bracket, or the next whitespace. */
function valueEnd(text: string, start: number): number {
  const open = text[start];
  if (open !== '{' && open !== '[') {
    let i = start;
    if (text[i] === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
      return i + 1;
    }
    while (i < text.length && !/\s/.test(text[i]!)) i++;
    return i;
  }
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    } else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

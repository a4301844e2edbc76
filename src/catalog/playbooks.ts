// Incident-response playbooks (Markdown) for the catalog: each file's title, phases and their
// goals, severity table and ATT&CK techniques, linked to the index's rules that cover those
// techniques. Reading is a pure function of the text and the index; bad files become
// diagnostics, never exceptions.

import { isUtf8 } from 'node:buffer';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, relative, sep } from 'node:path';
import type { Heading, Nodes, Root, Table } from 'mdast';
import { attackTable, type AttackTable } from '../attack/table.js';
import { diagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { discoverRuleFiles } from '../load/discover.js';
import { formatSize } from '../load/read.js';
import { lineMap, parseMarkdown, textOf, timedMarkdownParser, walk, type MarkdownResult } from './markdown.js';
import type { CatalogIndex, Playbook, RuleRef } from './model.js';
import { assignSlugs, compareText, shortHash, slugText } from './slug.js';

export interface PlaybookOptions {
  /** Technique names and tactics; default: the shipped ATT&CK table (pass the one `--attack` read). */
  attack?: AttackTable;
}

export interface ReadPlaybooksOptions extends PlaybookOptions {
  onProgress?: (done: number, total: number) => void;
  /** A file whose Markdown takes longer than this to parse is reported, not waited for. Default 10 s. */
  parseTimeoutMs?: number;
}

const DEFAULT_PARSE_TIMEOUT_MS = 10_000;

export interface PlaybookRun {
  /** By path. Files that gave no playbook (unreadable, not UTF-8, empty, unparsable) are left out. */
  playbooks: Playbook[];
  /**
   * Everything to report for the run: the folder's problems, those of files that gave no
   * playbook, and each playbook's own diagnostics (also on the playbook, for its page).
   * Paths are the files as reached from `dir`, so that `path:line:col` opens in an editor.
   */
  diagnostics: Diagnostic[];
}

const MARKDOWN_EXTENSIONS = ['.md', '.markdown'];
/** Playbooks are documents people write: 512 KiB is seventy times a sample one. */
export const MAX_PLAYBOOK_SIZE = 512 * 1024;

/**
 * Technique ids: T1234 or T1234.001, upper-case as ATT&CK writes them (a lower-case `t1234`
 * in prose is more likely something else), whole (not T12345, T1234.0011 or XT1234).
 * `T1234/001` is the form of attack.mitre.org links.
 */
const TECHNIQUE_ID = /(?<![A-Za-z0-9_])T(\d{4})(?:[./](\d{3}))?(?![A-Za-z0-9_]|[./]\d)/g;
/** `3.1 Phase 1: Preparation` -> `Phase 1: Preparation`. */
const PHASE_HEADING = /^(?:\d+(?:\.\d+)*\.?\s+)?(phase\s+\d+\b.*)$/i;
const GOAL = /^goal\s*:\s*/i;
const SEVERITY = /severit/i;

/** Reads every Markdown file under `dir` (recursively, in path order) as a playbook. */
export async function readPlaybooks(dir: string, index: CatalogIndex, options: ReadPlaybooksOptions = {}): Promise<PlaybookRun> {
  const diagnostics: Diagnostic[] = [];
  const found = discoverRuleFiles([dir], MARKDOWN_EXTENSIONS);
  for (const d of found.diagnostics) {
    // The walker speaks of rule files; here the same findings are about playbooks.
    if (d.code === 'no-rules') diagnostics.push(diagnostic('no-playbooks', `${dir} holds no Markdown (.md) files`, { path: dir }));
    else diagnostics.push(d);
  }
  let base = dir;
  try {
    if (!(await stat(dir)).isDirectory()) base = dirname(dir);
  } catch {
    // path-not-found is already reported by the walker.
  }

  const files = found.files.map((file) => ({ file, path: relative(base, file).split(sep).join('/') || basename(file) }));
  files.sort((a, b) => compareText(a.path, b.path));

  const parsed: Playbook[] = [];
  const parser = timedMarkdownParser(options.parseTimeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS);
  try {
    let done = 0;
    for (const { file, path } of files) {
      const read = await readPlaybookText(file);
      if (!read.ok) {
        diagnostics.push(read.diagnostic);
        options.onProgress?.(++done, files.length);
        continue;
      }
      const markdown = read.text.trim() === '' ? undefined : await parser.parse(read.text);
      const playbook = playbookOf(read.text, path, index, options, markdown);
      options.onProgress?.(++done, files.length);
      playbook.diagnostics = playbook.diagnostics.map((d) => ({ ...d, path: file }));
      diagnostics.push(...playbook.diagnostics);
      if (!playbook.diagnostics.some((d) => NOTHING_TO_SHOW.has(d.code))) parsed.push(playbook);
    }
  } finally {
    await parser.close();
  }

  // Slugs unique across the folder: a (rare) clash of short hashes falls back to long ones.
  const slugs = assignSlugs(new Map(parsed.map((p) => [slugKey(p.path), slugReadable(p.path)])), 'playbook');
  for (const p of parsed) p.slug = slugs.get(slugKey(p.path))!;
  return { playbooks: parsed, diagnostics };
}

type TextRead = { ok: true; text: string } | { ok: false; diagnostic: Diagnostic };

async function readPlaybookText(file: string): Promise<TextRead> {
  const fail = (code: 'file-unreadable' | 'file-too-large' | 'binary-file' | 'invalid-encoding', message: string): TextRead => ({
    ok: false,
    diagnostic: diagnostic(code, message, { path: file, line: 1, col: 1 }),
  });
  let bytes: Buffer;
  try {
    const size = (await stat(file)).size;
    if (size > MAX_PLAYBOOK_SIZE) return fail('file-too-large', `the file has ${formatSize(size)}, more than the ${formatSize(MAX_PLAYBOOK_SIZE)} a playbook may have`);
    bytes = await readFile(file);
  } catch (error) {
    return fail('file-unreadable', `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const nul = bytes.indexOf(0);
  if (nul !== -1) return fail('binary-file', `the file is binary (a NUL byte at offset ${nul}), not Markdown text`);
  if (!isUtf8(bytes)) return fail('invalid-encoding', 'the file is not valid UTF-8');
  const text = bytes.toString('utf8');
  return { ok: true, text: text.charCodeAt(0) === 0xfeff ? text.slice(1) : text };
}

/**
 * One playbook from its Markdown. `path` is the file relative to the playbooks folder (it names
 * the playbook: slug, diagnostics). Always gives a playbook; what is wrong with the text is in
 * its diagnostics (`playbook-empty`, `markdown-too-complex` and `internal-error` mean there is
 * nothing to show). Parses on the calling thread with no time limit; readPlaybooks sets one.
 */
export function parsePlaybook(text: string, path: string, index: CatalogIndex, options: PlaybookOptions = {}): Playbook {
  return playbookOf(text, path, index, options, text.trim() === '' ? undefined : parseMarkdown(text));
}

/** Diagnostics after which a file gives no playbook. */
const NOTHING_TO_SHOW = new Set(['playbook-empty', 'markdown-too-complex', 'internal-error']);

/** The playbook of `text`, given its Markdown tree (undefined: the text is blank). */
function playbookOf(text: string, path: string, index: CatalogIndex, options: PlaybookOptions, parsed: MarkdownResult | undefined): Playbook {
  const table = options.attack ?? attackTable();
  const fallbackTitle = basename(path).replace(/\.(md|markdown)$/i, '');
  const playbook: Playbook = {
    slug: `${slugText(slugReadable(path)) || 'playbook'}-${shortHash(slugKey(path))}`,
    path,
    title: fallbackTitle,
    markdown: text,
    phases: [],
    severity: [],
    techniques: [],
    rules: [],
    diagnostics: [],
  };
  const at = { path, line: 1, col: 1 };
  if (parsed === undefined) {
    playbook.diagnostics.push(diagnostic('playbook-empty', 'the playbook holds no text', at));
    return playbook;
  }
  if (!parsed.ok) {
    const code = parsed.reason === 'too-complex' ? 'markdown-too-complex' : 'internal-error';
    playbook.diagnostics.push(diagnostic(code, parsed.message, at));
    return playbook;
  }
  const tree = parsed.tree;

  const title = firstHeading(tree);
  if (title) playbook.title = title;
  else playbook.diagnostics.push(diagnostic('playbook-no-title', `the playbook has no heading; it is titled '${fallbackTitle}' after its file`, at));
  playbook.phases = phasesOf(tree);
  playbook.severity = severityRows(tree);

  const mentions = techniqueMentions(tree, text);
  const tacticOrder = new Map(index.attack.tactics.map((t, i) => [t.id, i]));
  for (const [id, where] of mentions) {
    const known = table.techniques.get(id);
    if (!known) {
      playbook.diagnostics.push(diagnostic('playbook-unknown-technique', `${id} is not a technique of ATT&CK ${table.version}`, { path, ...where }));
      playbook.techniques.push({ id, tactics: [] });
      continue;
    }
    const tactics = known.tactics
      .flatMap((shortname) => table.tacticsByShortname.get(shortname)?.id ?? [])
      .sort((a, b) => (tacticOrder.get(a) ?? Infinity) - (tacticOrder.get(b) ?? Infinity) || compareText(a, b));
    playbook.techniques.push({ id, name: known.name, tactics });
  }
  playbook.rules = coveringRules(playbook.techniques.map((t) => t.id), index);
  return playbook;
}

function slugKey(path: string): string {
  return `playbook\u0000${path}`;
}

/**
 * The readable part of a slug is the file's name, not the title: authors name files for what
 * they are about, while titles share long prefixes ("Incident Response Playbook: ...") and
 * are edited more often.
 */
function slugReadable(path: string): string {
  return path.replace(/\.(md|markdown)$/i, '');
}

function firstHeading(tree: Root): string | undefined {
  let title: string | undefined;
  walk(tree, (node) => {
    if (title === undefined && node.type === 'heading') title = textOf(node) || undefined;
  });
  return title;
}

/** `Phase N: ...` headings in order, each with the `Goal: ...` paragraph that follows it, if any. */
function phasesOf(tree: Root): Playbook['phases'] {
  const phases: Playbook['phases'] = [];
  walk(tree, (node, parent, i) => {
    if (node.type !== 'heading') return;
    const match = PHASE_HEADING.exec(textOf(node));
    if (!match) return;
    const phase: Playbook['phases'][number] = { title: match[1]! };
    const next = parent?.children[i + 1];
    if (next?.type === 'paragraph') {
      const line = textOf(next);
      if (GOAL.test(line)) phase.goal = line.replace(GOAL, '');
    }
    phases.push(phase);
  });
  return phases;
}

/**
 * The first table that is about severity: its section heading, the block just before it or its
 * own header mentions severity. Playbooks put it under a heading (`### Severity`) or right
 * after a step that says to assess severity "using the matrix below".
 */
function severityRows(tree: Root): Playbook['severity'] {
  let found: Table | undefined;
  let heading: Heading | undefined;
  walk(tree, (node, parent, i) => {
    if (found) return;
    if (node.type === 'heading') heading = node;
    if (node.type !== 'table') return;
    const header = node.children[0];
    const before = i > 0 ? parent?.children[i - 1] : undefined;
    const context = ([heading, before, header] as Array<Nodes | undefined>).flatMap((n) => (n ? [textOf(n)] : []));
    if (context.some((t) => SEVERITY.test(t))) found = node;
  });
  if (!found) return [];
  const [header, ...rows] = found.children;
  const names = uniqueNames((header?.children ?? []).map(textOf));
  return rows.map((row) => Object.fromEntries(names.map((name, i) => [name, row.children[i] ? textOf(row.children[i]!) : ''])));
}

/** Header texts as record keys: an empty one is `Column N`, a repeated one gets ` (2)`. */
function uniqueNames(texts: string[]): string[] {
  const seen = new Map<string, number>();
  return texts.map((text, i) => {
    const name = text || `Column ${i + 1}`;
    const n = (seen.get(name) ?? 0) + 1;
    seen.set(name, n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/**
 * Every technique id the text names (prose, tables, code, raw HTML, link targets), by id, with
 * where it is first named. Ids are matched in the source under each node, not in the node's
 * decoded value, so that positions are exact even next to escapes and entities.
 */
function techniqueMentions(tree: Root, text: string): Array<[string, { line: number; col: number }]> {
  const position = lineMap(text);
  const first = new Map<string, number>();
  const scan = (source: string, offset: number) => {
    for (const m of source.matchAll(TECHNIQUE_ID)) {
      const id = `T${m[1]}${m[2] ? `.${m[2]}` : ''}`;
      const at = offset + m.index;
      if (!first.has(id) || first.get(id)! > at) first.set(id, at);
    }
  };
  walk(tree, (node) => {
    const start = node.position?.start.offset;
    const end = node.position?.end.offset;
    if ('value' in node && typeof node.value === 'string') {
      if (start !== undefined && end !== undefined) scan(text.slice(start, end), start);
      else scan(node.value, 0);
    } else if ((node.type === 'link' || node.type === 'definition' || node.type === 'image') && start !== undefined && end !== undefined) {
      // The whole source, to reach the target (attack.mitre.org/techniques/T1078/004/); the
      // label's ids are found twice at the same offsets, which changes nothing.
      scan(text.slice(start, end), start);
    }
  });
  return [...first]
    .sort(([a], [b]) => compareText(a, b))
    .map(([id, offset]) => [id, position(offset)]);
}

/** Rules covering one of the ids or a sub-technique of one, in catalog (index) order. */
function coveringRules(ids: string[], index: CatalogIndex): RuleRef[] {
  const wanted = new Set(ids);
  const bySlug = new Map<string, RuleRef>();
  for (const technique of index.attack.techniques) {
    const parent = technique.id.split('.')[0]!;
    if (!wanted.has(technique.id) && !wanted.has(parent)) continue;
    for (const rule of technique.rules) bySlug.set(rule.slug, rule);
  }
  const order = new Map(index.rules.map((r, i) => [r.slug, i]));
  return [...bySlug.values()].sort((a, b) => (order.get(a.slug) ?? Infinity) - (order.get(b.slug) ?? Infinity) || compareText(a.slug, b.slug));
}

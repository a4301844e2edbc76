// Markdown as a syntax tree (mdast, via unified + remark-parse + remark-gfm for tables), and the
// few small utilities the catalog reads it with: a walk, the plain text of a node, and offsets to
// line:col. Each node keeps its source position, which is what diagnostics point at.

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Nodes, Parent, Root } from 'mdast';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import { unified } from 'unified';

export type MarkdownResult = { ok: true; tree: Root } | { ok: false; reason: 'too-complex' | 'failed'; message: string };

/**
 * Limits on container blocks (block quotes and list items), checked before parsing. The
 * parser's time grows with the square of their number and of their nesting (10,000 one-line
 * lists take over a minute) and 100,000 nested `>` exhaust its stack. A sample playbook has
 * about 60, nested two deep. Other inputs are slow in ways no cheap check foresees (80,000
 * unmatched `*`: half a minute), which is what timedMarkdownParser is for.
 */
export const MARKDOWN_LIMITS = { containers: 2_000, nesting: 32, indentColumns: 128 };

// One processor for every file: building it is the costly part, and it holds no per-file state.
let processor: ReturnType<typeof makeProcessor> | undefined;

function makeProcessor() {
  return unified().use(remarkParse).use(remarkGfm);
}

/**
 * Parses Markdown (CommonMark + GitHub tables). The parser recurses on nesting, so input such
 * as 100,000 `>` exhausts the stack: that is reported as a value, never thrown.
 */
export function parseMarkdown(text: string): MarkdownResult {
  const tooComplex = complexity(text);
  if (tooComplex) return { ok: false, reason: 'too-complex', message: tooComplex };
  processor ??= makeProcessor();
  try {
    return { ok: true, tree: processor.runSync(processor.parse(text)) as Root };
  } catch (error) {
    if (error instanceof RangeError) return { ok: false, reason: 'too-complex', message: 'the Markdown nests too deeply to be read' };
    return { ok: false, reason: 'failed', message: `the Markdown parser failed: ${(error as Error).message}` };
  }
}

const LIST_MARKER = /^(?:[-+*]|\d{1,9}[.)])(?=[ \t]|$)/;

/**
 * Why the text is beyond MARKDOWN_LIMITS, or undefined. A line-by-line over-estimate of the
 * container markers that open each line (`>`, `-`, `1.`) and of its indentation, cheap enough
 * to run before every parse.
 */
function complexity(text: string): string | undefined {
  let containers = 0;
  let line = 1;
  for (let i = 0; i < text.length; line++) {
    let end = text.indexOf('\n', i);
    if (end === -1) end = text.length;
    let markers = 0;
    let columns = 0;
    let at = i;
    while (at < end) {
      const c = text[at]!;
      if (c === ' ') columns++;
      else if (c === '\t') columns += 4;
      else if (c === '>') markers++;
      else {
        const marker = LIST_MARKER.exec(text.slice(at, Math.min(end, at + 11)));
        if (!marker) break;
        markers++;
        at += marker[0].length;
        continue;
      }
      at++;
    }
    if (markers > MARKDOWN_LIMITS.nesting) return `line ${line} opens ${markers} nested quotes or lists, more than the ${MARKDOWN_LIMITS.nesting} a playbook may have`;
    if (columns > MARKDOWN_LIMITS.indentColumns) return `line ${line} is indented ${columns} columns, more than the ${MARKDOWN_LIMITS.indentColumns} a playbook may have`;
    containers += markers;
    if (containers > MARKDOWN_LIMITS.containers) return `the file opens more than ${MARKDOWN_LIMITS.containers} quotes and list items (at line ${line}), more than a playbook may have`;
    i = end + 1;
  }
  return undefined;
}

/**
 * Calls `visit` on every node in document order, with its parent and index there. Iterative:
 * a tree the parser managed to build may still be deeper than the call stack.
 */
export function walk(tree: Nodes, visit: (node: Nodes, parent: Parent | undefined, index: number) => void): void {
  const stack: Array<{ node: Nodes; parent: Parent | undefined; index: number }> = [{ node: tree, parent: undefined, index: 0 }];
  while (stack.length > 0) {
    const { node, parent, index } = stack.pop()!;
    visit(node, parent, index);
    if ('children' in node) {
      for (let i = node.children.length - 1; i >= 0; i--) stack.push({ node: node.children[i]!, parent: node, index: i });
    }
  }
}

/** The text a reader sees: literal values joined, markup and raw HTML tags left out, whitespace runs as one space. */
export function textOf(node: Nodes): string {
  const parts: string[] = [];
  walk(node, (n) => {
    if (n.type === 'text' || n.type === 'inlineCode') parts.push(n.value);
    else if (n.type === 'break') parts.push(' ');
  });
  return parts.join('').replace(/\s+/g, ' ').trim();
}

/** Maps string offsets to 1-based line and column (UTF-16 code units, as the parser counts). */
export function lineMap(text: string): (offset: number) => { line: number; col: number } {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, col: offset - starts[lo]! + 1 };
  };
}

export interface TimedParser {
  parse(text: string): Promise<MarkdownResult>;
  /** Ends the worker thread; the parser cannot be used after. */
  close(): Promise<void>;
}

/**
 * parseMarkdown on a worker thread, given up after `timeoutMs` per text (the thread is ended
 * and the next text gets a new one): a reader of many files stays bounded in time whatever
 * one of them holds. From the TypeScript sources (tests), where the compiled worker script
 * does not exist, it parses on the calling thread without a limit.
 */
export function timedMarkdownParser(timeoutMs: number): TimedParser {
  const script = new URL('./markdown-worker.js', import.meta.url);
  if (!existsSync(fileURLToPath(script))) return { parse: async (text) => parseMarkdown(text), close: async () => {} };
  let worker: Worker | undefined;
  return {
    parse(text) {
      const current = (worker ??= new Worker(script));
      return new Promise((resolve) => {
        const end = (result: MarkdownResult, stop: boolean) => {
          clearTimeout(timer);
          current.off('message', onMessage);
          current.off('error', onError);
          if (stop) {
            worker = undefined;
            void current.terminate();
          }
          resolve(result);
        };
        const onMessage = (result: MarkdownResult) => end(result, false);
        const onError = (error: Error) => end({ ok: false, reason: 'failed', message: `the Markdown parser failed: ${error.message}` }, true);
        const timer = setTimeout(
          () => end({ ok: false, reason: 'too-complex', message: `the Markdown took longer than ${timeoutMs / 1000} s to parse` }, true),
          timeoutMs,
        );
        current.on('message', onMessage);
        current.on('error', onError);
        current.postMessage(text);
      });
    },
    async close() {
      await worker?.terminate();
      worker = undefined;
    },
  };
}

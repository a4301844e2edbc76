// Markdown from rules and playbooks (descriptions, runbooks, playbook files) as safe HTML:
// remark-parse (+ GFM tables and autolinks) → remark-rehype → rehype-sanitize → rehype-stringify.
// The text is untrusted, so:
// - raw HTML is shown as the text it is (a description that says `<script>` or `<host>` keeps
//   saying it) instead of being dropped or passed through;
// - the sanitizer (GitHub's schema) removes scripts, event handlers and non-http(s) links;
// - after it, links keep an href only for http(s) and mailto addresses, and get
//   rel="noopener noreferrer"; relative links (into the rule's own repository) become text, as
//   they would be broken links here; images become their alt text (the site makes no request
//   to the network);
// - headings move down (a description's `#` must not outrank the page's own headings).
//
// Most descriptions are plain sentences. Parsing Markdown costs ~0.3 ms each, a second over a
// large corpus, so text that holds nothing Markdown could read as markup skips the parser and
// is built as the paragraphs the parser would give; a test holds the two paths to the same bytes.

import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent, Text as HastText } from 'hast';
import { toHtml } from 'hast-util-to-html';
import type { Root as MdastRoot, RootContent as MdastContent, Parent as MdastParent } from 'mdast';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified, type Processor } from 'unified';

export interface MarkdownOptions {
  /** Levels to move headings down by: 2 turns `#` into `<h3>`. */
  headingOffset?: number;
}

type MarkdownProcessor = Processor<MdastRoot, MdastRoot, HastRoot, HastRoot, string>;

const processors = new Map<string, MarkdownProcessor>();

function processorFor(offset: number, gfm: boolean): MarkdownProcessor {
  const key = `${offset}${gfm ? '+gfm' : ''}`;
  let p = processors.get(key);
  if (!p) {
    const base = unified().use(remarkParse);
    p = (gfm ? base.use(remarkGfm) : base)
      .use(rawHtmlAsText)
      .use(remarkRehype)
      .use(rehypeSanitize, defaultSchema)
      .use(finishHtml, offset)
      .use(rehypeStringify)
      .freeze() as unknown as MarkdownProcessor;
    processors.set(key, p);
  }
  return p;
}

export function markdownToHtml(markdown: string, options: MarkdownOptions = {}): string {
  const offset = options.headingOffset ?? 0;
  if (isPlainText(markdown)) return toHtml(plainParagraphs(markdown));
  return String(processorFor(offset, needsGfm(markdown)).processSync(markdown));
}

/** The same without the shortcuts: always the full GFM pipeline (tests hold the shortcuts to it). */
export function markdownToHtmlSlow(markdown: string, options: MarkdownOptions = {}): string {
  return String(processorFor(options.headingOffset ?? 0, true).processSync(markdown));
}

/**
 * GFM's extensions (tables, strikethrough, task lists, footnotes, bare links) all start from
 * one of these; text without them reads the same in CommonMark, which parses twice as fast.
 */
const GFM_SYNTAX = /[|~[@]|https?:|mailto:|xmpp:|www\./i;

export function needsGfm(text: string): boolean {
  return GFM_SYNTAX.test(text);
}

/**
 * What no Markdown construct (CommonMark + GFM) can start from. Conservative: any doubt parses.
 * Two common cases are let through: `_` between ASCII letters or digits (`user_name`: such an
 * underscore can neither open nor close emphasis) and `\` before one (`C:\Windows`: only
 * punctuation can be escaped).
 */
const INLINE_SYNTAX = /[`*[\]<>&!|~@\u0000-\u0008\u000b-\u001f]|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])|\\(?![A-Za-z0-9])|https?:|mailto:|xmpp:|www\./i;
const BLOCK_SYNTAX = /^[ ]{0,3}(?:[-+*#>=]|\d{1,9}[.)])| {4}|\t| $/m;

export function isPlainText(text: string): boolean {
  return !INLINE_SYNTAX.test(text) && !BLOCK_SYNTAX.test(text);
}

/** Paragraphs split at blank lines, each line trimmed: what the parser makes of plain text. */
function plainParagraphs(text: string): HastRoot {
  const children: HastContent[] = [];
  for (const block of text.split(/\n[ ]*\n/)) {
    const lines = block.split('\n').map((l) => l.replace(/^ +| +$/g, '')).filter((l) => l !== '');
    if (lines.length === 0) continue;
    if (children.length > 0) children.push({ type: 'text', value: '\n' });
    children.push({ type: 'element', tagName: 'p', properties: {}, children: [{ type: 'text', value: lines.join('\n') }] });
  }
  return { type: 'root', children };
}

/** remark plugin: raw HTML nodes become text (block-level ones, a paragraph of text). */
function rawHtmlAsText() {
  return (tree: MdastRoot) => {
    const walk = (parent: MdastParent, block: boolean) => {
      parent.children = parent.children.map((child) => {
        if (child.type === 'html') {
          const text = { type: 'text' as const, value: child.value };
          return (block ? { type: 'paragraph', children: [text] } : text) as MdastContent;
        }
        if ('children' in child) walk(child as MdastParent, BLOCK_PARENTS.has(child.type));
        return child;
      }) as MdastParent['children'];
    };
    walk(tree, true);
  };
}

const BLOCK_PARENTS = new Set(['root', 'blockquote', 'listItem', 'footnoteDefinition']);

/** rehype plugin, after the sanitizer: links, images and headings as the site wants them. */
function finishHtml(offset: number) {
  return (tree: HastRoot) => {
    const walk = (parent: { children: Array<HastContent | ElementContent> }) => {
      const out: Array<HastContent | ElementContent> = [];
      for (const child of parent.children) {
        if (child.type !== 'element') {
          out.push(child);
          continue;
        }
        walk(child);
        if (child.tagName === 'img') {
          const alt = child.properties['alt'];
          if (typeof alt === 'string' && alt !== '') out.push({ type: 'text', value: alt } satisfies HastText);
          continue;
        }
        if (child.tagName === 'a') {
          const href = child.properties['href'];
          if (typeof href !== 'string' || !/^(?:https?:|mailto:)/i.test(href)) {
            out.push(...child.children);
            continue;
          }
          if (!/^mailto:/i.test(href)) child.properties['rel'] = ['noopener', 'noreferrer'];
        }
        const level = /^h([1-6])$/.exec(child.tagName);
        if (level && offset > 0) (child as Element).tagName = `h${Math.min(6, Number(level[1]) + offset)}`;
        out.push(child);
      }
      parent.children = out;
    };
    walk(tree);
  };
}

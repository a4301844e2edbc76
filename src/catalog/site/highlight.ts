// Syntax highlighting for the code the catalog shows (Sigma and Panther YAML, Panther's Python;
// queries and conditions as plain text): a tokenizer per language, and one emitter that escapes
// every token's text and wraps each source line in a span.
//
// This is the one place TypeScript writes markup, on purpose: a corpus has over a million
// tokens, and rendering them through a template (or a hast tree) cost seconds where string
// building costs tens of milliseconds. The markup is fixed (a span per line, a span per
// coloured token, class names from TOKEN_CLASSES) and every piece of source text goes through
// escapeText, so what the rule says can never become markup. Pages place the result with a
// triple-stash, the only HTML they take from code besides the Markdown sanitizer's.

export type TokenKind =
  | 'comment'
  | 'string'
  | 'number'
  | 'literal'
  | 'keyword'
  | 'builtin'
  | 'function'
  | 'decorator'
  | 'key'
  | 'punct'
  | 'meta'
  | 'plain';

export interface Token {
  kind: TokenKind;
  text: string;
}

export type Language = 'yaml' | 'python' | 'text';

/** The CSS class of each kind (styles in templates/site/assets/style.css); plain text has none. */
const TOKEN_CLASSES: Record<TokenKind, string> = {
  comment: 't-c',
  string: 't-s',
  number: 't-n',
  literal: 't-l',
  keyword: 't-k',
  builtin: 't-b',
  function: 't-f',
  decorator: 't-d',
  key: 't-y',
  punct: '',
  meta: 't-m',
  plain: '',
};

const TEXT_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const TEXT_SPECIAL = /[&<>]/;
const TEXT_SPECIALS = /[&<>]/g;

/** Text as element content: `&`, `<` and `>` are all that can start markup there. */
export function escapeText(text: string): string {
  return TEXT_SPECIAL.test(text) ? text.replace(TEXT_SPECIALS, (c) => TEXT_ESCAPES[c]!) : text;
}

/** A value for a double-quoted attribute. */
function escapeAttribute(text: string): string {
  return escapeText(text).replace(/"/g, '&quot;');
}

export interface HighlightOptions {
  /** Give every line an id, `<prefix>-L<n>`, so that a page can link to a line. */
  anchors?: string;
}

/**
 * The source as HTML for a <pre>: with a language, one `<span class="l">` per line (numbered by
 * CSS) and coloured tokens inside; `text` is escaped only. Tokens that span lines (triple-quoted
 * strings, block scalars) are closed and reopened at each line end.
 */
export function highlight(source: string, language: Language, options: HighlightOptions = {}): string {
  if (language === 'text') return escapeText(source);
  const anchor = options.anchors === undefined ? undefined : escapeAttribute(options.anchors);
  // Pieces joined once at the end: one flat string, instead of a rope of small concatenations
  // for the garbage collector to follow and free.
  const out: string[] = [];
  let n = 1;
  const startLine = () => {
    out.push(anchor === undefined ? '<span class="l">' : `<span class="l" id="${anchor}-L${n}">`);
  };
  const endLine = () => {
    out.push('</span>\n');
    n++;
    startLine();
  };
  const add = (cls: string, text: string) => {
    if (text === '') return;
    if (cls) out.push('<span class="', cls, '">', escapeText(text), '</span>');
    else out.push(escapeText(text));
  };
  // Tokens go straight to markup (no token list): this runs over every rule of a corpus.
  const sink: Sink = (kind, text) => {
    if (text === '\n') return endLine();
    const cls = TOKEN_CLASSES[kind];
    if (text.indexOf('\n') < 0) return add(cls, text);
    const parts = text.split('\n');
    for (let i = 0; i < parts.length; i++) {
      if (i > 0) endLine();
      add(cls, parts[i]!);
    }
  };
  startLine();
  if (language === 'python') scanPython(source, sink);
  else scanYaml(source, sink);
  // A final newline ends the last line; it does not start an empty one.
  if (source.endsWith('\n')) out.pop();
  else out.push('</span>\n');
  return out.join('');
}

/** Receives the tokens of a source in order; their texts concatenate to the source. */
type Sink = (kind: TokenKind, text: string) => void;

/** The tokens as a list (tests, and anyone who wants them without markup). */
function collect(scan: (source: string, sink: Sink) => void, source: string): Token[] {
  const tokens: Token[] = [];
  scan(source, (kind, text) => {
    const last = tokens[tokens.length - 1];
    // Adjacent plain text is one token.
    if (last && kind === 'plain' && last.kind === 'plain') last.text += text;
    else tokens.push({ kind, text });
  });
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Python

const PY_KEYWORDS = new Set(
  'and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case'.split(' '),
);
const PY_LITERALS = new Set(['True', 'False', 'None']);
const PY_BUILTINS = new Set(
  'abs all any bool bytes dict enumerate filter float frozenset getattr hasattr int isinstance issubclass iter len list map max min next object print range repr reversed round set sorted str sum tuple type zip super Exception KeyError ValueError TypeError'.split(' '),
);

// Alternatives in priority order; each group is one token kind. Unterminated strings end at the
// line end (single-quoted) or at the end of the source (triple-quoted), as an editor shows them.
const PY_TOKEN = new RegExp(
  [
    /(#[^\n]*)/.source,
    /((?:[rRbBuUfF]{1,2})?(?:"""[\s\S]*?(?:"""|$(?![\s\S]))|'''[\s\S]*?(?:'''|$(?![\s\S]))))/.source,
    /((?:[rRbBuUfF]{1,2})?(?:"(?:[^"\\\n]|\\[\s\S])*"?|'(?:[^'\\\n]|\\[\s\S])*'?))/.source,
    /(0[xXoObB][\da-fA-F_]+|\d[\d_]*(?:\.[\d_]*)?(?:[eE][+-]?\d+)?[jJ]?|\.\d[\d_]*(?:[eE][+-]?\d+)?[jJ]?)/.source,
    /(@[A-Za-z_][\w.]*)/.source,
    /([A-Za-z_\u00c0-\uffff][\w\u00c0-\uffff]*)/.source,
    /([^\S\n]+)/.source,
    /(\n)/.source,
    /([\s\S])/.source,
  ].join('|'),
  'y',
);

export function tokenizePython(source: string): Token[] {
  return collect(scanPython, source);
}

function scanPython(source: string, sink: Sink): void {
  let afterDef = false;
  PY_TOKEN.lastIndex = 0;
  while (PY_TOKEN.lastIndex < source.length) {
    const m = PY_TOKEN.exec(source)!;
    const text = m[0];
    let kind: TokenKind;
    if (m[1] !== undefined) kind = 'comment';
    else if (m[2] !== undefined || m[3] !== undefined) kind = 'string';
    else if (m[4] !== undefined) kind = 'number';
    else if (m[5] !== undefined) kind = 'decorator';
    else if (m[6] !== undefined) {
      kind = afterDef ? 'function' : PY_KEYWORDS.has(text) ? 'keyword' : PY_LITERALS.has(text) ? 'literal' : PY_BUILTINS.has(text) ? 'builtin' : 'plain';
    } else kind = 'plain';
    if (m[7] === undefined && m[8] === undefined) afterDef = kind === 'keyword' && (text === 'def' || text === 'class');
    sink(kind, text);
  }
}

// ---------------------------------------------------------------------------------------------
// YAML: line by line, which is how rule files are written (block style, the odd flow map).
// Sticky expressions scan each line in place, without cutting it up.

const Y_SPACE = /[ \t]+/y;
const Y_DOCUMENT = /(?:---|\.\.\.)(?=\s|$)/y;
const Y_DASH = /-(?=\s|$)/y;
const Y_KEY = /("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{}[\],&*!|>%@`-][^#]*?|-[^\s#][^#]*?)(\s*):(?=\s|$)/y;
const Y_BLOCK = /[|>][+-]?[1-9]?[+-]?(?=\s|$)/y;
const Y_PROPERTY = /[&*!][^\s,[\]{}]+/y;
const Y_QUOTED = /"(?:[^"\\]|\\.)*"?|'(?:[^']|'')*'?/y;
const Y_COMMENT_START = /[ \t]#/g;
const Y_FLOW_SCALAR = /(?:[^\s,{}[\]:#]|:(?=\S)|#(?<=\S#))+/y;
const Y_NUMBER = /^[-+]?(?:\d[\d_]*(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?|0x[\da-fA-F]+|0o[0-7]+|\.inf|\.Inf|\.INF|\.nan|\.NaN|\.NAN)$/;
const Y_LITERALS = new Set(['true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'null', 'Null', 'NULL', '~']);

export function tokenizeYaml(source: string): Token[] {
  return collect(scanYaml, source);
}

function scanYaml(source: string, sink: Sink): void {
  // Inside a block scalar (`description: |`): lines indented past its parent are text.
  let blockParent = -1;
  let start = 0;
  for (;;) {
    let end = source.indexOf('\n', start);
    if (end < 0) end = source.length;
    const line = source.slice(start, end);
    let inBlock = false;
    if (blockParent >= 0) {
      const indent = line.length - line.trimStart().length;
      inBlock = line.trim() === '' || indent > blockParent;
    }
    if (inBlock) {
      if (line !== '') sink('string', line);
    } else blockParent = yamlLine(line, sink);
    if (end === source.length) break;
    sink('plain', '\n');
    start = end + 1;
  }
}

/** One line; returns the parent column of a block scalar the line opens, or -1. */
function yamlLine(line: string, sink: Sink): number {
  let at = 0;
  const take = (kind: TokenKind, to: number) => {
    if (to > at) sink(kind, line.slice(at, to));
    at = to;
  };
  const sticky = (re: RegExp): RegExpExecArray | null => {
    re.lastIndex = at;
    return re.exec(line);
  };
  const space = () => {
    if (sticky(Y_SPACE)) take('plain', Y_SPACE.lastIndex);
  };

  space();
  if (at === 0 && sticky(Y_DOCUMENT)) take('punct', 3);
  let parent = at;
  for (;;) {
    space();
    if (!sticky(Y_DASH)) break;
    parent = at;
    take('punct', at + 1);
  }
  if (line.charCodeAt(at) === 35 /* # */) {
    take('comment', line.length);
    return -1;
  }
  const key = sticky(Y_KEY);
  if (key) {
    parent = at;
    take('key', at + key[1]!.length);
    take('plain', at + key[2]!.length);
    take('punct', at + 1);
  }

  let block = -1;
  while (at < line.length) {
    if (sticky(Y_SPACE)) {
      take('plain', Y_SPACE.lastIndex);
      continue;
    }
    const c = line[at]!;
    if (c === '#') {
      take('comment', line.length);
      break;
    }
    if (sticky(Y_BLOCK)) {
      take('punct', Y_BLOCK.lastIndex);
      block = parent;
      continue;
    }
    if (sticky(Y_PROPERTY)) {
      take('meta', Y_PROPERTY.lastIndex);
      continue;
    }
    if (c === '{' || c === '[') {
      yamlFlow(line, at, sink);
      break;
    }
    if ((c === '"' || c === "'") && sticky(Y_QUOTED)) {
      take('string', Y_QUOTED.lastIndex);
      continue;
    }
    // A plain scalar runs to the end of the line or to a comment (` #`).
    Y_COMMENT_START.lastIndex = at;
    const comment = Y_COMMENT_START.exec(line);
    let to = comment ? comment.index : line.length;
    while (to > at && (line[to - 1] === ' ' || line[to - 1] === '\t')) to--;
    const value = line.slice(at, to);
    take(Y_NUMBER.test(value) ? 'number' : Y_LITERALS.has(value) ? 'literal' : 'string', to);
  }
  return block;
}

/** A flow collection (`{a: 1, b: [x, y]}`) from `from` to the end of the line. */
function yamlFlow(line: string, from: number, sink: Sink): void {
  let at = from;
  const take = (kind: TokenKind, to: number) => {
    if (to > at) sink(kind, line.slice(at, to));
    at = to;
  };
  const keyFollows = (to: number) => {
    let i = to;
    while (line[i] === ' ' || line[i] === '\t') i++;
    return line[i] === ':';
  };
  while (at < line.length) {
    const c = line[at]!;
    Y_SPACE.lastIndex = at;
    if (Y_SPACE.exec(line)) take('plain', Y_SPACE.lastIndex);
    else if ('{}[],:'.includes(c)) take('punct', at + 1);
    else if (c === '#' && at > 0 && /\s/.test(line[at - 1]!)) take('comment', line.length);
    else {
      let to = at + 1;
      let kind: TokenKind = 'string';
      if (c === '"' || c === "'") {
        Y_QUOTED.lastIndex = at;
        if (Y_QUOTED.exec(line)) to = Y_QUOTED.lastIndex;
      } else {
        Y_FLOW_SCALAR.lastIndex = at;
        if (Y_FLOW_SCALAR.exec(line)) to = Y_FLOW_SCALAR.lastIndex;
        const value = line.slice(at, to);
        kind = Y_NUMBER.test(value) ? 'number' : Y_LITERALS.has(value) ? 'literal' : 'string';
      }
      take(keyFollows(to) ? 'key' : kind, to);
    }
  }
}

// The site's templates compiled to plain JavaScript functions: Handlebars parses them (its
// parser, with its whitespace control), and this turns the syntax tree into one function per
// template that builds the page with direct property reads and string appends.
//
// Why not Handlebars' own compiler: its templates run every `#if` and `#each` as a helper call
// with an options object and a program wrapper, and every property read through a guarded
// lookup; over the 41,000 pages of a large corpus that was most of the time spent rendering
// (~2 s of 3). The site uses a small part of the language, and this compiles exactly that part
// with the same meaning as Handlebars 4.7 compiled with the site's options (knownHelpersOnly,
// no data, preventIndent, not strict):
//
// - `{{path}}` (escaped as Handlebars escapes) and `{{{path}}}` (as is), `this` and dotted
//   paths; a path through a missing value is empty; only a value's own properties are read
//   (Handlebars refuses properties from prototypes by default); a function value is called;
// - `{{#if path}}`, `{{#unless path}}` (false, empty and empty lists take the `{{else}}`) and
//   `{{#each path}}` (lists, iterables and objects' own keys; `{{else}}` when there is nothing);
// - partials `{{> name}}`, `{{> name path}}`, `{{> name key=path ...}}`;
// - comments.
//
// Anything else (helpers, `../`, `@data`, literals, partial blocks, decorators) is refused when
// the template is compiled, so a template can never mean something else here than in
// Handlebars. test/unit/catalog-templates.test.ts renders the site both ways.

import { createRequire } from 'node:module';

const Handlebars = createRequire(import.meta.url)('handlebars') as typeof import('handlebars');

/** A compiled template: the page for a context, partials looked up by name when it runs. */
export type Template = (context: unknown) => string;

interface Node {
  type: string;
  loc?: { start: { line: number; column: number } };
}
interface Program extends Node {
  body: Node[];
}
interface PathExpression extends Node {
  type: 'PathExpression';
  original: string;
  parts: string[];
  depth: number;
  data: boolean;
}
interface Hash extends Node {
  pairs: Array<{ key: string; value: Node }>;
}
interface Mustache extends Node {
  path: Node;
  params: Node[];
  hash?: Hash;
  escaped: boolean;
}
interface Block extends Mustache {
  program: Program;
  inverse?: Program;
}
interface Partial extends Node {
  name: Node;
  params: Node[];
  hash?: Hash;
  indent?: string;
}

/**
 * Compiles one template's text; `partials` is read when the template runs (so partials may be
 * registered in any order). Throws on anything outside the supported part of the language.
 */
export function compileTemplate(text: string, name: string, partials: ReadonlyMap<string, Template>): Template {
  const ast = Handlebars.parse(text) as unknown as Program;
  const functions: string[] = [];
  const program = (p: Program): string => {
    const id = `p${functions.length}`;
    functions.push('');
    const body = p.body.map((node) => statement(node, name)).join('\n');
    functions[Number(id.slice(1))] = `function ${id}(c) {\nlet o = '';\n${body}\nreturn o;\n}`;
    return id;
  };

  const statement = (node: Node, where: string): string => {
    switch (node.type) {
      case 'ContentStatement': {
        const value = (node as Node & { value: string }).value;
        return value ? `o += ${JSON.stringify(value)};` : '';
      }
      case 'CommentStatement':
        return '';
      case 'MustacheStatement': {
        const m = node as Mustache;
        if (m.params.length > 0 || m.hash) refuse(m, where, 'a helper call');
        const value = `F(${path(m.path, where)}, c)`;
        return m.escaped ? `o += E(${value});` : `{ const v = ${value}; if (v != null) o += v; }`;
      }
      case 'BlockStatement': {
        const b = node as Block;
        const helper = b.path.type === 'PathExpression' ? (b.path as PathExpression).original : '';
        if (!['if', 'unless', 'each'].includes(helper) || b.params.length !== 1 || b.hash) refuse(b, where, `the block helper '${helper}' with these arguments`);
        const value = path(b.params[0]!, where);
        const fn = program(b.program);
        const inverse = b.inverse ? program(b.inverse) : undefined;
        // Helpers run with the context, or an empty object where there is none.
        const self = 'const s = c != null ? c : {};';
        if (helper === 'each') return `{ ${self} o += EACH(${value}, s, ${fn}, ${inverse ?? 'undefined'}); }`;
        const [yes, no] = helper === 'if' ? [fn, inverse] : [inverse, fn];
        return `{ ${self} if (TRUE(${value}, s)) { ${yes ? `o += ${yes}(s);` : ''} } else { ${no ? `o += ${no}(s);` : ''} } }`;
      }
      case 'PartialStatement': {
        const p = node as Partial;
        if (p.name.type !== 'PathExpression' || p.params.length > 1) refuse(p, where, 'a dynamic partial or one with several arguments');
        let context = p.params.length === 1 ? path(p.params[0]!, where) : 'c';
        if (p.hash) context = `X(${context}, {${p.hash.pairs.map((pair) => `${JSON.stringify(pair.key)}: ${path(pair.value, where)}`).join(', ')}})`;
        // preventIndent: a standalone partial's indentation is printed once, before it.
        const indent = p.indent ? `o += ${JSON.stringify(p.indent)}; ` : '';
        return `${indent}o += P(${JSON.stringify((p.name as PathExpression).original)}, ${context});`;
      }
      default:
        return refuse(node, where, `a ${node.type}`);
    }
  };

  const path = (node: Node, where: string): string => {
    if (node.type !== 'PathExpression') return refuse(node, where, `a ${node.type} argument`);
    const p = node as PathExpression;
    if (p.data || p.depth > 0) refuse(p, where, `the path ${p.original}`);
    return p.parts.reduce((expr, part) => `L(${expr}, ${JSON.stringify(part)})`, 'c');
  };

  const main = program(ast);
  const source = `${functions.join('\n')}\nreturn ${main};`;
  const make = new Function('L', 'E', 'F', 'TRUE', 'EACH', 'X', 'P', source) as (...runtime: unknown[]) => Template;
  const P = (partial: string, context: unknown) => {
    const template = partials.get(partial);
    if (!template) throw new Error(`${name}: the partial ${partial} could not be found`);
    return template(context);
  };
  return make(lookup, escapeExpression, lambda, truthy, each, extend, P);
}

function refuse(node: Node, where: string, what: string): never {
  const at = node.loc ? `:${node.loc.start.line}:${node.loc.start.column + 1}` : '';
  throw new Error(`${where}${at}: the site's templates do not support ${what}`);
}

// ---------------------------------------------------------------------------------------------
// The runtime: Handlebars 4.7's meaning for each construct.

const hasOwn = Object.prototype.hasOwnProperty;

/** A path segment: own properties only (and never a prototype's constructor), through nothing is nothing. */
function lookup(parent: unknown, name: string): unknown {
  if (parent == null) return parent;
  const value = (parent as Record<string, unknown>)[name];
  if (value == null) return value;
  if (hasOwn.call(parent, name) && !(name === 'constructor' && typeof value === 'function' && (value as { prototype?: unknown }).prototype === parent)) return value;
  return undefined;
}

/** A function value stands for what it returns, called on the context. */
function lambda(value: unknown, context: unknown): unknown {
  return typeof value === 'function' ? (value as (this: unknown) => unknown).call(context) : value;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;', '`': '&#x60;', '=': '&#x3D;' };
const BAD = /[&<>"'`=]/g;
const POSSIBLE = /[&<>"'`=]/;

/** Handlebars.escapeExpression. */
export function escapeExpression(value: unknown): string {
  let text: string;
  if (typeof value !== 'string') {
    if (value && typeof (value as { toHTML?: unknown }).toHTML === 'function') return (value as { toHTML: () => string }).toHTML();
    if (value == null) return '';
    if (!value) return `${value as string}`;
    text = `${value as string}`;
  } else text = value;
  return POSSIBLE.test(text) ? text.replace(BAD, (c) => ESCAPES[c]!) : text;
}

/** `#if`: false, empty and empty lists are false (zero too: no includeZero). */
function truthy(value: unknown, self: unknown): boolean {
  const v = typeof value === 'function' ? (value as (this: unknown) => unknown).call(self) : value;
  return !(!v || (Array.isArray(v) && v.length === 0));
}

/** `#each`: each item of a list or iterable, each own value of an object; `else` when none. */
function each(value: unknown, self: unknown, fn: Template, inverse: Template | undefined): string {
  const v = typeof value === 'function' ? (value as (this: unknown) => unknown).call(self) : value;
  let out = '';
  let n = 0;
  if (v && typeof v === 'object') {
    if (Array.isArray(v)) {
      for (; n < v.length; n++) if (n in v) out += fn(v[n]);
    } else if (typeof (v as Iterable<unknown>)[Symbol.iterator] === 'function') {
      for (const item of v as Iterable<unknown>) {
        out += fn(item);
        n++;
      }
    } else {
      for (const key of Object.keys(v)) {
        out += fn((v as Record<string, unknown>)[key]);
        n++;
      }
    }
  }
  return n === 0 && inverse ? inverse(self) : out;
}

/** A partial's context with its hash arguments: Handlebars' Utils.extend({}, context, hash). */
function extend(context: unknown, hash: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (context != null) for (const key in context as object) if (hasOwn.call(context, key)) out[key] = (context as Record<string, unknown>)[key];
  for (const key in hash) if (hasOwn.call(hash, key)) out[key] = hash[key];
  return out;
}

// YAML text -> positioned value trees, one per document, for the front ends. Aliases are
// resolved here under a budget (alias bombs), nesting is bounded, and every problem becomes a
// diagnostic with a line and column instead of an exception.

import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Schema, visit, type Alias, type Document, type Node as YamlNode, type ScalarTag, type Tags } from 'yaml';
import { readFastYaml, type PlainResolver } from './yaml-fast.js';
import { diagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';

export interface YBase extends Position {
  /** Offset of the node's first character in the file. */
  offset: number;
}

export interface YMap extends YBase {
  kind: 'map';
  entries: YEntry[];
}

export interface YEntry {
  key: string;
  keyPos: YBase;
  value: YNode;
}

export interface YSeq extends YBase {
  kind: 'seq';
  items: YNode[];
}

export interface YScalar extends YBase {
  kind: 'scalar';
  value: string | number | boolean | null;
  /** The scalar as written (without quotes), e.g. `2023-01-01` for a date. */
  source: string;
}

export type YNode = YMap | YSeq | YScalar;

export interface YamlDocument {
  /** Position of the document's content. */
  position: Position;
  /** The document's own text (for showing a rule body), and its offset in the file. */
  text: string;
  start: number;
  tree?: YNode;
  diagnostics: Diagnostic[];
}

export interface YamlOptions {
  /**
   * `1.1` types plain scalars the way PyYAML does, which is what Sigma tools read rules with
   * (`yes`/`no`/`on`/`off` are booleans); `1.2` is the core schema (Panther's reading).
   */
  version: '1.1' | '1.2';
  /** Use the fast reader where it applies (default); false always uses the yaml package. */
  fast?: boolean;
  maxDepth?: number;
  /** Nodes an alias may expand to in total, per document. */
  maxAliasNodes?: number;
}

const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_ALIAS_NODES = 10_000;

/**
 * Reads every document of a YAML text. Plain block YAML goes through the fast reader
 * (yaml-fast.ts); anything else, and every file with an error, through the yaml package.
 * A document's text runs from its `---` line (the file start for the first) to the next one.
 */
export function parseYamlDocuments(text: string, options: YamlOptions): YamlDocument[] {
  const fast = options.fast === false ? undefined : readFastYaml(text, plainResolver(options.version));
  if (fast) {
    return fast.map((d, k) => {
      const start = k === 0 ? 0 : d.start;
      const doc: YamlDocument = { position: d.position, text: text.slice(start, fast[k + 1]?.start ?? text.length), start, diagnostics: [] };
      if (d.tree) doc.tree = d.tree;
      return doc;
    });
  }
  return parseWithYamlPackage(text, options);
}

const resolvers = new Map<string, PlainResolver>();

/** Plain scalars typed exactly as the yaml package types them under the same options. */
export function plainResolver(version: YamlOptions['version']): PlainResolver {
  let resolve = resolvers.get(version);
  if (!resolve) {
    const schema = new Schema(version === '1.1' ? { schema: 'yaml-1.1', customTags: pyyamlTags } : { schema: 'core' });
    const tags = schema.tags.filter((t): t is ScalarTag => t.default === true && !!t.test && !('collection' in t && t.collection));
    resolve = (text) => {
      const tag = tags.find((t) => t.test!.test(text));
      if (!tag) return text;
      // Timestamps stay their text (see scalarValue): no need to build a Date first.
      if (tag.tag === 'tag:yaml.org,2002:timestamp') return text;
      const value: unknown = tag.resolve(text, () => {}, {} as never);
      return scalarValue(isScalar(value) ? value.value : value, text);
    };
    resolvers.set(version, resolve);
  }
  return resolve;
}

function parseWithYamlPackage(text: string, options: YamlOptions): YamlDocument[] {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, {
    version: options.version,
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
    ...(options.version === '1.1' ? { customTags: pyyamlTags } : {}),
  });
  const at = (offset: number): Position => {
    const p = lines.linePos(offset);
    return { line: p.line, col: p.col };
  };
  if (!Array.isArray(docs)) return [];
  return docs.map((doc, k) => {
    const start = k === 0 ? 0 : doc.range[0];
    const end = k + 1 < docs.length ? docs[k + 1]!.range[0] : text.length;
    return convertDocument(doc, text.slice(start, end), start, at, options);
  });
}

/**
 * PyYAML's resolvers differ from the YAML 1.1 specification the yaml package follows: `y` and
 * `n` stay strings, a decimal integer has no leading zero, and a float needs a digit before its
 * dot (and a signed exponent).
 */
const PYYAML_TESTS: Record<string, RegExp> = {
  '^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$': /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/,
  '^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$': /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/,
  '^[-+]?[0-9][0-9_]*$': /^[-+]?(?:0|[1-9][0-9_]*)$/,
  '^[-+]?(?:[0-9][0-9_]*)?(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)[eE][-+][0-9]+$/,
  '^[-+]?(?:[0-9][0-9_]*)?\\.[0-9_]*$': /^(?:[-+]?[0-9][0-9_]*\.[0-9_]*|\.[0-9_]+)$/,
};

function pyyamlTags(tags: Tags): Tags {
  return tags.map((tag) => {
    if (typeof tag !== 'object' || !('test' in tag) || !tag.test || 'collection' in tag) return tag;
    const replacement = PYYAML_TESTS[tag.test.source];
    return replacement ? ({ ...tag, test: replacement } as ScalarTag) : tag;
  });
}

function convertDocument(
  doc: Document.Parsed,
  text: string,
  start: number,
  at: (offset: number) => Position,
  options: YamlOptions,
): YamlDocument {
  const diagnostics: Diagnostic[] = [];
  for (const error of doc.errors) {
    const code = error.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax';
    diagnostics.push(diagnostic(code, firstLine(error.message), at(error.pos[0])));
  }
  for (const warning of doc.warnings) {
    diagnostics.push(diagnostic('yaml-warning', firstLine(warning.message), at(warning.pos[0])));
  }
  const contentStart = doc.contents?.range?.[0] ?? doc.range[0];
  const result: YamlDocument = { position: at(contentStart), text, start, diagnostics };
  // An empty document (`---` with nothing after it) holds a null scalar: no tree.
  if (doc.errors.length > 0 || doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null && !doc.contents.source)) {
    return result;
  }

  const converter = new Converter(doc, at, options);
  const tree = converter.convert(doc.contents as YamlNode, 0);
  diagnostics.push(...converter.diagnostics);
  if (converter.diagnostics.every((d) => d.severity !== 'error') && tree) result.tree = tree;
  return result;
}

class Converter {
  readonly diagnostics: Diagnostic[] = [];
  private aliasNodes = 0;
  private failed = false;

  constructor(
    private readonly doc: Document.Parsed,
    private readonly at: (offset: number) => Position,
    private readonly options: YamlOptions,
  ) {}

  convert(node: YamlNode | null | undefined, depth: number, viaAlias = false): YNode | undefined {
    if (this.failed) return undefined;
    if (node === null || node === undefined) return undefined;
    const pos = this.position(node);
    if (depth > (this.options.maxDepth ?? DEFAULT_MAX_DEPTH)) {
      return this.fail('yaml-too-deep', `YAML nesting is deeper than ${this.options.maxDepth ?? DEFAULT_MAX_DEPTH} levels`, pos);
    }
    if (viaAlias && ++this.aliasNodes > (this.options.maxAliasNodes ?? DEFAULT_MAX_ALIAS_NODES)) {
      return this.fail(
        'yaml-alias-limit',
        `YAML aliases expand to more than ${this.options.maxAliasNodes ?? DEFAULT_MAX_ALIAS_NODES} nodes`,
        pos,
      );
    }
    if (isAlias(node)) {
      const target = this.target(node);
      if (!target) return this.fail('yaml-syntax', `Unresolved alias *${node.source}`, pos);
      return this.convert(target as YamlNode, depth + 1, true);
    }
    if (isMap(node)) {
      const entries: YEntry[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const keyPos: YBase = keyNode ? this.position(keyNode) : pos;
        if (keyNode && !isScalar(keyNode)) {
          return this.fail('yaml-syntax', 'Complex (non-scalar) mapping keys are not supported', keyPos);
        }
        const key = keyNode ? scalarText(keyNode.value, keyNode.source) : '';
        const value = pair.value === null ? nullScalar(keyPos) : this.convert(pair.value as YamlNode, depth + 1, viaAlias);
        if (!value) return undefined;
        entries.push({ key, keyPos, value });
      }
      return { kind: 'map', entries, ...pos };
    }
    if (isSeq(node)) {
      const items: YNode[] = [];
      for (const item of node.items) {
        const value = item === null ? nullScalar(pos) : this.convert(item as YamlNode, depth + 1, viaAlias);
        if (!value) return undefined;
        items.push(value);
      }
      return { kind: 'seq', items, ...pos };
    }
    if (isScalar(node)) {
      return { kind: 'scalar', value: scalarValue(node.value, node.source), source: scalarText(node.value, node.source), ...pos };
    }
    return this.fail('yaml-syntax', 'Unsupported YAML node', pos);
  }

  private targets: Map<Alias, YamlNode> | undefined;

  /**
   * The node an alias stands for: the last node before it with its anchor, as Alias.resolve
   * finds it. Alias.resolve walks the whole document for each alias; the shipped mappings have
   * hundreds of aliases, so the document is walked once here.
   */
  private target(alias: Alias): YamlNode | undefined {
    if (!this.targets) {
      const targets = new Map<Alias, YamlNode>();
      const latest = new Map<string, YamlNode>();
      visit(this.doc, {
        Node: (_key, node) => {
          if (isAlias(node)) {
            const target = latest.get(node.source);
            if (target) targets.set(node, target);
          } else if ('anchor' in node && typeof node.anchor === 'string' && node.anchor !== '') latest.set(node.anchor, node as YamlNode);
        },
      });
      this.targets = targets;
    }
    return this.targets.get(alias);
  }

  private position(node: YamlNode): YBase {
    const offset = node.range?.[0] ?? 0;
    return { offset, ...this.at(offset) };
  }

  private fail(code: 'yaml-syntax' | 'yaml-too-deep' | 'yaml-alias-limit', message: string, pos: Position): undefined {
    this.failed = true;
    this.diagnostics.push(diagnostic(code, message, pos));
    return undefined;
  }
}

function nullScalar(pos: YBase): YScalar {
  return { kind: 'scalar', value: null, source: '', offset: pos.offset, line: pos.line, col: pos.col };
}

/** Values the rule model can hold; dates and binary data keep their source text. */
export function scalarValue(value: unknown, source: string | undefined): YScalar['value'] {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : (source ?? String(value));
  if (typeof value === 'bigint') return source ?? value.toString();
  return source ?? String(value);
}

function scalarText(value: unknown, source: string | undefined): string {
  if (typeof value === 'string') return value;
  return source ?? String(value);
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}

// ---- reading helpers used by the front ends ----

export function get(map: YMap, key: string): YNode | undefined {
  for (const e of map.entries) if (e.key === key) return e.value;
  return undefined;
}

export function entry(map: YMap, key: string): YEntry | undefined {
  return map.entries.find((e) => e.key === key);
}

/** The plain JavaScript value of a node (for metadata and test events). */
export function toPlain(node: YNode): unknown {
  switch (node.kind) {
    case 'scalar':
      return node.value;
    case 'seq':
      return node.items.map(toPlain);
    case 'map': {
      const out: Record<string, unknown> = {};
      for (const e of node.entries) out[e.key] = toPlain(e.value);
      return out;
    }
  }
}

export function asString(node: YNode | undefined): string | undefined {
  if (!node || node.kind !== 'scalar' || node.value === null) return undefined;
  return typeof node.value === 'string' ? node.value : node.source;
}

/** A scalar or a list of scalars, as strings. */
export function asStringList(node: YNode | undefined): string[] {
  if (!node) return [];
  if (node.kind === 'scalar') return node.value === null ? [] : [asString(node)!];
  if (node.kind === 'seq') return node.items.flatMap((i) => (i.kind === 'scalar' && i.value !== null ? [asString(i)!] : []));
  return [];
}

// Microsoft's KQL parser (npm @kusto/language-service-next) for the tests that check the KQL
// rulebridge emits. The package is a CommonJS bundle that installs a `Kusto` global when its
// two scripts are required in order; it is loaded once, on first use, because loading takes
// about a second.
//
// Only the members of the parser's object model that the tests read are typed here.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

/** A node or token of the parser's syntax tree. */
export interface KustoNode {
  readonly IsToken: boolean;
  readonly ChildCount: number;
  GetChild(index: number): KustoNode | null;
  /** Token text (tokens only). */
  readonly Text: string;
  readonly Kind: number;
  /** The class the bridge generated for the node, e.g. `Kusto.Language.Syntax.BinaryExpression`. */
  readonly constructor: { readonly $$name: string };
  /** Named children and values; which exist depends on the class (see kindOf). */
  readonly [member: string]: unknown;
}

export interface KustoDiagnostic {
  severity: string;
  code: string;
  message: string;
  start: number;
  length: number;
}

/** The parser's parse result (`Kusto.Language.KustoCode`). */
export interface KustoCode {
  readonly Syntax: KustoNode;
  GetDiagnostics(): KustoList<RawDiagnostic>;
}

interface KustoList<T> {
  readonly Count: number;
  getItem(index: number): T;
}

interface RawDiagnostic {
  readonly Severity: string;
  readonly Code: string;
  readonly Message: string;
  readonly Start: number;
  readonly Length: number;
}

/** Opaque `Kusto.Language.GlobalState` with a database of tables. */
export interface KustoGlobals {
  readonly __kustoGlobals: unique symbol;
}

/** Table name -> column name -> Kusto type name, as in ../shared/kusto-schema/*.json. */
export type KustoSchema = Record<string, Record<string, string>>;

// The bridge's API is untyped JavaScript; this is the one place it is reached as `any`.
type Bridge = any;

let language: Bridge | undefined;

function kustoLanguage(): Bridge {
  if (!language) {
    const require = createRequire(import.meta.url);
    require('@kusto/language-service-next/bridge.min.js');
    require('@kusto/language-service-next/Kusto.Language.Bridge.min.js');
    language = (globalThis as Bridge).Kusto.Language;
  }
  return language;
}

/** Parses KQL without a schema (syntax only). */
export function parseKql(text: string): KustoCode {
  return kustoLanguage().KustoCode.Parse(text) as KustoCode;
}

/** Parses and binds KQL against a database (names, types, functions). */
export function analyzeKql(text: string, globals: KustoGlobals): KustoCode {
  return kustoLanguage().KustoCode.ParseAndAnalyze(text, globals) as KustoCode;
}

export function diagnosticsOf(code: KustoCode): KustoDiagnostic[] {
  const list = code.GetDiagnostics();
  const out: KustoDiagnostic[] = [];
  for (let i = 0; i < list.Count; i++) {
    const d = list.getItem(i);
    out.push({ severity: String(d.Severity), code: d.Code, message: d.Message, start: d.Start, length: d.Length });
  }
  return out;
}

export function errorsOf(code: KustoCode): KustoDiagnostic[] {
  return diagnosticsOf(code).filter((d) => d.severity === 'Error');
}

let kindNames: Map<number, string> | undefined;

/** The name of a node's `Kind` (`StringLiteralExpression`, `LongLiteralExpression`...). */
export function syntaxKindName(kind: number): string {
  if (!kindNames) {
    const kinds = kustoLanguage().Syntax.SyntaxKind as Record<string, unknown>;
    kindNames = new Map(Object.entries(kinds).flatMap(([name, value]) => (typeof value === 'number' ? [[value, name] as [number, string]] : [])));
  }
  return kindNames.get(kind) ?? `kind ${kind}`;
}

/** The short class name of a node: `BinaryExpression`, `NameReference`, `SyntaxToken+KindToken`... */
export function kindOf(node: KustoNode): string {
  return node.constructor.$$name.replace(/^Kusto\.Language\.Syntax\./, '');
}

/**
 * The tables of several schema files. A table two files define has the columns of both (the
 * Sentinel and the Defender XDR views of one table differ: TimeGenerated vs Timestamp...); where
 * they type a column differently, the later file wins.
 */
export function readKustoSchemas(paths: string[]): KustoSchema {
  const schema: KustoSchema = {};
  for (const path of paths) {
    for (const [table, columns] of Object.entries(JSON.parse(readFileSync(path, 'utf8')) as KustoSchema)) {
      schema[table] = { ...schema[table], ...columns };
    }
  }
  return schema;
}

/** A global state whose default database holds the schema's tables. */
export function kustoGlobals(schema: KustoSchema): KustoGlobals {
  const K = kustoLanguage();
  const S = K.Symbols;
  const tables = Object.entries(schema).map(([name, columns]) => {
    const list = Object.entries(columns)
      .map(([column, type]) => `['${column.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']:${type}`)
      .join(', ');
    return new S.TableSymbol.$ctor7(name, `(${list})`, null);
  });
  const database = new S.DatabaseSymbol.$ctor2('db', null, tables);
  return K.GlobalState.Default.WithDatabase(database) as KustoGlobals;
}

/** Where the shared Kusto table schemas are (next to the SigmaHQ corpus). */
export const KUSTO_SCHEMA_DIR = join(import.meta.dirname, '..', '..', '..', 'shared', 'kusto-schema');

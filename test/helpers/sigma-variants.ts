// Disguised variants of a Sigma rule, made on its YAML: rewrites that keep its meaning (what
// `dupes` must call equivalent) and rewrites that narrow it (what it must call subsumed-by).
// Each returns the variant's text, or undefined where the rule offers nothing to rewrite.

import { stringify } from 'yaml';
import { matchingSelections } from '../../src/formats/sigma/condition.js';
import { parseYamlDocuments, toPlain } from '../../src/formats/yaml.js';

export type Detection = Record<string, unknown> & { condition: string };
type Doc = Record<string, unknown> & { detection: Detection };
export type Rewrite = (doc: Doc) => boolean;

/** Modifiers under which a value's letters may change case without changing the meaning. */
const CASE_FREE_MODIFIERS = new Set(['contains', 'startswith', 'endswith', 'all', 'windash', 'exists']);

export const PRESERVING: Record<string, Rewrite> = {
  'reorder values and keys': (doc) => {
    let changed = false;
    const d = doc.detection;
    const reordered: Record<string, unknown> = {};
    for (const name of Object.keys(d).reverse()) {
      const sel = d[name];
      if (isMap(sel)) {
        const keys = Object.keys(sel);
        reordered[name] = Object.fromEntries(keys.reverse().map((k) => [k, Array.isArray(sel[k]) ? [...(sel[k] as unknown[])].reverse() : sel[k]]));
        changed ||= keys.length > 1 || keys.some((k) => Array.isArray(sel[k]) && (sel[k] as unknown[]).length > 1);
      } else if (Array.isArray(sel)) {
        reordered[name] = [...sel].reverse();
        changed ||= sel.length > 1;
      } else reordered[name] = sel;
    }
    doc.detection = reordered as Detection;
    return changed;
  },
  'rename selections': (doc) => {
    const names = selectionNames(doc.detection);
    if (names.length === 0) return false;
    // A suffix keeps every `x of prefix*` pattern covering the same selections.
    if (/\*[^\s)]/.test(doc.detection.condition)) return false;
    const renamed: Record<string, unknown> = { condition: renameIn(doc.detection.condition, names, (n) => `${n}_rw`) };
    for (const [k, v] of Object.entries(doc.detection)) if (k !== 'condition') renamed[names.includes(k) ? `${k}_rw` : k] = v;
    doc.detection = renamed as Detection;
    return true;
  },
  'endswith as a wildcard': (doc) => {
    let changed = false;
    for (const sel of maps(doc.detection)) {
      for (const key of Object.keys(sel)) {
        const [field, ...mods] = key.split('|');
        const values = Array.isArray(sel[key]) ? (sel[key] as unknown[]) : [sel[key]];
        if (mods.length !== 1 || mods[0] !== 'endswith' || !values.every((v) => typeof v === 'string')) continue;
        if (Object.hasOwn(sel, field!)) continue;
        // Sigma values are patterns under endswith too: `*` before one is the same test.
        replaceKey(sel, key, field!, Array.isArray(sel[key]) ? values.map((v) => `*${v as string}`) : `*${values[0] as string}`);
        changed = true;
      }
    }
    return changed;
  },
  'split a selection': (doc) => {
    const d = doc.detection;
    // Quantified conditions count selections; splitting one would change what they count.
    if (/\bof\b/.test(d.condition)) return false;
    for (const name of selectionNames(d)) {
      const sel = d[name];
      if (!isMap(sel) || Object.keys(sel).length < 2) continue;
      const [first, ...rest] = Object.keys(sel);
      const a = `${name}_one`;
      const b = `${name}_two`;
      if (a in d || b in d) continue;
      delete d[name];
      d[a] = { [first!]: sel[first!] };
      d[b] = Object.fromEntries(rest.map((k) => [k, sel[k]]));
      d.condition = renameIn(d.condition, [name], () => `(${a} and ${b})`);
      return true;
    }
    return false;
  },
  'repeat a value': (doc) => {
    for (const sel of maps(doc.detection)) {
      for (const key of Object.keys(sel)) {
        const value = sel[key];
        if (key.split('|').includes('exists')) continue;
        if (Array.isArray(value) && value.length > 0) sel[key] = [...value, value[0]];
        else if (value === null || typeof value !== 'object') sel[key] = [value, value];
        else continue;
        return true;
      }
    }
    return false;
  },
  'change the case of a value': (doc) => {
    let changed = false;
    for (const sel of maps(doc.detection)) {
      for (const key of Object.keys(sel)) {
        const mods = key.split('|').slice(1);
        if (!mods.every((m) => CASE_FREE_MODIFIERS.has(m))) continue;
        const flip = (v: unknown) => (typeof v === 'string' && !/%\w+%/.test(v) ? swapCase(v) : v);
        const value = sel[key];
        const next = Array.isArray(value) ? value.map(flip) : flip(value);
        if (JSON.stringify(next) !== JSON.stringify(value)) {
          sel[key] = next;
          changed = true;
        }
      }
    }
    return changed;
  },
};

export const NARROWING: Record<string, Rewrite> = {
  'drop a value from an any-of list': (doc) => {
    for (const name of positiveSelections(doc.detection)) {
      const sel = doc.detection[name];
      if (Array.isArray(sel) && sel.length >= 2 && sel.every((v) => !isMap(v))) {
        doc.detection[name] = sel.slice(1);
        return true;
      }
      if (!isMap(sel)) continue;
      for (const key of Object.keys(sel)) {
        const value = sel[key];
        if (key.split('|').includes('all') || !Array.isArray(value) || value.length < 2) continue;
        sel[key] = value.slice(1);
        return true;
      }
    }
    return false;
  },
  'add an AND-ed test': (doc) => {
    for (const name of positiveSelections(doc.detection)) {
      const sel = doc.detection[name];
      if (!isMap(sel) || 'RbExtraField' in sel) continue;
      sel.RbExtraField = 'rulebridge narrowing';
      return true;
    }
    return false;
  },
};

/** Applies a rewrite to a one-document Sigma rule's text; undefined where it does not apply. */
export function variantOf(text: string, rewrite: Rewrite): string | undefined {
  // Read as rulebridge reads Sigma (YAML 1.1 as PyYAML types it), written with every text
  // double-quoted, so that the variant's values are typed exactly as the original's.
  const docs = parseYamlDocuments(text, { version: '1.1' });
  if (docs.length !== 1 || !docs[0]!.tree || docs[0]!.diagnostics.length > 0) return undefined;
  const doc = toPlain(docs[0]!.tree);
  if (!isMap(doc) || !isMap(doc.detection) || typeof doc.detection.condition !== 'string') return undefined;
  const copy = structuredClone(doc) as Doc;
  if (!rewrite(copy)) return undefined;
  return stringify(copy, { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' });
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function selectionNames(d: Detection): string[] {
  return Object.keys(d).filter((k) => k !== 'condition' && k !== 'timeframe');
}

function maps(d: Detection): Array<Record<string, unknown>> {
  return selectionNames(d).flatMap((n) => (isMap(d[n]) ? [d[n] as Record<string, unknown>] : Array.isArray(d[n]) ? (d[n] as unknown[]).filter(isMap) : []));
}

function replaceKey(map: Record<string, unknown>, oldKey: string, newKey: string, value: unknown): void {
  const entries = Object.entries(map).map(([k, v]) => (k === oldKey ? [newKey, value] : [k, v]));
  for (const k of Object.keys(map)) delete map[k];
  Object.assign(map, Object.fromEntries(entries));
}

function renameIn(condition: string, names: string[], to: (name: string) => string): string {
  const wanted = new Set(names);
  // A word followed by `*` is a pattern, which keeps covering the renamed selections.
  return condition.replace(/[A-Za-z0-9_.-]+(?!\*)\b(?!\*)/g, (word) => (wanted.has(word) ? to(word) : word));
}

function swapCase(text: string): string {
  return [...text].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}

/** Selections every mention of which sits under an even number of `not`s. */
export function positiveSelections(d: Detection): string[] {
  const names = selectionNames(d);
  const polarity = new Map<string, Set<boolean>>();
  const tokens = d.condition.match(/\(|\)|[^\s()]+/g) ?? [];
  let pos = 0;
  const mark = (pattern: string, negated: boolean) => {
    for (const n of pattern === 'them' || pattern.includes('*') ? matchingSelections(pattern, names) : [pattern]) {
      const set = polarity.get(n) ?? new Set();
      set.add(negated);
      polarity.set(n, set);
    }
  };
  const expr = (negated: boolean): void => {
    term(negated);
    while (tokens[pos] === 'or') (pos++, term(negated));
  };
  const term = (negated: boolean): void => {
    factor(negated);
    while (tokens[pos] === 'and') (pos++, factor(negated));
  };
  const factor = (negated: boolean): void => {
    const t = tokens[pos++];
    if (t === 'not') factor(!negated);
    else if (t === '(') {
      expr(negated);
      pos++;
    } else if (t !== undefined && tokens[pos] === 'of') {
      pos++;
      mark(tokens[pos++] ?? '', negated);
    } else if (t !== undefined) mark(t, negated);
  };
  expr(false);
  return names.filter((n) => polarity.get(n)?.size === 1 && polarity.get(n)!.has(false));
}

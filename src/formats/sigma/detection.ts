// A Sigma `detection` section: each named selection becomes a condition, then the
// `condition` combines them.
//
//   map              -> AND of its detection items (`field|modifiers: value(s)`)
//   list of scalars  -> keywords, any of them (`'|all'` key for all of them)
//   list of maps     -> OR of the maps
//   scalar           -> one keyword

import { and, or, type Condition, type Span } from '../../ast/condition.js';
import type { Stage } from '../../ast/rule.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import type { YEntry, YMap, YNode, YScalar } from '../yaml.js';
import { resolveCondition } from './condition.js';
import { lowerItem, type LowerIssue } from './lower.js';
import { applyModifiers, type ItemState, type ModifierContext, type SigmaValue } from './modifiers.js';
import { parseSigmaString, plainString } from './strings.js';

export interface DetectionOptions {
  /** Values for `expand` placeholders, by name. */
  placeholders?: Record<string, string[]>;
  windashLimit?: number;
}

export interface Detection {
  condition?: Condition;
  stages: Stage[];
}

/** Keys of a detection section that are not selections (`rules` belongs to filters). */
const NOT_SELECTIONS = new Set(['condition', 'timeframe']);

/** The file's text, and where the detection section ends in it (for each stage's text). */
export interface DetectionSource {
  text: string;
  end: number;
}

export function readDetection(
  node: YMap,
  source: DetectionSource,
  diagnostics: Diagnostic[],
  options: DetectionOptions = {},
  alsoNotSelections: string[] = [],
): Detection {
  const conditionKey = 'condition';
  const selections = new Map<string, Condition>();
  const stages: Stage[] = [];
  let broken = false;
  node.entries.forEach((e, k) => {
    if (NOT_SELECTIONS.has(e.key) || alsoNotSelections.includes(e.key)) return;
    const end = node.entries[k + 1]?.keyPos.offset ?? source.end;
    const stage: Stage = { name: e.key, text: sourceOf(source.text, e.keyPos.offset, end), span: span(e.keyPos) };
    const before = diagnostics.length;
    const condition = readSelection(e.value, diagnostics, options);
    if (condition && !diagnostics.slice(before).some((d) => d.severity === 'error')) {
      selections.set(e.key, condition);
      stage.condition = condition;
    } else broken = true;
    stages.push(stage);
  });

  const timeframe = node.entries.find((e) => e.key === 'timeframe');
  if (timeframe) {
    diagnostics.push(
      diagnostic('attribute-warning', "'timeframe' belongs to Sigma 1 aggregations and is ignored; write a correlation rule instead", timeframe.keyPos),
    );
  }
  const conditionEntry = node.entries.find((e) => e.key === conditionKey);
  if (!conditionEntry) {
    diagnostics.push(diagnostic('missing-attribute', `the detection has no '${conditionKey}'`, node));
    return { stages };
  }
  const texts = conditionTexts(conditionEntry.value, diagnostics);
  stages.unshift({ name: conditionKey, text: texts.map((t) => t.value as string).join('\n'), span: span(conditionEntry.keyPos) });
  if (texts.length === 0 || broken) return { stages };

  const used = new Set<string>();
  const parts: Condition[] = [];
  for (const t of texts) {
    const quoted = `'"`.includes(source.text[t.offset] ?? '');
    const resolved = resolveCondition({
      text: t.value as string,
      position: { line: t.line, col: t.col + (quoted ? 1 : 0) },
      selections,
      used,
      diagnostics,
    });
    if (!resolved) return { stages };
    parts.push(resolved);
  }
  for (const name of selections.keys()) {
    if (!used.has(name)) {
      const at = node.entries.find((e) => e.key === name)!.keyPos;
      diagnostics.push(diagnostic('unused-selection', `selection '${name}' is not used by the condition`, at));
    }
  }
  // A list of conditions means any of them (each would be its own query in Sigma tools).
  return { condition: or(parts), stages };
}

function conditionTexts(node: YNode, diagnostics: Diagnostic[]): YScalar[] {
  const items = node.kind === 'seq' ? node.items : [node];
  const out: YScalar[] = [];
  for (const item of items) {
    if (item.kind === 'scalar' && typeof item.value === 'string' && item.value.trim()) out.push(item);
    else diagnostics.push(diagnostic('invalid-attribute', 'the condition must be a non-empty string or a list of them', item));
  }
  return out;
}

export function readSelection(node: YNode, diagnostics: Diagnostic[], options: DetectionOptions): Condition | undefined {
  switch (node.kind) {
    case 'map': {
      if (node.entries.length === 0) {
        diagnostics.push(diagnostic('empty-selection', 'the selection is an empty map', node));
        return undefined;
      }
      const items: Condition[] = [];
      for (const e of node.entries) {
        const item = readItem(e, diagnostics, options);
        if (!item) return undefined;
        items.push(item);
      }
      return and(items, span(node));
    }
    case 'seq': {
      if (node.items.length === 0) {
        diagnostics.push(diagnostic('empty-selection', 'the selection is an empty list', node));
        return undefined;
      }
      if (node.items.every((i) => i.kind === 'scalar')) {
        return itemCondition(null, [], node.items as YScalar[], node, diagnostics, options);
      }
      const alternatives: Condition[] = [];
      for (const item of node.items) {
        const c = readSelection(item, diagnostics, options);
        if (!c) return undefined;
        alternatives.push(c);
      }
      return or(alternatives, span(node));
    }
    case 'scalar':
      if (node.value === null) {
        diagnostics.push(diagnostic('empty-selection', 'the selection is empty (null)', node));
        return undefined;
      }
      return itemCondition(null, [], [node], node, diagnostics, options);
  }
}

function readItem(e: YEntry, diagnostics: Diagnostic[], options: DetectionOptions): Condition | undefined {
  const [fieldName, ...modifiers] = e.key.split('|');
  const field = fieldName === '' ? null : fieldName!;
  let values: YScalar[];
  if (e.value.kind === 'scalar') values = [e.value];
  else if (e.value.kind === 'seq' && e.value.items.every((i) => i.kind === 'scalar')) values = e.value.items as YScalar[];
  else {
    const what = e.value.kind === 'map' ? 'a map' : 'a list holding lists or maps';
    diagnostics.push(
      diagnostic('invalid-selection', `'${e.key}' has ${what} as its value; a field takes a value or a list of values`, e.value),
    );
    return undefined;
  }
  return itemCondition(field, modifiers, values, e.keyPos, diagnostics, options, e.key);
}

function itemCondition(
  field: string | null,
  modifiers: string[],
  scalars: YScalar[],
  at: Span,
  diagnostics: Diagnostic[],
  options: DetectionOptions,
  key?: string,
): Condition | undefined {
  const regex = modifiers.includes('re');
  const values = scalars.map((s) => initialValue(s, regex));
  if (values.length > 1 && values.some((v) => v.kind === 'null')) {
    diagnostics.push(diagnostic('null-in-list', `'${key ?? field}' lists null among other values; Sigma wants null in a selection of its own`, at));
  }
  if (field === null && values.some((v) => v.kind === 'null')) {
    diagnostics.push(diagnostic('invalid-selection', 'a keyword cannot be null; null tests need a field', at));
    return undefined;
  }
  const state: ItemState = { field, values, linking: 'any', negated: false };
  const context: ModifierContext = {
    windashLimit: options.windashLimit ?? 3125,
    warn: (issue) => diagnostics.push(diagnostic(issue.code, issue.message, at)),
  };
  const placeholders = options.placeholders;
  if (placeholders) context.placeholders = (name) => (Object.hasOwn(placeholders, name) ? placeholders[name] : undefined);
  const issue = applyModifiers(state, modifiers, context);
  if (issue) {
    diagnostics.push(diagnostic(issue.code, `${key ? `'${key}': ` : ''}${issue.message}`, at));
    return undefined;
  }
  if (state.linking === 'all' && scalars.length === 1) {
    diagnostics.push(diagnostic('all-single-value', `'${key}' uses 'all' with a single value`, at));
  }
  const issues: LowerIssue[] = [];
  const condition = lowerItem(state, span(at), issues);
  for (const i of issues) diagnostics.push(diagnostic(i.code, i.message, at));
  return condition;
}

function initialValue(s: YScalar, regex: boolean): SigmaValue {
  if (s.value === null) return { kind: 'null' };
  if (typeof s.value === 'boolean') return { kind: 'bool', value: s.value };
  if (typeof s.value === 'number') return regex ? plainString(s.source) : { kind: 'number', value: s.value };
  // Regular expressions are taken as written: their backslashes and `*` are regex syntax.
  return regex ? plainString(s.value) : parseSigmaString(s.value);
}

function span(at: Span): Span {
  return { line: at.line, col: at.col };
}

/**
 * The lines of the source that hold a selection, for the catalog's "stages": from its key to
 * the next key, dedented, without trailing blank or comment lines.
 */
function sourceOf(text: string, keyOffset: number, end: number): string {
  // Documents merged from a Sigma 1 collection mix offsets of several documents.
  if (end <= keyOffset) end = text.indexOf('\n', keyOffset) === -1 ? text.length : text.indexOf('\n', keyOffset);
  const lineStart = text.lastIndexOf('\n', keyOffset - 1) + 1;
  const indent = keyOffset - lineStart;
  const lines = text.slice(lineStart, end).split('\n');
  while (lines.length > 1 && /^\s*(#.*)?$/.test(lines[lines.length - 1]!)) lines.pop();
  return lines.map((l) => (l.slice(0, indent).trim() === '' ? l.slice(indent) : l)).join('\n').trimEnd();
}

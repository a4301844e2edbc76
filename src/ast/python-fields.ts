// Field names for values a Panther rule computes from the event and the query languages have
// no lookup for; only the Python evaluator reads them.
//
// - `walk:a.b` is deep_walk(event, "a", "b"): it reads a.b, but every list on the way stands
//   for its elements; it gathers the distinct values found under each element and answers one
//   value when it finds one, a list when it finds several, and its default when it finds none.
//   `walk.first:` and `walk.last:` are return_val="first"/"last"; a default other than None
//   follows `=` as JSON (`walk="":a.b`).
// - `json(f).p` is the value at p of the JSON document that f holds as text (json.loads); the
//   document is missing when f holds no text, or text that is not JSON.
// - `float(f)` and `int(f)` are Python's float() and int() of f's value (a number, or text
//   that spells one); `float(f, 0)` converts the default 0 where f is missing. A value they
//   refuse is missing.

import type { Scalar } from './condition.js';

export type WalkPick = 'all' | 'first' | 'last';

export interface WalkField {
  keys: string[];
  pick: WalkPick;
  /** What deep_walk answers when it finds nothing; null is None. */
  fallback: Scalar | [];
}

const WALK_FIELD = /^walk(?:\.(first|last))?(?:=((?:"(?:[^"\\]|\\.)*"|[^:])*))?:(.+)$/;

export function walkField(walk: WalkField): string {
  const pick = walk.pick === 'all' ? '' : `.${walk.pick}`;
  const fallback = walk.fallback === null ? '' : `=${JSON.stringify(walk.fallback)}`;
  return `walk${pick}${fallback}:${walk.keys.join('.')}`;
}

export function parseWalkField(field: string): WalkField | undefined {
  if (!field.startsWith('walk')) return undefined;
  const m = WALK_FIELD.exec(field);
  if (!m) return undefined;
  let fallback: Scalar | [] = null;
  if (m[2] !== undefined) {
    try {
      fallback = JSON.parse(m[2]) as Scalar | [];
    } catch {
      return undefined;
    }
  }
  return { keys: m[3]!.split('.'), pick: (m[1] as WalkPick | undefined) ?? 'all', fallback };
}

const JSON_FIELD = /^json\(([^()]+)\)(?:\.(.+))?$/;

export interface JsonField {
  /** The field holding the JSON text. */
  text: string;
  /** The path inside the document; empty for the whole document. */
  path: string;
}

export function jsonField(text: string, path = ''): string {
  return path ? `json(${text}).${path}` : `json(${text})`;
}

export function parseJsonField(field: string): JsonField | undefined {
  if (!field.startsWith('json(')) return undefined;
  const m = JSON_FIELD.exec(field);
  return m ? { text: m[1]!, path: m[2] ?? '' } : undefined;
}

const NUMBER_FIELD = /^(int|float)\(([^(),]+)(?:, ([^()]+))?\)$/;

export interface NumberField {
  convert: 'int' | 'float';
  field: string;
  /** The value converted where the field is missing; null: none (Python raises). */
  fallback: Scalar;
}

export function numberField(n: NumberField): string {
  return `${n.convert}(${n.field}${n.fallback === null ? '' : `, ${JSON.stringify(n.fallback)}`})`;
}

export function parseNumberField(field: string): NumberField | undefined {
  if (!field.startsWith('int(') && !field.startsWith('float(')) return undefined;
  const m = NUMBER_FIELD.exec(field);
  if (!m) return undefined;
  let fallback: Scalar = null;
  try {
    if (m[3] !== undefined) fallback = JSON.parse(m[3]) as Scalar;
  } catch {
    return undefined;
  }
  return { convert: m[1] as 'int' | 'float', field: m[2]!, fallback };
}

/** Why a field is one of these, for a conversion leaving its tests out; undefined for an ordinary field. */
export function pythonOnlyField(field: string): string | undefined {
  if (parseWalkField(field)) return "Panther's deep_walk, which gathers values across the lists on its path";
  if (parseJsonField(field)) return 'a value inside JSON text the rule decodes';
  if (parseNumberField(field)) return 'a number the rule converts from text or a number';
  return undefined;
}

/**
 * The event field whose value a field shows, for output fields: the path deep_walk reads, the
 * field int() or float() converts; none for a value inside decoded JSON text.
 */
export function shownField(field: string): string | undefined {
  const walk = parseWalkField(field);
  if (walk) return walk.keys.join('.');
  const number = parseNumberField(field);
  if (number) return number.field;
  return parseJsonField(field) ? undefined : field;
}

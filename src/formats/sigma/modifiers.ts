// Sigma value modifiers as a table: what each accepts and what it does to a value (or to the
// whole value list). applyModifiers runs a detection item's chain in the order written, the
// way the specification says: `field|mod1|mod2: value` applies mod1, then mod2.

import { TIME_PARTS, type TimePart } from '../../ast/condition.js';
import { parseNetwork } from '../../ast/cidr.js';
import { analyzeRegex, compileRegex } from '../../ast/regex.js';
import type { DiagnosticCode } from '../../diagnostics/codes.js';
import {
  base64,
  base64Offsets,
  encodeUtf16,
  expandWindash,
  hasPlaceholder,
  hasWildcard,
  insertPlaceholders,
  plainString,
  resolvePlaceholders,
  surround,
  textOf,
  type SigmaString,
  type Utf16Variant,
} from './strings.js';

export type SigmaValue =
  | SigmaString
  | { kind: 'number'; value: number }
  | { kind: 'bool'; value: boolean }
  | { kind: 'null' }
  | { kind: 'regex'; pattern: string; flags: string }
  | { kind: 'cidr'; network: string }
  | { kind: 'compare'; op: 'lt' | 'lte' | 'gt' | 'gte'; value: number }
  | { kind: 'timepart'; part: TimePart; value: number }
  | { kind: 'exists'; value: boolean }
  | { kind: 'fieldref'; ref: string; leading: boolean; trailing: boolean };

type ValueKind = SigmaValue['kind'];

/** Values a modifier expanded one value into; they stay OR-linked even under `all`. */
export interface Expansion {
  kind: 'expansion';
  values: SigmaValue[];
}

export type Item = SigmaValue | Expansion;

export interface ItemState {
  field: string | null;
  values: Item[];
  linking: 'any' | 'all';
  negated: boolean;
}

export interface ModifierIssue {
  code: DiagnosticCode;
  message: string;
}

export interface ModifierContext {
  placeholders?: (name: string) => string[] | undefined;
  /** Most values one windash value may expand to. */
  windashLimit: number;
  warn(issue: ModifierIssue): void;
}

type ValueResult = SigmaValue | SigmaValue[] | ModifierIssue;

interface ModifierSpec {
  /** Value kinds accepted; numbers are read as strings where only strings are accepted. */
  accepts?: ValueKind[];
  /** Only valid as the first modifier of the chain. */
  first?: boolean;
  /** Requires a field (not a keyword). */
  field?: boolean;
  list?: (state: ItemState) => void;
  value?: (value: SigmaValue, context: ModifierContext) => ValueResult;
}

const positional = (leading: boolean, trailing: boolean): ModifierSpec => ({
  accepts: ['string', 'regex', 'fieldref'],
  value: (v) => {
    if (v.kind === 'string') return surround(v, leading, trailing);
    if (v.kind === 'regex') {
      let pattern = v.pattern;
      if (leading && !pattern.startsWith('.*') && !pattern.startsWith('^')) pattern = '.*' + pattern;
      if (trailing && !pattern.endsWith('.*') && !pattern.endsWith('$')) pattern += '.*';
      return { ...v, pattern };
    }
    if (v.kind === 'fieldref') return { ...v, leading: v.leading || leading, trailing: v.trailing || trailing };
    return v;
  },
});

const regexFlag = (flag: string): ModifierSpec => ({
  accepts: ['regex'],
  value: (v) => (v.kind === 'regex' ? { ...v, flags: [...new Set(v.flags + flag)].sort().join('') } : v),
});

const utf16 = (variant: Utf16Variant): ModifierSpec => ({
  accepts: ['string'],
  value: (v) => (v.kind === 'string' ? encodeUtf16(v, variant) : v),
});

const compare = (op: 'lt' | 'lte' | 'gt' | 'gte'): ModifierSpec => ({
  accepts: ['number'],
  value: (v) => (v.kind === 'number' ? { kind: 'compare', op, value: v.value } : v),
});

const TIME_RANGES: Record<TimePart, [number, number]> = {
  minute: [0, 59],
  hour: [0, 23],
  day: [1, 31],
  week: [1, 53],
  month: [1, 12],
  year: [0, 9999],
};

const timePart = (part: TimePart): ModifierSpec => ({
  accepts: ['number'],
  value: (v) => {
    if (v.kind !== 'number') return v;
    const [min, max] = TIME_RANGES[part];
    if (!Number.isInteger(v.value) || v.value < min || v.value > max) {
      return { code: 'invalid-value', message: `'${part}' takes a whole number from ${min} to ${max}, not ${v.value}` };
    }
    return { kind: 'timepart', part, value: v.value };
  },
});

const noSpecials = (v: SigmaString, modifier: string): ModifierIssue | undefined =>
  hasWildcard(v) || hasPlaceholder(v)
    ? { code: 'invalid-value', message: `'${modifier}' cannot encode a value with wildcards or placeholders` }
    : undefined;

export const MODIFIERS: Record<string, ModifierSpec> = {
  contains: positional(true, true),
  startswith: positional(false, true),
  endswith: positional(true, false),
  all: {
    list: (state) => {
      state.linking = 'all';
    },
  },
  neq: {
    list: (state) => {
      state.negated = !state.negated;
    },
  },
  exists: {
    accepts: ['bool'],
    first: true,
    field: true,
    value: (v) => (v.kind === 'bool' ? { kind: 'exists', value: v.value } : v),
  },
  cased: {
    accepts: ['string'],
    value: (v) => (v.kind === 'string' ? { ...v, cased: true } : v),
  },
  windash: {
    accepts: ['string'],
    value: (v, ctx) => {
      if (v.kind !== 'string') return v;
      return (
        expandWindash(v, ctx.windashLimit) ?? {
          code: 'invalid-value',
          message: `'windash' would expand '${textOf(v)}' into more than ${ctx.windashLimit} values`,
        }
      );
    },
  },
  re: {
    accepts: ['string'],
    first: true,
    value: (v, ctx) => {
      if (v.kind !== 'string') return v;
      const pattern = textOf(v);
      const compiled = compileRegex(pattern);
      if (!compiled.ok) {
        const portable = analyzeRegex(pattern).unsupported.length === 0;
        if (portable) return { code: 'invalid-regex', message: `invalid regular expression /${pattern}/: ${compiled.message}` };
        ctx.warn({ code: 'unsupported-regex', message: `regular expression /${pattern}/ ${compiled.message}` });
      }
      return { kind: 'regex', pattern, flags: '' };
    },
  },
  i: regexFlag('i'),
  ignorecase: regexFlag('i'),
  m: regexFlag('m'),
  multiline: regexFlag('m'),
  s: regexFlag('s'),
  dotall: regexFlag('s'),
  base64: {
    accepts: ['string'],
    value: (v) => (v.kind === 'string' ? (noSpecials(v, 'base64') ?? base64(v)) : v),
  },
  base64offset: {
    accepts: ['string'],
    value: (v) => (v.kind === 'string' ? (noSpecials(v, 'base64offset') ?? base64Offsets(v)) : v),
  },
  utf16le: utf16('le'),
  wide: utf16('le'),
  utf16be: utf16('be'),
  utf16: utf16('bom'),
  lt: compare('lt'),
  lte: compare('lte'),
  gt: compare('gt'),
  gte: compare('gte'),
  ...Object.fromEntries(TIME_PARTS.map((p) => [p, timePart(p)])),
  cidr: {
    accepts: ['string'],
    first: true,
    value: (v) => {
      if (v.kind !== 'string') return v;
      const text = textOf(v);
      if (hasWildcard(v)) return { code: 'invalid-cidr', message: `'${text}' is not a network: wildcards are not allowed` };
      const parsed = parseNetwork(text);
      return parsed.ok ? { kind: 'cidr', network: text.trim() } : { code: 'invalid-cidr', message: `invalid cidr: ${parsed.message}` };
    },
  },
  expand: {
    accepts: ['string'],
    value: (v, ctx) => {
      if (v.kind !== 'string') return v;
      const expanded = insertPlaceholders(v);
      if (!ctx.placeholders || !hasPlaceholder(expanded)) return expanded;
      return resolvePlaceholders(expanded, ctx.placeholders);
    },
  },
  fieldref: {
    accepts: ['string'],
    field: true,
    value: (v) => {
      if (v.kind !== 'string') return v;
      if (hasWildcard(v)) return { code: 'invalid-value', message: 'a field reference cannot contain wildcards' };
      return { kind: 'fieldref', ref: textOf(v), leading: false, trailing: false };
    },
  },
};

/** Applies a detection item's modifiers; the first issue stops the chain. */
export function applyModifiers(
  state: ItemState,
  modifiers: string[],
  context: ModifierContext,
): ModifierIssue | undefined {
  for (let index = 0; index < modifiers.length; index++) {
    const name = modifiers[index]!;
    const spec = MODIFIERS[name];
    if (!spec) return { code: 'unknown-modifier', message: unknownModifierMessage(name) };
    if (spec.first && index > 0) {
      return { code: 'modifier-combination', message: `'${name}' must come first, before '${modifiers.slice(0, index).join('|')}'` };
    }
    if (spec.field && state.field === null) {
      return { code: 'modifier-combination', message: `'${name}' needs a field; it cannot apply to a keyword` };
    }
    if (spec.list) spec.list(state);
    if (!spec.value) continue;
    const apply = spec.value;
    const out: Item[] = [];
    for (const item of state.values) {
      if (item.kind === 'expansion') {
        const inner: SigmaValue[] = [];
        for (const v of item.values) {
          const r = applyOne(apply, name, spec, v, context);
          if ('code' in r) return r;
          inner.push(...r.values);
        }
        out.push({ kind: 'expansion', values: inner });
      } else {
        const r = applyOne(apply, name, spec, item, context);
        if ('code' in r) return r;
        // A modifier that expands keeps its variants together, even a single one.
        out.push(r.expanded ? { kind: 'expansion', values: r.values } : r.values[0]!);
      }
    }
    state.values = out;
  }
  return undefined;
}

function applyOne(
  apply: NonNullable<ModifierSpec['value']>,
  name: string,
  spec: ModifierSpec,
  value: SigmaValue,
  context: ModifierContext,
): { values: SigmaValue[]; expanded: boolean } | ModifierIssue {
  const coerced = coerce(value, spec.accepts ?? []);
  if (!coerced) {
    return {
      code: 'modifier-type',
      message: `'${name}' applies to ${describeKinds(spec.accepts ?? [])}, not to ${describeValue(value)}`,
    };
  }
  const result = apply(coerced, context);
  if (Array.isArray(result)) return { values: result, expanded: true };
  if ('code' in result) return result;
  return { values: [result], expanded: false };
}

/** Sigma reads every value as a string; a number stands for its text and numeric text for its number. */
function coerce(value: SigmaValue, accepts: ValueKind[]): SigmaValue | undefined {
  if (accepts.includes(value.kind)) return value;
  if (value.kind === 'number' && accepts.includes('string')) return plainString(String(value.value));
  if (value.kind === 'string' && accepts.includes('number') && !hasWildcard(value) && !hasPlaceholder(value)) {
    const text = textOf(value).trim();
    if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'number', value: Number(text) };
  }
  return undefined;
}

/** How messages name each kind of value: plural for what a modifier accepts, singular for what it got. */
const KIND_NAMES: Record<ValueKind, [string, string]> = {
  string: ['strings', 'a string'],
  number: ['numbers', 'a number'],
  bool: ['booleans', 'a boolean'],
  null: ['null', 'null'],
  regex: ['regular expressions (after re)', 'a regular expression'],
  cidr: ['networks', 'a network'],
  compare: ['comparisons', 'a comparison'],
  timepart: ['time parts', 'a time part'],
  exists: ['exists tests', 'an exists test'],
  fieldref: ['field references', 'a field reference'],
};

function describeKinds(kinds: ValueKind[]): string {
  return kinds.map((k) => KIND_NAMES[k][0]).join(' or ');
}

function describeValue(value: SigmaValue): string {
  switch (value.kind) {
    case 'string':
      return `the string '${textOf(value)}'`;
    case 'number':
    case 'bool':
      return `the ${value.kind === 'number' ? 'number' : 'boolean'} ${value.value}`;
    default:
      return KIND_NAMES[value.kind][1];
  }
}

function unknownModifierMessage(name: string): string {
  const known = Object.keys(MODIFIERS);
  const near = known
    .map((k) => ({ k, d: editDistance(k, name.toLowerCase()) }))
    .filter((x) => x.d <= 2)
    .sort((a, b) => a.d - b.d)[0];
  return `unknown modifier '${name}'${near ? ` (did you mean '${near.k}'?)` : ''}`;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

// Building and folding constant values: literals, collections, dicts, f-string text and
// arithmetic on constants.

import { at, spanOf, type PyNode } from './syntax.js';
import { constant, opaque, type PyConst, type SymValue } from './values.js';

export function collection(items: SymValue[], set: boolean): SymValue {
  if (items.every((i) => i.kind === 'const')) {
    const values = items.map((i) => (i as { value: PyConst }).value);
    return set ? { kind: 'const', value: uniqueConsts(values), set: true } : constant(values);
  }
  return { kind: 'list', items };
}

export function uniqueConsts(values: PyConst[]): PyConst[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const k = JSON.stringify(v);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

export function dictValue(entries: Array<[SymValue, SymValue]>): SymValue {
  if (entries.every(([k, v]) => k.kind === 'const' && typeof k.value === 'string' && v.kind === 'const')) {
    return constant(Object.fromEntries(entries.map(([k, v]) => [(k as { value: string }).value, (v as { value: PyConst }).value])));
  }
  return { kind: 'dict', entries };
}

/** A dict value with one key set, through the branches of a choice. */
export function withEntry(container: SymValue, key: SymValue, value: SymValue, at: PyNode): SymValue {
  if (container.kind === 'choice') return { ...container, then: withEntry(container.then, key, value, at), otherwise: withEntry(container.otherwise, key, value, at) };
  if (container.kind === 'cases') return { kind: 'cases', cases: container.cases.map((c) => ({ when: c.when, value: withEntry(c.value, key, value, at) })) };
  const entries =
    container.kind === 'dict'
      ? container.entries
      : container.kind === 'const' && container.value && typeof container.value === 'object' && !Array.isArray(container.value)
        ? Object.entries(container.value).map(([k, v]) => [constant(k), constant(v)] as [SymValue, SymValue])
        : undefined;
  if (!entries) return opaque(`item assignment into ${container.kind} at line ${at.line}`, spanOf(at));
  return { kind: 'dict', entries: [...entries.filter(([k]) => !sameConst(k, key)), [key, value]] };
}

export function sameConst(a: SymValue, b: SymValue): boolean {
  return a.kind === 'const' && b.kind === 'const' && JSON.stringify(a.value) === JSON.stringify(b.value);
}

export function constantOf(node: PyNode): SymValue {
  const value = at<unknown>(node, 'value');
  if (value === null || typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number') return constant(value);
  if (typeof value === 'bigint') return constant(Number(value));
  // The parser tags floats so that 1.0 stays apart from 1; for comparisons they are numbers.
  if (value && typeof value === 'object' && (value as { kind?: string }).kind === 'float') return constant((value as { value: number }).value);
  return opaque(`constant ${JSON.stringify(value)?.slice(0, 40) ?? typeof value}`, spanOf(node));
}

/** Python's str() of a constant, for f-strings. */
export function pyStr(v: PyConst): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export function foldBinary(a: PyConst, op: string, b: PyConst): PyConst | undefined {
  if (typeof a === 'string' && typeof b === 'string' && op === '+') return a + b;
  if (typeof a === 'number' && typeof b === 'number') {
    switch (op) {
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        return b === 0 ? undefined : a / b;
      case '//':
        return b === 0 ? undefined : Math.floor(a / b);
      case '%':
        return b === 0 ? undefined : ((a % b) + b) % b;
      case '**':
        return a ** b;
      case '|':
        return a | b;
      case '&':
        return a & b;
    }
  }
  if (Array.isArray(a) && Array.isArray(b) && op === '+') return [...a, ...b];
  if (Array.isArray(a) && Array.isArray(b) && op === '|') return uniqueConsts([...a, ...b]);
  return undefined;
}

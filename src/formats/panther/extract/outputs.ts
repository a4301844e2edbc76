// A rule's output fields from its `alert_context(event)`: the keys of the dict it returns, in
// order, each with the event field its value is read from (empty when it is computed).

import { shownField } from '../../../ast/python-fields.js';
import type { OutputField } from '../../../ast/rule.js';
import type { SymValue } from './values.js';

export function outputFields(context: SymValue): OutputField[] {
  const fields: OutputField[] = [];
  const add = (name: string, source: string) => {
    const existing = fields.find((f) => f.name === name);
    if (!existing) fields.push({ name, source });
    else if (existing.source !== source) existing.source = '';
  };
  const collect = (v: SymValue) => {
    switch (v.kind) {
      case 'dict':
        for (const [key, value] of v.entries) if (key.kind === 'const' && typeof key.value === 'string') add(key.value, sourceOf(value));
        return;
      case 'const':
        if (v.value && typeof v.value === 'object' && !Array.isArray(v.value)) for (const key of Object.keys(v.value)) add(key, '');
        return;
      case 'choice':
        collect(v.then);
        collect(v.otherwise);
        return;
      case 'cases':
        for (const c of v.cases) collect(c.value);
        return;
      default:
        return;
    }
  };
  collect(context);
  return fields;
}

/**
 * The field a value comes from: one field, possibly behind constant defaults (`get(f, "")`,
 * `f or "n/a"`); anything computed, or several fields, has no single source.
 */
function sourceOf(v: SymValue): string {
  const sources = new Set<string>();
  let computed = false;
  const walk = (x: SymValue) => {
    if (x.kind === 'field') {
      const shown = x.path.startsWith('\u0001') ? undefined : shownField(x.path);
      if (shown === undefined) computed = true;
      else sources.add(shown);
    } else if (x.kind === 'choice') {
      walk(x.then);
      walk(x.otherwise);
    } else if (x.kind === 'cases') for (const c of x.cases) walk(c.value);
    else if (x.kind !== 'const') computed = true;
  };
  walk(v);
  return !computed && sources.size === 1 ? [...sources][0]! : '';
}

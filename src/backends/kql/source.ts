// The start of a KQL query: the mapped table, the filter that selects the log source's events,
// and the computed columns that put the table's values in the rule's form.

import type { TargetSource } from '../types.js';
import { kqlField } from './query.js';

/** `Table | where filter | extend a = ...` (the computed columns the query uses), or undefined without a table. */
export function kqlSource(source: TargetSource, used: Set<string>, anyTable?: string): string | undefined {
  const table = source.table ?? anyTable;
  if (!table) return undefined;
  const lines = [table];
  if (source.filter) lines.push(`| where ${source.filter}`);
  const extend = Object.entries(source.extend ?? {}).filter(([name]) => used.has(name));
  if (extend.length > 0) lines.push(`| extend ${extend.map(([name, expression]) => `${kqlField(name)} = ${expression}`).join(', ')}`);
  return lines.join('\n');
}

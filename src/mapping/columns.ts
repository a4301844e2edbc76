// Column types of the KQL tables the shipped mappings use (data/kusto-columns.json, written by
// scripts/kusto-columns.js from the published table schemas).

import { readFileSync } from 'node:fs';

let tables: Record<string, Record<string, string>> | undefined;

export function columnsOf(table: string): Record<string, string> | undefined {
  tables ??= JSON.parse(readFileSync(new URL('./data/kusto-columns.json', import.meta.url), 'utf8')) as Record<string, Record<string, string>>;
  return Object.hasOwn(tables, table) ? tables[table] : undefined;
}

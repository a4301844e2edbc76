// Which mapping entry a rule's log source uses: every key of the entry's `match` must equal the
// rule's value (ignoring case); the entry naming the most keys wins, and among equals the one
// defined last, so that a user's entry wins over a shipped one.

import type { LogSource } from '../ast/rule.js';
import { MATCH_KEYS, type LogSourceMapping, type Mapping } from './schema.js';

/** A corpus has a few hundred distinct log sources and thousands of rules: choose once each. */
const chosen = new WeakMap<Mapping, Map<string, LogSourceMapping | undefined>>();

export function selectLogSource(mapping: Mapping, logsource: LogSource): LogSourceMapping | undefined {
  let byKey = chosen.get(mapping);
  if (!byKey) chosen.set(mapping, (byKey = new Map()));
  const key = JSON.stringify([logsource.product, logsource.category, logsource.service, logsource.logTypes].map((v) => (Array.isArray(v) ? v.map(lower) : lower(v))));
  if (byKey.has(key)) return byKey.get(key);
  let best: LogSourceMapping | undefined;
  let bestKeys = 0;
  for (const entry of mapping.logsources) {
    const keys = Object.keys(entry.match).length;
    if (keys >= bestKeys && keys > 0 && matches(entry, logsource)) {
      best = entry;
      bestKeys = keys;
    }
  }
  byKey.set(key, best);
  return best;
}

function lower(value: string | undefined): string | undefined {
  return value?.toLowerCase();
}

function matches(entry: LogSourceMapping, logsource: LogSource): boolean {
  return MATCH_KEYS.every((key) => {
    const want = entry.match[key]?.toLowerCase();
    if (want === undefined) return true;
    if (key === 'logtype') return (logsource.logTypes ?? []).some((t) => t.toLowerCase() === want);
    return logsource[key]?.toLowerCase() === want;
  });
}

// Which mapping entry a rule's log source uses: every key of the entry's `match` must equal the
// rule's value (ignoring case); the entry naming the most keys wins, and among equals the one
// defined last, so that a user's entry wins over a shipped one.

import type { LogSource } from '../ast/rule.js';
import { MATCH_KEYS, type LogSourceMapping, type Mapping } from './schema.js';

export function selectLogSource(mapping: Mapping, logsource: LogSource): LogSourceMapping | undefined {
  let best: LogSourceMapping | undefined;
  let bestKeys = 0;
  for (const entry of mapping.logsources) {
    const keys = Object.keys(entry.match).length;
    if (keys >= bestKeys && keys > 0 && matches(entry, logsource)) {
      best = entry;
      bestKeys = keys;
    }
  }
  return best;
}

function matches(entry: LogSourceMapping, logsource: LogSource): boolean {
  return MATCH_KEYS.every((key) => {
    const want = entry.match[key]?.toLowerCase();
    if (want === undefined) return true;
    if (key === 'logtype') return (logsource.logTypes ?? []).some((t) => t.toLowerCase() === want);
    return logsource[key]?.toLowerCase() === want;
  });
}

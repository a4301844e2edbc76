// One rule's conversion as plain data: what the command prints, writes and caches.

import type { Target } from '../backends/types.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleConversion } from './convert.js';

export interface ConversionRecord {
  path: string;
  document: number;
  id: string | null;
  title: string | null;
  ok: boolean;
  target: Target;
  format: string;
  queries: string[];
  /** The conversion's diagnostics; for a rule that did not load, its own errors first. */
  diagnostics: Diagnostic[];
}

export function conversionRecord(c: RuleConversion): ConversionRecord {
  const own = c.result.ok ? [] : c.result.diagnostics.filter((d) => d.severity === 'error');
  return {
    path: c.result.path,
    document: c.result.document,
    id: c.result.rule?.id ?? null,
    title: c.result.rule?.title ?? null,
    ok: c.ok,
    target: c.target,
    format: c.format,
    queries: c.queries,
    diagnostics: [...own, ...c.diagnostics],
  };
}

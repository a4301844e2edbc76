// Shared terminal output: diagnostics, summaries, exit codes.

import type { RuleResult } from '../ast/rule.js';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** Input problems that make the run's answer incomplete: the command line was wrong. */
const USAGE_CODES = new Set(['path-not-found', 'usage', 'invalid-attack-table', 'invalid-placeholders']);

export function isUsageProblem(d: Diagnostic): boolean {
  return USAGE_CODES.has(d.code);
}

export function writeLines(stream: NodeJS.WritableStream, lines: string[]): void {
  if (lines.length > 0) stream.write(lines.join('\n') + '\n');
}

export function printRunDiagnostics(diagnostics: Diagnostic[]): void {
  writeLines(process.stderr, diagnostics.map((d) => formatDiagnostic(d)));
}

/** "3 errors, 12 warnings (unknown-attack-tag 10, null-in-list 2)" */
export function countDiagnostics(results: RuleResult[]): string {
  const bySeverity = { error: 0, warning: 0, info: 0 };
  const byCode = new Map<string, number>();
  for (const r of results) {
    for (const d of r.diagnostics) {
      bySeverity[d.severity]++;
      if (d.severity !== 'info') byCode.set(d.code, (byCode.get(d.code) ?? 0) + 1);
    }
  }
  const codes = [...byCode].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([c, n]) => `${c} ${n}`);
  const parts = [plural(bySeverity.error, 'error'), plural(bySeverity.warning, 'warning')];
  return `${parts.join(', ')}${codes.length ? ` (${codes.join(', ')})` : ''}`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** Lets `rulebridge ... | head` end quietly. */
export function exitQuietlyOnBrokenPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

// Diagnostics are values: every stage collects them with a code and a position and hands them
// on; nothing downstream throws for bad input.

import { DIAGNOSTIC_CODES, type DiagnosticCode } from './codes.js';

export type Severity = 'error' | 'warning' | 'info';

export interface Diagnostic {
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  path?: string;
  line?: number;
  col?: number;
}

export interface Position {
  line: number;
  col: number;
}

/** A diagnostic with the code's default severity. */
export function diagnostic(
  code: DiagnosticCode,
  message: string,
  position?: Partial<Position> & { path?: string },
  severity: Severity = DIAGNOSTIC_CODES[code].severity,
): Diagnostic {
  const d: Diagnostic = { severity, code, message };
  if (position?.path !== undefined) d.path = position.path;
  if (position?.line !== undefined) d.line = position.line;
  if (position?.col !== undefined) d.col = position.col;
  return d;
}

export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error');
}

/** `path:line:col: severity[code] message`, the shape editors and CI logs link from. */
export function formatDiagnostic(d: Diagnostic, fallbackPath?: string): string {
  const path = d.path ?? fallbackPath ?? '';
  const where = path ? `${path}:${d.line ?? 1}:${d.col ?? 1}: ` : '';
  return `${where}${d.severity}[${d.code}] ${d.message}`;
}

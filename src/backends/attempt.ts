// The one place a backend's refusal becomes a diagnostic.

import { diagnostic } from '../diagnostics/diagnostic.js';
import { Unprintable } from './tree.js';
import type { Conversion } from './types.js';

/** Runs a printer; an Unprintable construct gives no query and an error saying why. */
export function attempt(print: () => string): Conversion {
  try {
    return { queries: [print()], diagnostics: [] };
  } catch (error) {
    if (error instanceof Unprintable) return { queries: [], diagnostics: [diagnostic(error.code, error.message)] };
    throw error;
  }
}

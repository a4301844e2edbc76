// V8 compiles a function with its optimizing compiler (TurboFan, on background threads) once
// the function has used up an "interrupt budget" of bytecode run. The default budget suits
// pages that must get fast quickly; a catalog build makes ~1,400 functions hot enough, and on a
// two-core machine compiling them took 4-5 s of CPU on the background threads, competing with
// the build's own two threads. With a budget six times larger fewer functions are compiled,
// and later, once they have shown they are hot: the whole build of SigmaHQ + panther-analysis
// measured ~14% faster (median of 6 runs, 8.7 s -> 7.4 s; budgets from 250,000 to 600,000
// measured alike). Only the timing of compilation changes, never what the code does.
//
// V8's flags are meant to be set before it starts; this one is read each time a function's
// budget is renewed, so setting it here takes effect for the rest of the process and for the
// worker threads it starts.

import { setFlagsFromString } from 'node:v8';

export const BATCH_INTERRUPT_BUDGET = 400_000;

/** For commands that run one long batch over a large corpus. */
export function useBatchJitBudget(): void {
  setFlagsFromString(`--interrupt-budget=${BATCH_INTERRUPT_BUDGET}`);
}

// Names and what they stand for while the extractor reads a function: its locals, then the
// module's names (constants, functions, imports), then Python's builtins.

import type { SymValue } from './values.js';

export class Environment {
  private readonly names = new Map<string, SymValue>();

  constructor(
    readonly parent?: Environment,
    /** The module a function was defined in: where its globals live. */
    readonly module?: ModuleScope,
  ) {}

  lookup(name: string): SymValue | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  /** Whether the name is bound in this scope itself, not in an enclosing one. */
  owns(name: string): boolean {
    return this.names.has(name);
  }

  set(name: string, value: SymValue): void {
    this.names.set(name, value);
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  /** The names bound here (not in parents), for merging branches. */
  entries(): Array<[string, SymValue]> {
    return [...this.names];
  }

  /** A copy of this scope (parents shared): a branch of an `if` assigns into its own copy. */
  fork(): Environment {
    const copy = new Environment(this.parent, this.module);
    for (const [k, v] of this.names) copy.names.set(k, v);
    return copy;
  }
}

/** A module read from a file: its top-level names, and where it came from. */
export interface ModuleScope {
  name: string;
  path: string;
  env: Environment;
}

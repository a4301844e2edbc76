// What a backend is given and what it gives back.

import type { Condition } from '../ast/condition.js';
import type { Correlation, OutputField, Rule } from '../ast/rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';

export type Target = 'splunk' | 'kql' | 'chronicle';

/** A rule as the target sees it: fields renamed, and where its events live. */
export interface TargetRule {
  rule: Rule;
  /** The condition to print (field names mapped; a partial rule's necessary condition). */
  condition: Condition | null;
  /** Output fields with mapped names. */
  fields: OutputField[];
  /** A correlation rule's correlation, its group-by and aggregated fields mapped. */
  correlation?: Correlation;
  /** Where the events are: Splunk search terms, a KQL table, UDM event types. Empty without a mapping. */
  source: TargetSource;
}

export interface TargetSource {
  /** Splunk: terms put in front of the search (`index=... sourcetype=...`). */
  splunk?: string;
  /** KQL: the table, and the types of its columns. */
  table?: string;
  columns?: Record<string, string>;
  /** KQL: a filter on the table that selects the log source's events. */
  filter?: string;
  /** KQL: computed columns (name -> expression) the query adds before testing them. */
  extend?: Record<string, string>;
  /** Chronicle: `metadata.event_type` values. */
  eventTypes?: string[];
}

export interface ConvertContext {
  format: string;
  /** The target view of another rule of the set (correlations refer to rules). */
  resolve(ref: string): TargetRule | undefined;
}

export interface Conversion {
  queries: string[];
  diagnostics: Diagnostic[];
}

export interface Backend {
  target: Target;
  formats: readonly string[];
  defaultFormat: string;
  /** File extension for `--out`, per format. */
  extension(format: string): string;
  /** A one-line comment in the format's syntax, for labelling queries; none if it has none. */
  comment(format: string, text: string): string | undefined;
  convert(rule: TargetRule, context: ConvertContext): Conversion;
  /** Whether the language can test a value's JSON type (the `is` test of Panther's isinstance). */
  typeTests: boolean;
  /**
   * Whether a test of an array field reads as "some element passes" (Splunk multivalue fields,
   * UDM repeated fields), which is how `any(array, test)` is printed; KQL compares the array.
   */
  elementTests: boolean;
}

// The --cache of commands that read rules: each file's parse results, kept by its content and
// by what it is parsed with (the option files), reused while both are unchanged.

import { codeIdentity, contentDigests, digest, fileText } from '../cache/identity.js';
import { Cache } from '../cache/store.js';
import type { RuleInputOptions } from './rule-options.js';

export interface RuleCache {
  cache: Cache;
  /** Identity of the parse options, for keys of whole runs. */
  parse: string;
  digests: Map<string, string>;
}

export function openRuleCache(location: string, options: RuleInputOptions, files: string[]): RuleCache {
  const digests = contentDigests(files);
  const optionFiles = [options.attack, options.placeholders].map((f) => (f ? fileText(f) : null));
  const parse = digest({ optionFiles, maxFileSize: options.maxFileSize });
  return { cache: new Cache(location, codeIdentity(), parse, digests), parse, digests };
}

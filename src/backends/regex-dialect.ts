// Regular expressions for RE2 engines (KQL, YARA-L): the AST's PCRE-core patterns mostly carry
// over; what RE2 lacks is refused by name rather than sent on to fail or to mean something else.

import { analyzeRegex } from '../ast/regex.js';
import { Unprintable } from './tree.js';

const RE2_LACKS: Array<[RegExp, string]> = [
  [/\(\?[=!]/, 'lookahead'],
  [/\(\?<[=!]/, 'lookbehind'],
  [/\\[1-9]/, 'backreferences'],
  [/\\k</, 'named backreferences'],
];

/** The pattern for RE2 with its flags as an inline prefix, or an error naming what RE2 lacks. */
export function re2Pattern(pattern: string, flags: string): string {
  const analysis = analyzeRegex(pattern);
  if (analysis.unsupported.length > 0) throw new Unprintable(`RE2 has no ${analysis.unsupported.join(', ')} (in /${pattern}/)`);
  for (const [construct, name] of RE2_LACKS) {
    if (construct.test(stripClasses(pattern))) throw new Unprintable(`RE2 has no ${name} (in /${pattern}/)`);
  }
  const prefix = [...new Set(flags)].sort().join('');
  return prefix ? `(?${prefix})${pattern}` : pattern;
}

/** The pattern without escapes and character classes, where the constructs above cannot hide. */
function stripClasses(pattern: string): string {
  return pattern.replace(/\\[^1-9k]/g, '__').replace(/\[(?:\\.|[^\]\\])*\]/g, '_');
}

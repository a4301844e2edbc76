// The regular-expression dialect of the AST is the one Sigma specifies: PCRE, restricted to
// the common core. This module reads a pattern once, reports what it uses, and translates it
// for JavaScript (the evaluator). Backends with other engines (RE2) translate from the same
// reading. Where engines differ inside the core, the translation gives JavaScript RE2's
// meaning, which two of the three targets use: `.` excludes only `\n` (JavaScript also excludes
// `\r`, U+2028 and U+2029), and `\s` is `[\t\n\f\r ]` (JavaScript adds `\v` and Unicode spaces).

export interface RegexAnalysis {
  /** Flags switched on by a leading inline group such as `(?i)`; removed from `body`. */
  leadingFlags: string;
  /** The pattern without its leading inline flag group. */
  body: string;
  /** Constructs JavaScript lacks and that cannot be rewritten, with a readable name each. */
  unsupported: string[];
  /** The body rewritten for JavaScript's RegExp. */
  javascript: string;
}

const LEADING_FLAGS = /^\(\?([a-zA-Z]+)\)/;
/** RE2's `\s`, as the inside of a character class. */
const RE2_SPACE = '\\t\\n\\f\\r ';

export function analyzeRegex(pattern: string): RegexAnalysis {
  let body = pattern;
  let leadingFlags = '';
  const unsupported: string[] = [];
  const lead = LEADING_FLAGS.exec(pattern);
  if (lead) {
    const letters = lead[1]!;
    if (/^[imsx]+$/.test(letters) && !letters.includes('x')) {
      leadingFlags = [...new Set(letters)].sort().join('');
      body = pattern.slice(lead[0].length);
    }
  }
  let js = '';
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) {
        js += '\\\\';
        i++;
        continue;
      }
      if (next === 'A') js += '(?<![\\s\\S])';
      else if (next === 'z') js += '(?![\\s\\S])';
      else if (next === 'Z') js += '(?=\\n?(?![\\s\\S]))';
      else if (next === 'h') js += '[ \\t]';
      else if (next === 's') js += `[${RE2_SPACE}]`;
      else if (next === 'S') js += `[^${RE2_SPACE}]`;
      else if (next === 'Q' || next === 'E' || next === 'G' || next === 'K' || next === 'R' || next === 'X') {
        unsupported.push(`\\${next}`);
        js += '\\' + next;
      } else js += '\\' + next;
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = classEnd(body, i);
      const cls = body.slice(i, end);
      if (/\[:[a-z]+:\]/.test(cls.slice(1))) unsupported.push('POSIX character class');
      js += cls.replace(/\\[\s\S]/g, (escape) => (escape === '\\s' ? RE2_SPACE : escape));
      i = end;
      continue;
    }
    if (c === '(' && body[i + 1] === '?') {
      const rest = body.slice(i + 2);
      if (rest.startsWith('P<')) {
        js += '(?<';
        i += 4;
        continue;
      }
      if (rest.startsWith('P=')) {
        const close = rest.indexOf(')');
        js += `\\k<${rest.slice(2, close)}>`;
        i += 2 + close + 1;
        continue;
      }
      if (rest.startsWith('>')) unsupported.push('atomic group (?>...)');
      else if (/^[a-zA-Z-]+[:)]/.test(rest)) unsupported.push('inline flag group not at the start');
      else if (rest.startsWith('#')) unsupported.push('comment group (?#...)');
      else if (rest.startsWith('|')) unsupported.push('branch reset group (?|...)');
      js += '(?';
      i += 2;
      continue;
    }
    if ((c === '+' || c === '*' || c === '?' || c === '}') && body[i + 1] === '+' && i > 0) {
      unsupported.push('possessive quantifier');
    }
    // Any character but \n, with or without JavaScript's `s` flag (which lets `.` take \n too).
    js += c === '.' ? '(?:.|[\\r\\u2028\\u2029])' : c;
    i++;
  }
  return { leadingFlags, body, unsupported, javascript: js };
}

/** Index just after the `]` that closes the character class opened at `start`. */
function classEnd(text: string, start: number): number {
  let i = start + 1;
  if (text[i] === '^') i++;
  if (text[i] === ']') i++;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\') i += 2;
    else if (c === '[' && text[i + 1] === ':') {
      const close = text.indexOf(':]', i + 2);
      i = close === -1 ? i + 1 : close + 2;
    } else if (c === ']') return i + 1;
    else i++;
  }
  return text.length;
}

export type CompiledRegex = { ok: true; regexp: RegExp } | { ok: false; message: string };

const cache = new Map<string, CompiledRegex>();

/** Compiles an AST regex (pattern plus `ims` flags) for JavaScript, or says why it cannot. */
export function compileRegex(pattern: string, flags = ''): CompiledRegex {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const analysis = analyzeRegex(pattern);
  let result: CompiledRegex;
  if (analysis.unsupported.length > 0) {
    result = { ok: false, message: `uses ${[...new Set(analysis.unsupported)].join(', ')}` };
  } else {
    const all = [...new Set(flags + analysis.leadingFlags)].filter((f) => 'ims'.includes(f)).sort().join('');
    try {
      result = { ok: true, regexp: new RegExp(analysis.javascript, all) };
    } catch (error) {
      result = { ok: false, message: (error as Error).message.replace(/^Invalid regular expression: /, '') };
    }
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(key, result);
  return result;
}

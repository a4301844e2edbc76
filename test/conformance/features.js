// Sorts a difference between rulebridge's and pySigma's query for one rule into kinds: known
// defects of pySigma (each documented in docs/deviations.md) first, then the constructs the
// rule uses, so that the report shows where differences come from.

/** pySigma's `\*` (an odd number of backslashes before a star) inside a search string. */
const LITERAL_STAR = /(?<!\\)(?:\\\\)*\\\*/;

const KNOWN = {
  splunk: [
    [(t) => /\| search OR\b/.test(t), 'pySigma moves a term out of an OR group (`| search OR ...`)'],
    [(t, o) => /^\| rex /.test(t) && /^\* \| rex /.test(o), 'pySigma starts a query with `| rex` (a search must start with search terms): rulebridge starts with `*`'],
    [(t) => LITERAL_STAR.test(t), 'a literal * cannot be escaped in search syntax (pySigma writes \\*, still a wildcard): rulebridge uses a regex'],
    [(t, o) => /\?/.test(o) && /\| (?:regex|rex)/.test(o) && !/\| (?:regex|rex)/.test(t) && !LITERAL_STAR.test(t), 'one-character wildcard: pySigma widens ? to *'],
    [(t, o) => /NOT \(\w+="[^"]*" OR/.test(o) && /NOT \w+="[^"]*" OR/.test(t), 'pySigma drops the parentheses of a negated windash group'],
    [(t, o) => /lower\('/.test(o), 'field reference compared ignoring case (pySigma compares exactly)'],
    [(t, o) => /NOT \(/.test(t) && /\| regex \S+="/.test(t) && /\| rex /.test(o), 'pySigma drops the negation of a regex inside a negated group'],
    [(t, o) => /NOT \w+Condition\d*="true"/.test(t) && /\| regex \S+!="/.test(o), 'a one-selection `1 of` counts as an OR for pySigma (rex instead of regex; same meaning)'],
  ],
  kql: [
    [(t) => /''[^']+''/.test(t), "pySigma doubles the quotes of a quoted field name (invalid KQL)"],
    [(t) => /(?:^|[( ])'[^'\s]+' (?:=~|==|contains|startswith|endswith|in~|matches|>|<)/.test(t), "pySigma quotes dotted/dashed field names as string literals ('a.b' is text, not a column)"],
    [(t, o) => /=~ (?:true|false)\b/.test(t) && /== (?:true|false)\b/.test(o), 'booleans compared with == (=~ is not defined for bool)'],
    [(t, o) => t.replace(/[()]/g, '') === o.replace(/[()]/g, '') && (t.match(/ or /g) ?? []).length > 256, "over 256 operands in a row: rulebridge groups them (Kusto's parser stops at a nesting depth near 450)"],
    [(t) => /ipv4_is_in_range\([^,]+, "[^"]*:/.test(t), 'pySigma tests IPv6 networks with ipv4_is_in_range'],
    [(t, o) => /\* contains|pack_all\(\)/.test(o), 'keyword search: pySigma writes a bare string (not a predicate)'],
    [(t, o) => /matches regex "(?:[^"\\]|\\.)*[^\\]\.(?!\*)/.test(o) && !/matches regex/.test(t), 'pySigma drops one-character wildcards (widens the match)'],
    [(t, o) => /\((\S+) contains "(?:\\.|[^"\\])*"(?: and \1 contains "(?:\\.|[^"\\])*")+\)/.test(t) && /matches regex/.test(o), 'pySigma splits an inner wildcard into contains-and (widens the match)'],
    [(t) => /matches regex "[^"(^]/.test(t) && !/matches regex "\(\?i\)/.test(t), 'pySigma matches wildcards with an unanchored, case-sensitive regex'],
    [(t, o) => /in \((\d|-)/.test(o) && /in~ \("\d/.test(t), 'numbers listed as numbers, not strings in in~'],
  ],
  'chronicle-udm': [
    [(t, o) => /!?= \/(?:\\.|[^/\\])*\/ nocase/.test(t) && /[!]?= \/\^|\$\/ nocase|\$\|/.test(o), 'pySigma drops the anchors of startswith/endswith/eq alternatives'],
    [(t, o) => /\/ nocase/.test(t) && /= \/(?:\\.|[^/\\])+\/(?! nocase)/.test(o), 'regular expressions are case-sensitive unless flagged i (pySigma adds nocase)'],
    [(t) => /\)? AND \w+ = \/[^/]*\/ nocase OR/.test(t), 'pySigma drops the parentheses of a windash/base64offset group under AND'],
    [(t) => /^\(.*\)$/.test(t), 'pySigma parenthesises a whole-rule disjunction (same meaning)'],
    [(t, o) => t.replace(/[()]/g, '') === o.replace(/[()]/g, '') && (o.match(/\(/g) ?? []).length > (t.match(/\(/g) ?? []).length, 'pySigma drops the parentheses of an OR group under AND (it ranks OR above AND)'],
    [(t) => /= \/(?:[^/\\]|\\.)*\/[^\s]/.test(t), 'pySigma leaves `/` unescaped inside a regex literal (ends it early) and `.` unescaped (any character)'],
    [(t) => /= "(?:[^"\\]|\\.)*\.\*" nocase/.test(t) || /= \/\^\/ nocase/.test(t), 'pySigma writes a pattern as a quoted string with `.*` (compared literally), or a match-anything pattern as /^/'],
    [(t, o) => /= \/-?\d+(?:\|-?\d+)+\//.test(t) && / = -?\d+ OR /.test(o), 'pySigma matches a list of numbers with an unanchored regex (8021 matches 21)'],
    [(t) => /""[^"]+""/.test(t), 'keyword search: pySigma writes ""x""'],
    [(t) => / = (?!["/\d-]|true\b|false\b)\S/.test(t), 'pySigma writes a regular expression without slashes'],
    [(t, o) => t.replace(/[()]/g, '') === o.replace(/[()]/g, '') && (t.match(/\(/g) ?? []).length > (o.match(/\(/g) ?? []).length, 'pySigma adds parentheses around groups (same meaning)'],
    [(t, o) => /\bNOT\b/.test(o), 'negation pySigma drops or misplaces'],
  ],
};
KNOWN['chronicle-yaral'] = [
  [(t) => /conditions:/.test(t), 'YARA-L template: pySigma writes `conditions:` and unescaped meta strings'],
  ...KNOWN['chronicle-udm'],
];

/**
 * Deliberate rewrites that can be undone in the text: each is noted, undone, and what is left
 * is compared again (and, if it still differs, sorted by the detectors above).
 */
const UNDONE = {
  kql: [
    [
      (q) =>
        q
          .replace(/\(isnotnull\(([^()]+)\) and ([^()]+ (?:=~|==) "")\)/g, '$2')
          .replace(/\(isnotnull\(([^()]+)\) and (\S+ in~? \((?:"(?:[^"\\]|\\.)*"(?:, )?)*\))\)/g, '$2')
          .replace(/\(isnotnull\(([^()]+)\) and isnotnull\(([^()]+)\) and ([^()]+)\)/g, '$3')
          .replace(/coalesce\((ipv[46]_is_in_range\([^()]*\)), false\)/g, '$1')
          .replace(/isnotnull\(([^()\s]+)\)/g, '$1 startswith ""'),
      'a missing field is null, which KQL string tests read as "" and range functions as null: rulebridge adds isnotnull() / coalesce() where that would change the result',
    ],
    [(q) => q.replace(/"\(\?(i?)s\)\^/g, '"(?$1)^').replace(/"\(\?\)\^/g, '"^'), 'wildcards turned into a regex match newlines, as Sigma wildcards do (`(?s)`)'],
  ],
  'chronicle-udm': [[(q) => q.replace(/\(\?s\)/g, ''), 'wildcards turned into a regex match newlines, as Sigma wildcards do (`(?s)`)']],
  'chronicle-yaral': [[(q) => q.replace(/\(\?s\)/g, ''), 'wildcards turned into a regex match newlines, as Sigma wildcards do (`(?s)`)']],
  splunk: [[(q) => q.replace(/\(\?(i?)s\)\^/g, '(?$1)^').replace(/\(\?\)\^/g, '^'), 'wildcards turned into a regex match newlines, as Sigma wildcards do (`(?s)`)']],
};

export function conformanceFeatures(rule, theirs, original, target) {
  const kinds = [];
  let ours = original;
  for (const [undo, kind] of UNDONE[target] ?? []) {
    const undone = undo(ours);
    if (undone !== ours) kinds.push(`[known] ${kind}`);
    ours = undone;
  }
  if (ours === theirs) return kinds;
  for (const [test, kind] of KNOWN[target] ?? []) if (test(theirs, ours)) kinds.push(`[known] ${kind}`);
  if (kinds.some((k) => !UNDONE[target]?.some(([, u]) => k === `[known] ${u}`))) return kinds;
  kinds.length = 0;
  const features = new Set();
  const visit = (node) => {
    switch (node.kind) {
      case 'and':
      case 'or':
        node.children.forEach(visit);
        break;
      case 'not':
        features.add('negation');
        visit(node.child);
        break;
      case 'elements':
        visit(node.condition);
        break;
      case 'keyword':
        features.add('keyword search');
        break;
      case 'fieldref':
        features.add('field reference');
        break;
      case 'exists':
        features.add('exists');
        break;
      case 'match':
        if (node.expansion) features.add('windash/base64offset variants');
        if (node.op === 'regex') features.add('regular expression');
        if (node.op === 'cidr') features.add('cidr');
        if (node.op === 'wildcard') features.add('inner wildcard');
        if (node.values.some((v) => v === null)) features.add('null');
        if (node.values.some((v) => typeof v === 'number')) features.add('number');
        if (node.values.some((v) => typeof v === 'boolean')) features.add('boolean');
        if (node.values.length > 1) features.add(`value list (${node.op})`);
        break;
    }
  };
  if (rule?.condition) visit(rule.condition);
  return [...features].map((f) => `uses ${f}`).concat(features.size === 0 ? ['other'] : []);
}

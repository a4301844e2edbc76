// SARIF 2.1.0 for code scanning: one result per finding, located at the rule under review
// (the first of the pair), with the other rule as a related location. Findings that fail the
// run are errors, other equivalences and subsumptions warnings, overlaps notes.

import type { Level } from './baseline.js';
import type { FindingView } from './report.js';

const RULES: Array<{ id: string; level: Level; name: string; text: string; help: string }> = [
  {
    id: 'rulebridge/dupes/equivalent',
    level: 'equivalent',
    name: 'EquivalentRule',
    text: 'The rule has the same condition as another rule of the same log source, in another shape.',
    help: 'Remove the new rule, or change it so that it detects something the existing rule does not.',
  },
  {
    id: 'rulebridge/dupes/subsumed',
    level: 'subsumed',
    name: 'SubsumedRule',
    text: 'One of the two rules matches every event the other matches.',
    help: 'A narrower rule adds alerts only where it is tuned differently (severity, filters); a broader one may replace the other.',
  },
  {
    id: 'rulebridge/dupes/overlap',
    level: 'overlap',
    name: 'OverlappingRule',
    text: 'The rule shares most of its indicators, weighted by rarity, with another rule of the same log source.',
    help: 'Check whether the two rules detect the same activity and can be merged.',
  },
];

export function sarifReport(findings: FindingView[], version: string): string {
  const results = findings.map((f) => {
    const index = RULES.findIndex((r) => r.level === f.level);
    return {
      ruleId: RULES[index]!.id,
      ruleIndex: index,
      level: f.failing ? 'error' : f.level === 'overlap' ? 'note' : 'warning',
      message: { text: message(f) },
      locations: [location(f.first.path, f.first.line, f.first.col)],
      relatedLocations: [{ id: 1, ...location(f.second.path, f.second.line, f.second.col), message: { text: `${f.second.title} (${f.second.id})` } }],
      partialFingerprints: { 'rulebridge/pair': `${f.first.id}|${f.second.id}|${f.relation}` },
      properties: { relation: f.relation, score: f.score, logSource: f.logSource, shared: f.shared, onlyThisRule: f.onlyFirst, onlyOtherRule: f.onlySecond, ...(f.alerting ? { alertingDiffers: f.alerting } : {}) },
    };
  });
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rulebridge',
            version,
            rules: RULES.map((r) => ({
              id: r.id,
              name: r.name,
              shortDescription: { text: r.text },
              help: { text: r.help },
              defaultConfiguration: { level: r.level === 'overlap' ? 'note' : 'warning' },
            })),
          },
        },
        columnKind: 'unicodeCodePoints',
        results,
      },
    ],
  };
  return JSON.stringify(log, null, 2) + '\n';
}

function location(path: string, line: number, col: number) {
  return { physicalLocation: { artifactLocation: { uri: encodeURI(path) }, region: { startLine: Math.max(1, line), startColumn: Math.max(1, col) } } };
}

function message(f: FindingView): string {
  // Brackets in a SARIF message mark links; literal ones are escaped.
  const other = `[${f.second.title.replace(/[[\]\\]/g, '\\$&')}](1) (${f.second.id})`;
  const shared = f.shared.length > 0 ? ` Shared: ${f.shared.slice(0, 6).join(', ')}${f.shared.length > 6 ? ', ...' : ''}.` : '';
  const only = f.onlyFirst.length > 0 ? ` Only in this rule: ${f.onlyFirst.slice(0, 6).join(', ')}${f.onlyFirst.length > 6 ? ', ...' : ''}.` : '';
  switch (f.relation) {
    case 'equivalent':
      return `This rule is equivalent to ${other}: the same condition in another shape.${shared}`;
    case 'subsumed-by':
      return `Every event this rule matches, ${other} matches too.${shared}${only}`;
    case 'subsumes':
      return `This rule matches every event ${other} matches, and more.${shared}`;
    case 'overlap':
      return `This rule overlaps ${other} (score ${f.score.toFixed(2)}).${shared}${only}`;
  }
}

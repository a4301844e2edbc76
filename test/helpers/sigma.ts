// Test helpers: read Sigma text the way the CLI does and get at the parts tests look at.
import { printCondition } from '../../src/ast/print.js';
import type { RuleResult } from '../../src/ast/rule.js';
import { attackTable } from '../../src/attack/table.js';
import { readSigmaText, type SigmaOptions } from '../../src/formats/sigma/index.js';
import { linkSigmaRuleSet } from '../../src/formats/sigma/ruleset.js';

export function readSigma(text: string, options: Partial<SigmaOptions> = {}, path = 'rule.yml'): RuleResult[] {
  const results = readSigmaText(path, text, { attack: attackTable(), ...options });
  linkSigmaRuleSet(results);
  return results;
}

/** A rule with the given detection section (YAML, indented as under `detection:`). */
export function ruleWithDetection(detection: string, extra = ''): string {
  return `title: Test rule
id: 00000000-0000-4000-8000-000000000001
logsource:
    product: windows
    category: process_creation
detection:
${detection.replace(/^\n/, '').replace(/^/gm, '    ')}
${extra}`;
}

/** The condition text of a one-rule detection, or the error codes when it did not read. */
export function conditionOf(detection: string, options: Partial<SigmaOptions> = {}): string {
  const [result] = readSigma(ruleWithDetection(detection), options);
  if (!result?.rule?.condition || !result.ok) {
    return `ERROR ${result?.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code).join(',')}`;
  }
  return printCondition(result.rule.condition);
}

export function codesOf(result: RuleResult | undefined): string[] {
  return result?.diagnostics.map((d) => d.code) ?? [];
}

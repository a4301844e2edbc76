// What a rule's page shows that depends on the rules alone, not on the rest of the catalog: its
// queries for each target, its code highlighted and its Markdown rendered. Half the work of the
// rule pages, and independent of the index: the build computes it on another thread
// (rule-parts-thread.ts) while this one builds the index and renders the other pages.

import { printCondition, printCorrelation } from '../../ast/print.js';
import type { Rule, RuleResult } from '../../ast/rule.js';
import { convertRules, type TargetOutcome } from './conversions.js';
import { highlight } from './highlight.js';
import { markdownToHtml } from './markdown.js';

/** Rule text is rendered with headings two levels below the page's sections (h2). */
const MARKDOWN = { headingOffset: 2 };

export interface RuleParts {
  /** The rule's place (path from the catalog's base, document), to check the parts belong to it. */
  path: string;
  document: number;
  /** One per target, in SITE_TARGETS order. */
  conversions: TargetOutcome[];
  body: { yamlHtml: string; yamlName: string; python?: { name: string; html: string } };
  /** Sigma's stages (the condition, then each selection with the predicate it reads as). */
  stages: Array<{ index: number; name: string; html?: string; text?: string; conditionHtml?: string }>;
  conditionHtml?: string;
  correlationHtml?: string;
  descriptionHtml?: string;
  runbookHtml?: string;
}

/**
 * The parts of each rule's page, for the catalog's rules in its order (see catalogRuleOrder),
 * each result with its path from the catalog's base: the set is converted as a whole.
 */
export function ruleSetParts(results: RuleResult[]): RuleParts[] {
  const conversions = convertRules(results);
  return results.map((result, i) => ruleParts(result, conversions[i]!));
}

function ruleParts(result: RuleResult, conversions: TargetOutcome[]): RuleParts {
  const rule = result.rule!;
  const parts: RuleParts = { path: result.path, document: result.document, conversions, body: body(rule), stages: stages(rule) };
  if (rule.condition) parts.conditionHtml = highlight(printCondition(rule.condition, { cased: rule.source.format === 'panther' }), 'text');
  else if (rule.correlation) parts.correlationHtml = highlight(printCorrelation(rule.correlation), 'text');
  if (rule.description) parts.descriptionHtml = markdownToHtml(rule.description, MARKDOWN);
  if (rule.runbook) parts.runbookHtml = markdownToHtml(rule.runbook, MARKDOWN);
  return parts;
}

function body(rule: Rule): RuleParts['body'] {
  const name = rule.source.path.slice(rule.source.path.lastIndexOf('/') + 1);
  const out: RuleParts['body'] = { yamlName: name, yamlHtml: highlight(rule.source.text, 'yaml') };
  const python = rule.stages.find((s) => s.name.endsWith('.py'));
  // Python lines have ids: the unknown parts of a partial rule link to them.
  if (python) out.python = { name: python.name, html: highlight(python.text, 'python', { anchors: 'py' }) };
  return out;
}

function stages(rule: Rule): RuleParts['stages'] {
  const cased = { cased: rule.source.format === 'panther' };
  return rule.stages
    .filter((s) => !s.name.endsWith('.py'))
    .map((s, i) => {
      // The condition stage holds the condition expression only: plain text, not YAML.
      const isCondition = i === 0 && s.name === 'condition';
      const stage: RuleParts['stages'][number] = { index: i, name: s.name };
      if (isCondition) stage.text = s.text;
      else stage.html = highlight(s.text, 'yaml');
      if (s.condition) stage.conditionHtml = highlight(printCondition(s.condition, cased), 'text');
      return stage;
    });
}

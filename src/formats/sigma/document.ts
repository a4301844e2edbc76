// One Sigma YAML document -> one result: a detection rule, a correlation or a filter.

import { containsUnknown } from '../../ast/walk.js';
import type { Rule, RuleKind, RuleResult } from '../../ast/rule.js';
import type { AttackTable } from '../../attack/table.js';
import { diagnostic, hasErrors, type Diagnostic, type Position } from '../../diagnostics/diagnostic.js';
import { asString, asStringList, get, type YMap } from '../yaml.js';
import { readCorrelation } from './correlation.js';
import { readDetection, type DetectionOptions, type DetectionSource } from './detection.js';
import { readFields, readLogSource, readMetadata } from './metadata.js';

export interface SigmaOptions extends DetectionOptions {
  attack: AttackTable;
}

export interface DocumentContext {
  path: string;
  document: number;
  /** The whole file's text (positions are file offsets). */
  fileText: string;
  /** This document's text, and its offset in the file. */
  text: string;
  start: number;
  position: Position;
}

export function kindOf(doc: YMap): RuleKind | undefined {
  if (get(doc, 'correlation') !== undefined) return 'correlation';
  if (get(doc, 'detection') !== undefined) return 'rule';
  if (get(doc, 'filter') !== undefined) return 'filter';
  return undefined;
}

export function readSigmaDocument(doc: YMap, context: DocumentContext, options: SigmaOptions, diagnostics: Diagnostic[]): RuleResult {
  const result = (rule?: Rule): RuleResult => {
    const out: RuleResult = { path: context.path, document: context.document, ok: !hasErrors(diagnostics) && rule !== undefined, diagnostics };
    if (rule) out.rule = rule;
    return out;
  };
  const kind = kindOf(doc);
  if (!kind) {
    const panther = get(doc, 'AnalysisType') !== undefined;
    diagnostics.push(
      panther
        ? diagnostic('unsupported-format', 'this is a Panther analysis file; this version of rulebridge reads Sigma only', doc)
        : diagnostic('not-a-rule', "the document has no 'detection', 'correlation' or 'filter'", doc),
    );
    return result();
  }

  const meta = readMetadata(doc, `${context.path}#${context.document}`, options.attack, diagnostics);
  const logsource = readLogSource(get(doc, 'logsource'), diagnostics, kind !== 'correlation', doc);
  const body =
    kind === 'correlation' ? correlationBody(doc, diagnostics) : kind === 'filter' ? filterBody(doc, context, options, diagnostics) : ruleBody(doc, context, options, diagnostics);
  if (!body) return result();
  const rule: Rule = {
    ...meta,
    kind,
    logsource,
    condition: body.condition,
    extraction: body.condition && containsUnknown(body.condition) ? 'partial' : 'complete',
    fields: readFields(get(doc, 'fields')),
    tests: [],
    stages: body.stages,
    source: {
      path: context.path,
      format: 'sigma',
      document: context.document,
      line: context.position.line,
      col: context.position.col,
      text: context.text,
    },
  };
  if (body.correlation) rule.correlation = body.correlation;
  if (body.filter) rule.filter = body.filter;
  return result(rule);
}

/** What a document detects, by kind: the parts of a Rule that are not metadata. */
type Body = Pick<Rule, 'condition' | 'stages' | 'correlation' | 'filter'>;

function correlationBody(doc: YMap, diagnostics: Diagnostic[]): Body | undefined {
  const correlation = readCorrelation(get(doc, 'correlation')!, diagnostics);
  return correlation ? { condition: null, stages: [], correlation } : undefined;
}

function filterBody(doc: YMap, context: DocumentContext, options: SigmaOptions, diagnostics: Diagnostic[]): Body | undefined {
  const filterNode = get(doc, 'filter')!;
  if (filterNode.kind !== 'map') {
    diagnostics.push(diagnostic('invalid-filter', "'filter' must be a map with 'rules', selections and a 'condition'", filterNode));
    return undefined;
  }
  const rulesNode = get(filterNode, 'rules');
  if (!rulesNode) {
    diagnostics.push(diagnostic('invalid-filter', "the filter has no 'rules' (a list of rule ids or names, or 'any')", filterNode));
    return undefined;
  }
  const refs = asStringList(rulesNode);
  const any = (rulesNode.kind === 'scalar' && asString(rulesNode)?.toLowerCase() === 'any') || refs.length === 0;
  const detection = readDetection(filterNode, sectionSource(doc, 'filter', context), diagnostics, options, ['rules']);
  if (!detection.condition) return undefined;
  return {
    condition: detection.condition,
    stages: detection.stages,
    filter: { rules: any ? 'any' : refs.map((ref) => ({ ref })), condition: detection.condition },
  };
}

function ruleBody(doc: YMap, context: DocumentContext, options: SigmaOptions, diagnostics: Diagnostic[]): Body | undefined {
  const detectionNode = get(doc, 'detection')!;
  if (detectionNode.kind !== 'map') {
    diagnostics.push(diagnostic('invalid-attribute', "'detection' must be a map of selections and a condition", detectionNode));
    return undefined;
  }
  const detection = readDetection(detectionNode, sectionSource(doc, 'detection', context), diagnostics, options);
  return detection.condition ? { condition: detection.condition, stages: detection.stages } : undefined;
}

/** Where a top-level section ends: at the next top-level key, or at the end of the document. */
function sectionSource(doc: YMap, key: string, context: DocumentContext): DetectionSource {
  const index = doc.entries.findIndex((e) => e.key === key);
  const next = doc.entries[index + 1];
  return { text: context.fileText, end: next ? next.keyPos.offset : context.start + context.text.length };
}

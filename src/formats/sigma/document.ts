// One Sigma YAML document -> one result: a detection rule, a correlation or a filter.

import { containsUnknown } from '../../ast/walk.js';
import type { Rule, RuleKind, RuleResult } from '../../ast/rule.js';
import type { AttackTable } from '../../attack/table.js';
import { diagnostic, hasErrors, type Diagnostic, type Position } from '../../diagnostics/diagnostic.js';
import { asString, asStringList, get, type YMap } from '../yaml.js';
import { readCorrelation } from './correlation.js';
import { readDetection, type DetectionOptions } from './detection.js';
import { readFields, readLogSource, readMetadata } from './metadata.js';

export interface SigmaOptions extends DetectionOptions {
  attack: AttackTable;
}

export interface DocumentContext {
  path: string;
  document: number;
  /** The whole file's text (positions are file offsets). */
  fileText: string;
  /** This document's text. */
  text: string;
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
  const base = {
    ...meta,
    kind,
    logsource: readLogSource(get(doc, 'logsource'), diagnostics, kind !== 'correlation', doc),
    condition: null,
    extraction: 'complete' as const,
    fields: readFields(get(doc, 'fields')),
    tests: [],
    stages: [],
    source: {
      path: context.path,
      format: 'sigma' as const,
      document: context.document,
      line: context.position.line,
      col: context.position.col,
      text: context.text,
    },
  };

  if (kind === 'correlation') {
    const correlation = readCorrelation(get(doc, 'correlation')!, diagnostics);
    return result(correlation ? { ...base, correlation } : undefined);
  }

  if (kind === 'filter') {
    const filterNode = get(doc, 'filter')!;
    if (filterNode.kind !== 'map') {
      diagnostics.push(diagnostic('invalid-filter', "'filter' must be a map with 'rules', selections and a 'condition'", filterNode));
      return result();
    }
    const rulesNode = get(filterNode, 'rules');
    if (!rulesNode) {
      diagnostics.push(diagnostic('invalid-filter', "the filter has no 'rules' (a list of rule ids or names, or 'any')", filterNode));
      return result();
    }
    const refs = asStringList(rulesNode);
    const any = (rulesNode.kind === 'scalar' && asString(rulesNode)?.toLowerCase() === 'any') || refs.length === 0;
    const detection = readDetection(filterNode, context.fileText, diagnostics, options, ['rules']);
    if (!detection.condition) return result();
    const condition = detection.condition;
    return result({
      ...base,
      condition,
      stages: detection.stages,
      filter: { rules: any ? 'any' : refs.map((ref) => ({ ref })), condition },
    });
  }

  const detectionNode = get(doc, 'detection')!;
  if (detectionNode.kind !== 'map') {
    diagnostics.push(diagnostic('invalid-attribute', "'detection' must be a map of selections and a condition", detectionNode));
    return result();
  }
  const detection = readDetection(detectionNode, context.fileText, diagnostics, options);
  if (!detection.condition) return result();
  return result({
    ...base,
    condition: detection.condition,
    extraction: containsUnknown(detection.condition) ? 'partial' : 'complete',
    stages: detection.stages,
  });
}

// Sigma front end: a YAML file -> one result per rule document.

import type { RuleResult } from '../../ast/rule.js';
import { diagnostic, type Diagnostic } from '../../diagnostics/diagnostic.js';
import { asString, get, parseYamlDocuments, type YMap, type YNode } from '../yaml.js';
import { readSigmaDocument, type SigmaOptions } from './document.js';

export type { SigmaOptions } from './document.js';

/**
 * Reads every document of a Sigma file. Sigma 1 collections are honoured: an
 * `action: global` document is merged into the documents after it (until `action: reset`),
 * and `action: repeat` repeats the previous document with its own attributes on top.
 */
export function readSigmaText(path: string, text: string, options: SigmaOptions): RuleResult[] {
  const results: RuleResult[] = [];
  let global: YMap | undefined;
  let previous: YMap | undefined;
  const docs = parseYamlDocuments(text, { version: '1.1' });
  docs.forEach((doc, index) => {
    const diagnostics: Diagnostic[] = [...doc.diagnostics];
    const failed = (): void => {
      results.push({ path, document: index, ok: false, diagnostics: diagnostics.map((d) => ({ ...d, path })) });
    };
    if (!doc.tree) {
      if (diagnostics.length > 0) failed();
      return;
    }
    if (doc.tree.kind !== 'map') {
      diagnostics.push(diagnostic('not-a-rule', 'a rule document must be a YAML map', doc.tree));
      failed();
      return;
    }
    let tree: YMap = doc.tree;
    const action = asString(get(tree, 'action'));
    if (action === 'global') {
      global = withoutKey(tree, 'action');
      return;
    }
    if (action === 'reset') {
      global = undefined;
      return;
    }
    if (action === 'repeat') {
      if (!previous) {
        diagnostics.push(diagnostic('not-a-rule', "'action: repeat' has no previous document to repeat", tree));
        failed();
        return;
      }
      tree = merge(previous, withoutKey(tree, 'action'));
    } else if (action !== undefined) {
      diagnostics.push(diagnostic('invalid-attribute', `unknown collection action '${action}' (expected global, reset or repeat)`, tree));
      failed();
      return;
    }
    previous = tree;
    if (global) tree = merge(global, tree);
    const result = readSigmaDocument(
      tree,
      { path, document: index, fileText: text, text: doc.text, start: doc.start, position: doc.position },
      options,
      diagnostics,
    );
    result.diagnostics = result.diagnostics.map((d) => ({ ...d, path }));
    results.push(result);
  });
  if (results.length === 0) {
    results.push({
      path,
      document: 0,
      ok: false,
      diagnostics: [diagnostic('empty-file', 'the file holds no rule document', { path, line: 1, col: 1 })],
    });
  }
  return results;
}

function withoutKey(map: YMap, key: string): YMap {
  return { ...map, entries: map.entries.filter((e) => e.key !== key) };
}

/** `over` on top of `base`; maps merge key by key, anything else is replaced. */
function merge(base: YMap, over: YMap): YMap {
  const entries = base.entries.map((e) => {
    const o = over.entries.find((x) => x.key === e.key);
    if (!o) return e;
    return { ...o, value: mergeNode(e.value, o.value) };
  });
  for (const o of over.entries) if (!base.entries.some((e) => e.key === o.key)) entries.push(o);
  return { ...over, entries };
}

function mergeNode(base: YNode, over: YNode): YNode {
  return base.kind === 'map' && over.kind === 'map' ? merge(base, over) : over;
}

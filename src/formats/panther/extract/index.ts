// Extraction of a Panther Python rule: the condition its `rule(event)` expresses (complete, or
// partial with `unknown` parts) and its output fields from `alert_context(event)`. The Python
// is read, never run.

import type { Condition } from '../../../ast/condition.js';
import type { OutputField } from '../../../ast/rule.js';
import { containsUnknown } from '../../../ast/walk.js';
import { BUILTIN_NAMES } from './calls.js';
import { forgetConditions, truth } from './conditions.js';
import { tidy } from './tidy.js';
import { Environment } from './environment.js';
import { Interpreter } from './interpret.js';
import { outputFields } from './outputs.js';
import type { RuleSet } from './ruleset.js';
import type { PyNode } from './syntax.js';
import type { PyConst } from './values.js';

export interface PythonExtraction {
  /** Undefined when the module has no `rule` function. */
  condition?: Condition;
  extraction: 'complete' | 'partial';
  fields: OutputField[];
  /** Whether the module defines alert_context. */
  hasAlertContext: boolean;
  /** Mocked names the module does not have. */
  unmocked?: string[];
}

let builtins: Environment | undefined;

function builtinScope(): Environment {
  if (!builtins) {
    builtins = new Environment();
    for (const name of BUILTIN_NAMES) builtins.set(name, { kind: 'builtin', name });
  }
  return builtins;
}

/** A test case's `Mocks` entry: the module-level name it replaces and the value the mock returns. */
export interface PythonMock {
  name: string;
  returns: PyConst;
}

/**
 * Extracts the rule; with `mocks`, as a test case that mocks those names sees it. A mock of a
 * name the rule module does not define or import is reported in `unmocked`.
 */
export function extractPython(module: PyNode, path: string, ruleSet: RuleSet, logTypes: string[], mocks: PythonMock[] = []): PythonExtraction {
  forgetConditions();
  const scope = builtinScope();
  const interpreter: Interpreter = new Interpreter({
    loadModule: (name) => ruleSet.module(name, interpreter, scope),
    udm: (name, interp) => ruleSet.udm(name, logTypes, interp, scope),
  });
  const moduleScope = interpreter.loadModule(module, 'rule', path, scope);
  const unmocked: string[] = [];
  for (const mock of mocks) {
    if (moduleScope.env.owns(mock.name)) moduleScope.env.set(mock.name, { kind: 'mock', returns: mock.returns });
    else unmocked.push(mock.name);
  }
  const event = { kind: 'event' } as const;
  const call = { type: 'Call', line: 1, col: 1 };

  const rule = moduleScope.env.lookup('rule');
  let condition: Condition | undefined;
  if (rule?.kind === 'function') condition = tidy(truth(interpreter.call(rule, [event], new Map(), call)));

  const context = moduleScope.env.lookup('alert_context');
  const fields = context?.kind === 'function' ? outputFields(interpreter.call(context, [event], new Map(), call)) : [];
  const extraction: PythonExtraction = { extraction: condition && containsUnknown(condition) ? 'partial' : 'complete', fields, hasAlertContext: context?.kind === 'function' };
  if (condition) extraction.condition = condition;
  if (unmocked.length > 0) extraction.unmocked = unmocked;
  return extraction;
}


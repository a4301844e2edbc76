// What a Panther rule can use besides its own file: the rule set's global helpers
// (`global_helpers/<module>.py`) and data models (`data_models/*.yml` with their Python), found
// in the rule set's root folder: the first folder, walking up from the rule, that holds
// `global_helpers/` or `data_models/` (or the one given with --panther-root). Each module and
// data model is read once per process.

import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { match } from '../../../ast/condition.js';
import { readTextFile } from '../../../load/read.js';
import { asString, asStringList, get, parseYamlDocuments } from '../../yaml.js';
import { parsePython } from '../python/parse.js';
import type { Environment, ModuleScope } from './environment.js';
import type { Interpreter } from './interpret.js';
import { opaque, type SymValue } from './values.js';
import type { PyNode } from './syntax.js';

interface DataModel {
  logTypes: string[];
  /** udm name -> a path, or a method of the data model's Python module. */
  mappings: Map<string, { path: string } | { method: string }>;
  python?: string;
}

export interface RuleSet {
  root?: string;
  module(name: string, interpreter: Interpreter, builtins: Environment): ModuleScope | undefined;
  udm(name: string, logTypes: string[], interpreter: Interpreter, builtins: Environment): SymValue;
}

const roots = new Map<string, string | undefined>();
const ruleSets = new Map<string, RuleSet>();

/** The rule set a rule file belongs to (cached by folder). */
export function ruleSetFor(ruleFile: string, explicitRoot?: string): RuleSet {
  const root = explicitRoot ? resolve(explicitRoot) : findRoot(dirname(resolve(ruleFile)));
  const key = root ?? '';
  let set = ruleSets.get(key);
  if (!set) {
    set = createRuleSet(root);
    ruleSets.set(key, set);
  }
  return set;
}

function findRoot(dir: string): string | undefined {
  if (roots.has(dir)) return roots.get(dir);
  let found: string | undefined;
  if (isDir(join(dir, 'global_helpers')) || isDir(join(dir, 'data_models'))) found = dir;
  else {
    const parent = dirname(dir);
    found = parent === dir ? undefined : findRoot(parent);
  }
  roots.set(dir, found);
  return found;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function createRuleSet(root: string | undefined): RuleSet {
  const modules = new Map<string, ModuleScope | undefined>();
  const dataModelModules = new Map<string, ModuleScope | undefined>();
  let dataModels: DataModel[] | undefined;

  const loadPython = (file: string, name: string, interpreter: Interpreter, builtins: Environment): ModuleScope | undefined => {
    const read = readTextFile(file);
    if (!read.ok) return undefined;
    const parsed = parsePython(read.text, file);
    if (!parsed.ok) return undefined;
    markFile(parsed.module, root ? relative(root, file).split(sep).join('/') : file);
    return interpreter.loadModule(parsed.module, name, file, builtins);
  };

  const set: RuleSet = {
    module(name, interpreter, builtins) {
      if (!root) return undefined;
      if (modules.has(name)) return modules.get(name);
      // Loading marks the module first, so that helpers importing each other terminate.
      modules.set(name, undefined);
      const file = join(root, 'global_helpers', `${name}.py`);
      const scope = existsSync(file) ? loadPython(file, name, interpreter, builtins) : undefined;
      modules.set(name, scope);
      return scope;
    },
    udm(name, logTypes, interpreter, builtins) {
      dataModels ??= root ? readDataModels(join(root, 'data_models')) : [];
      const values: Array<{ logType: string; value: SymValue }> = [];
      for (const logType of logTypes) {
        const model = dataModels.find((m) => m.logTypes.includes(logType));
        const mapping = model?.mappings.get(name);
        if (!model || !mapping) {
          values.push({ logType, value: opaque(`no data model maps '${name}' for ${logType}`) });
          continue;
        }
        if ('path' in mapping) {
          const path = jsonPath(mapping.path);
          values.push({ logType, value: path ? { kind: 'field', path, missing: null, nullIsMissing: true } : opaque(`data model path ${mapping.path}`) });
          continue;
        }
        const file = model.python;
        let scope = file ? dataModelModules.get(file) : undefined;
        if (file && !dataModelModules.has(file)) {
          scope = loadPython(file, file, interpreter, builtins);
          dataModelModules.set(file, scope);
        }
        const fn = scope?.env.lookup(mapping.method);
        values.push({ logType, value: fn ? interpreter.call(fn, [{ kind: 'event' }], new Map(), { type: 'Call', line: 1, col: 1 }) : opaque(`data model method ${mapping.method}`) });
      }
      if (values.length === 0) return opaque(`udm('${name}') without log types`);
      const first = values[0]!.value;
      if (values.every((v) => JSON.stringify(v.value) === JSON.stringify(first))) return first;
      // Several log types with different mappings: the event's p_log_type picks one.
      return { kind: 'cases', cases: values.map((v) => ({ when: match('p_log_type', 'eq', [v.logType], { cased: true }), value: v.value })) };
    },
  };
  if (root) set.root = root;
  return set;
}

/**
 * Tags every node of a helper or data-model module with its file, so that what the extractor
 * cannot follow there is reported at that file's line, not at the same line of the rule.
 */
function markFile(root: PyNode, file: string): void {
  const stack: unknown[] = [root];
  while (stack.length > 0) {
    const value = stack.pop();
    if (Array.isArray(value)) stack.push(...value);
    else if (value !== null && typeof value === 'object' && 'type' in value) {
      (value as PyNode).file = file;
      for (const v of Object.values(value)) if (v !== null && typeof v === 'object') stack.push(v);
    }
  }
}

/** `$.a.b` and `a.b` as a field path; JSONPath with wildcards, indexes or filters is not one. */
function jsonPath(path: string): string | undefined {
  const p = path.replace(/^\$\.?/, '');
  return /^[A-Za-z0-9_@\-]+(?:\.[A-Za-z0-9_@\-]+)*$/.test(p) ? p : undefined;
}

function readDataModels(dir: string): DataModel[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  } catch {
    return [];
  }
  const models: DataModel[] = [];
  for (const file of files) {
    const read = readTextFile(join(dir, file));
    if (!read.ok) continue;
    const tree = parseYamlDocuments(read.text, { version: '1.2' })[0]?.tree;
    if (tree?.kind !== 'map' || asString(get(tree, 'AnalysisType')) !== 'datamodel') continue;
    const mappings = new Map<string, { path: string } | { method: string }>();
    const list = get(tree, 'Mappings');
    for (const item of list?.kind === 'seq' ? list.items : []) {
      if (item.kind !== 'map') continue;
      const name = asString(get(item, 'Name'));
      const path = asString(get(item, 'Path'));
      const method = asString(get(item, 'Method'));
      if (name && path) mappings.set(name, { path });
      else if (name && method) mappings.set(name, { method });
    }
    const filename = asString(get(tree, 'Filename'));
    const model: DataModel = { logTypes: asStringList(get(tree, 'LogTypes')), mappings };
    if (filename) model.python = join(dir, filename);
    models.push(model);
  }
  return models;
}

// The symbolic interpreter: it reads `rule(event)` the way Python would run it, but with the
// event unknown. Each path through the function ends in a return under a path condition (the
// tests that led there); the rule alerts when some path returns a true value. Branches that
// merge again turn their different assignments into choices; loops over constants unroll;
// loops and generators over an event array become `elements` conditions. Anything else is
// `opaque`, which becomes an `unknown` part of the condition, never a guess.

import { elements as elementsNode, FALSE, TRUE, unknown, type Condition } from '../../../ast/condition.js';
import { callValue, INTRINSIC_HELPERS, RE_FLAGS, tableLookup } from './calls.js';
import { all, any, compare, fieldTest, neg, same, truth, type CompareOp } from './conditions.js';
import { collection, constantOf, dictValue, foldBinary, pyStr, sameConst, withEntry } from './constants.js';
import { Environment, type ModuleScope } from './environment.js';
import { catches, type RaisedError } from './exceptions.js';
import { assignedNames, mutatedNames, nameOf, readNames, walkStatements } from './names.js';
import { at, child, nodes, operator, spanOf, type PyNode } from './syntax.js';
import { constant, elementRoot, iterableItems, NONE, opaque, type PyConst, type SymValue } from './values.js';

export interface ExtractContext {
  /** A module the rule set provides (global helpers), read on first use. */
  loadModule(name: string): ModuleScope | undefined;
  /** `event.udm(name)`: the value the rule's data models give. */
  udm(name: string, interpreter: Interpreter): SymValue;
}

interface State {
  env: Environment;
  path: Condition;
}

interface Flow {
  returns: Array<{ when: Condition; value: SymValue }>;
  live?: State;
  /** Paths that left the innermost loop with break / continue. */
  breaks: State[];
  continues: State[];
}

const MAX_CALL_DEPTH = 12;
const MAX_UNROLL = 512;

export class Interpreter {
  private callDepth = 0;
  /** Loops and generators over event arrays currently open (their elements' path roots). */
  private elementDepth = 0;
  /** The try statements around the code being read, innermost last. */
  private readonly tryFrames: Array<{ raises: Array<{ when: Condition; error: RaisedError }>; opaque: boolean }> = [];

  constructor(readonly context: ExtractContext) {}

  /** Runs a module's top level: imports, constants, functions. */
  loadModule(module: PyNode, name: string, path: string, builtins: Environment): ModuleScope {
    const scope: ModuleScope = { name, path, env: new Environment(builtins) };
    const env = new Environment(builtins, scope);
    scope.env = env;
    const state: State = { env, path: TRUE };
    for (const stmt of nodes(module, 'body')) this.statement(stmt, state);
    return scope;
  }

  /** Calls a function value with symbolic arguments; its result is a value per return. */
  call(fn: SymValue, args: SymValue[], kwargs: Map<string, SymValue>, span: PyNode): SymValue {
    if (fn.kind === 'builtin') return callValue(this, fn, args, kwargs, span);
    if (fn.kind === 'mock') return constant(fn.returns);
    if (fn.kind !== 'function') return opaque(`call of ${fn.kind === 'opaque' ? fn.reason : `a ${fn.kind}`}`, spanOf(span));
    if (this.callDepth >= MAX_CALL_DEPTH) return opaque(`calls nested deeper than ${MAX_CALL_DEPTH} (recursion?) at ${at<string>(fn.def, 'name')}`, spanOf(span));
    const env = new Environment(fn.env, fn.env.module);
    if (!this.bindArguments(fn, args, kwargs, env)) return opaque(`arguments of ${at<string>(fn.def, 'name')} not followed`, spanOf(span));
    this.callDepth++;
    try {
      const flow = this.block(nodes(fn.def, 'body'), { env, path: TRUE });
      const cases = [...flow.returns];
      if (flow.live) cases.push({ when: flow.live.path, value: NONE });
      return casesValue(cases);
    } finally {
      this.callDepth--;
    }
  }

  private bindArguments(fn: Extract<SymValue, { kind: 'function' }>, args: SymValue[], kwargs: Map<string, SymValue>, env: Environment): boolean {
    const spec = child(fn.def, 'args');
    if (!spec) return args.length === 0;
    const positional = [...nodes(spec, 'posonlyargs'), ...nodes(spec, 'args')];
    const defaults = nodes(spec, 'defaults');
    const given = fn.bound ? [fn.bound, ...args] : args;
    const firstDefault = positional.length - defaults.length;
    positional.forEach((param, i) => {
      const name = at<string>(param, 'arg');
      const value = i < given.length ? given[i]! : kwargs.has(name) ? kwargs.get(name)! : i >= firstDefault ? this.expr(defaults[i - firstDefault]!, fn.env) : NONE;
      env.set(name, value);
    });
    const vararg = child(spec, 'vararg');
    if (vararg) env.set(at<string>(vararg, 'arg'), { kind: 'list', items: given.slice(positional.length) });
    else if (given.length > positional.length) return false;
    const kwonly = nodes(spec, 'kwonlyargs');
    const kwDefaults = at<Array<PyNode | null>>(spec, 'kw_defaults') ?? [];
    kwonly.forEach((param, i) => {
      const name = at<string>(param, 'arg');
      const fallback = kwDefaults[i];
      env.set(name, kwargs.get(name) ?? (fallback ? this.expr(fallback, fn.env) : NONE));
    });
    const kwarg = child(spec, 'kwarg');
    if (kwarg) env.set(at<string>(kwarg, 'arg'), { kind: 'dict', entries: [...kwargs].map(([k, v]) => [constant(k), v]) });
    return true;
  }

  // ---- statements ----

  /** Runs a block; a Halt from a statement ends the paths that reach it. */
  block(stmts: PyNode[], start: State): Flow {
    const flow: Flow = { returns: [], breaks: [], continues: [] };
    let state: State | undefined = start;
    for (const stmt of stmts) {
      if (!state) break;
      const step = this.statement(stmt, state);
      flow.returns.push(...step.returns);
      flow.breaks.push(...step.breaks);
      flow.continues.push(...step.continues);
      state = step.live;
    }
    if (state) flow.live = state;
    return flow;
  }

  private statement(stmt: PyNode, state: State): Flow {
    const done = (live?: State): Flow => (live ? { returns: [], breaks: [], continues: [], live } : { returns: [], breaks: [], continues: [] });
    switch (stmt.type) {
      case 'Return': {
        const value = child(stmt, 'value');
        return { returns: [{ when: state.path, value: value ? this.expr(value, state.env) : NONE }], breaks: [], continues: [] };
      }
      case 'If':
        return this.ifStatement(stmt, state);
      case 'Assign': {
        const value = this.expr(child(stmt, 'value')!, state.env);
        for (const target of nodes(stmt, 'targets')) this.assign(target, value, state.env);
        return done(state);
      }
      case 'AnnAssign': {
        const value = child(stmt, 'value');
        if (value) this.assign(child(stmt, 'target')!, this.expr(value, state.env), state.env);
        return done(state);
      }
      case 'AugAssign': {
        const target = child(stmt, 'target')!;
        const current = this.expr(target, state.env);
        const value = this.binary(current, operator(at(stmt, 'op')), this.expr(child(stmt, 'value')!, state.env), stmt);
        this.assign(target, value, state.env);
        return done(state);
      }
      case 'Expr': {
        const value = child(stmt, 'value')!;
        if (this.dictUpdate(value, state.env)) return done(state);
        this.expr(value, state.env);
        // A list or set changed in place (append, add, ...) is no longer the value we hold.
        for (const name of mutatedNames([stmt])) state.env.set(name, opaque(`${name} changed in place at line ${stmt.line}`, spanOf(stmt)));
        return done(state);
      }
      case 'For':
        return this.forStatement(stmt, state);
      case 'While':
        return this.opaqueStatement(stmt, state, 'while loop');
      case 'Break':
        return { returns: [], breaks: [state], continues: [] };
      case 'Continue':
        return { returns: [], breaks: [], continues: [state] };
      case 'Pass':
      case 'Global':
      case 'Nonlocal':
      case 'Assert':
        return done(state);
      case 'Raise':
        // A raising rule does not alert: the path ends without a return.
        return done();
      case 'FunctionDef':
      case 'AsyncFunctionDef':
        state.env.set(at<string>(stmt, 'name'), { kind: 'function', def: stmt, env: state.env });
        return done(state);
      case 'ClassDef':
        state.env.set(at<string>(stmt, 'name'), opaque(`class ${at<string>(stmt, 'name')}`, spanOf(stmt)));
        return done(state);
      case 'Import':
        for (const alias of nodes(stmt, 'names')) {
          const name = at<string>(alias, 'name');
          const as = at<string | null>(alias, 'asname') ?? name.split('.')[0]!;
          state.env.set(as, this.importModule(name));
        }
        return done(state);
      case 'ImportFrom': {
        const from = at<string | null>(stmt, 'module') ?? '';
        const module = this.importModule(from);
        for (const alias of nodes(stmt, 'names')) {
          const name = at<string>(alias, 'name');
          if (name === '*') continue;
          state.env.set(at<string | null>(alias, 'asname') ?? name, this.attribute(module, name, stmt));
        }
        return done(state);
      }
      case 'Try':
      case 'TryStar':
        return this.tryStatement(stmt, state);
      case 'With':
        return this.block(nodes(stmt, 'body'), state);
      case 'Delete':
        return done(state);
      default:
        return this.opaqueStatement(stmt, state, stmt.type);
    }
  }

  /**
   * A statement the extractor does not follow: what it assigns becomes opaque, and whether it
   * returns is unknown (a return inside it could alert).
   */
  private opaqueStatement(stmt: PyNode, state: State, what: string): Flow {
    const reason = `${what} at line ${stmt.line}`;
    const assigned = new Set<string>();
    const returns: Flow['returns'] = [];
    walkStatements(stmt, (s) => {
      for (const t of s.type === 'Assign' ? nodes(s, 'targets') : s.type === 'AugAssign' || s.type === 'For' ? [child(s, 'target')!] : []) {
        if (t.type === 'Name') assigned.add(at<string>(t, 'id'));
      }
      if (s.type === 'Return') returns.push({ when: all([state.path, unknown(reason, spanOf(s))]), value: opaque(reason, spanOf(s)) });
    });
    for (const name of [...assigned, ...mutatedNames([stmt])]) state.env.set(name, opaque(reason, spanOf(stmt)));
    return { returns, breaks: [], continues: [], live: { env: state.env, path: all([state.path, returns.length > 0 ? unknown(reason, spanOf(stmt)) : TRUE]) } };
  }

  private ifStatement(stmt: PyNode, state: State): Flow {
    const test = truth(this.expr(child(stmt, 'test')!, state.env));
    if (test.kind === 'const') return this.block(nodes(stmt, test.value ? 'body' : 'orelse'), state);
    // Branches run under their own test alone; the path so far is put in front afterwards.
    const yes = this.block(nodes(stmt, 'body'), { env: state.env.fork(), path: test });
    const no = this.block(nodes(stmt, 'orelse'), { env: state.env.fork(), path: neg(test) });
    const under = (s: State): State => ({ env: s.env, path: all([state.path, s.path]) });
    const flow: Flow = {
      returns: [...yes.returns, ...no.returns].map((r) => ({ when: all([state.path, r.when]), value: r.value })),
      breaks: [...yes.breaks, ...no.breaks].map(under),
      continues: [...yes.continues, ...no.continues].map(under),
    };
    const live = mergeStates(yes.live, no.live, test, state);
    if (live) flow.live = live;
    return flow;
  }

  /**
   * A try runs its body; where a call the extractor knows raises (ip_address of a text that is
   * no address), the rest of the body does not run and a handler for that exception does. A
   * body that also computes something the extractor cannot follow may raise anywhere: then a
   * handler also runs under an unknown condition.
   */
  private tryStatement(stmt: PyNode, state: State): Flow {
    const frame = { raises: [] as Array<{ when: Condition; error: RaisedError }>, opaque: false };
    this.tryFrames.push(frame);
    const flow: Flow = { returns: [], breaks: [], continues: [] };
    const raised: Array<{ when: Condition; error: RaisedError }> = [];
    let live: State | undefined = state;
    try {
      for (const s of nodes(stmt, 'body')) {
        if (!live) break;
        const before = frame.raises.length;
        const step = this.statement(s, live);
        const raises = frame.raises.slice(before);
        const ok = neg(any(raises.map((r) => r.when)));
        for (const r of raises) raised.push({ when: all([live.path, r.when]), error: r.error });
        flow.returns.push(...step.returns.map((r) => ({ when: all([r.when, ok]), value: r.value })));
        flow.breaks.push(...step.breaks);
        flow.continues.push(...step.continues);
        live = step.live ? { env: step.live.env, path: all([step.live.path, ok]) } : undefined;
      }
    } finally {
      this.tryFrames.pop();
    }
    for (const handler of nodes(stmt, 'handlers')) {
      const type = child(handler, 'type_') ?? child(handler, 'type');
      const known = any(raised.filter((r) => catches(type, r.error)).map((r) => r.when));
      const when = any([known, frame.opaque ? unknown(`an exception handled at line ${handler.line}`, spanOf(handler)) : FALSE]);
      if (when.kind === 'const' && !when.value) continue;
      const caught = this.block(nodes(handler, 'body'), { env: state.env.fork(), path: all([state.path, when]) });
      flow.returns.push(...caught.returns);
      if (caught.live) live = live ? { env: live.env, path: any([live.path, caught.live.path]) } : caught.live;
    }
    if (live) {
      const orelse = this.block(nodes(stmt, 'orelse'), live);
      flow.returns.push(...orelse.returns);
      live = orelse.live;
    }
    const final = nodes(stmt, 'finalbody');
    if (final.length > 0 && live) {
      const after = this.block(final, live);
      flow.returns.push(...after.returns);
      live = after.live;
    }
    if (live) flow.live = live;
    return flow;
  }

  /** Inside a try: a known call raises under this condition. */
  noteRaise(condition: Condition, error: RaisedError = 'ValueError'): void {
    this.tryFrames[this.tryFrames.length - 1]?.raises.push({ when: condition, error });
  }

  /** Whether a raise would be seen by a try (elsewhere it ends the rule, which is not modelled). */
  insideTry(): boolean {
    return this.tryFrames.length > 0;
  }

  private forStatement(stmt: PyNode, state: State, given?: SymValue): Flow {
    const iterable = given ?? this.expr(child(stmt, 'iter')!, state.env);
    // A loop over one of several collections runs as one loop per collection, under its condition.
    if (iterable.kind === 'choice' || iterable.kind === 'cases') {
      const branches = iterable.kind === 'choice' ? [{ when: iterable.when, value: iterable.then }, { when: neg(iterable.when), value: iterable.otherwise }] : iterable.cases;
      const flow: Flow = { returns: [], breaks: [], continues: [] };
      const lives: State[] = [];
      for (const b of branches) {
        const step = this.forStatement(stmt, { env: state.env.fork(), path: b.when }, b.value);
        flow.returns.push(...step.returns.map((r) => ({ when: all([state.path, r.when]), value: r.value })));
        if (step.live) lives.push(step.live);
      }
      if (lives.length > 0) {
        const assigned = new Set(lives.flatMap((l) => l.env.entries().map(([k]) => k)));
        const env = state.env.fork();
        // Names the loops set differ per branch: what they hold afterwards is not followed.
        for (const name of assigned) {
          const values = lives.map((l) => l.env.lookup(name));
          env.set(name, values.every((v) => v === values[0]) && values[0] ? values[0] : opaque(`${name} after a loop over one of several collections`, spanOf(stmt)));
        }
        flow.live = { env, path: all([state.path, any(lives.map((l) => l.path))]) };
      }
      return flow;
    }
    const items = iterableItems(iterable);
    if (items) {
      if (items.length > MAX_UNROLL) return this.opaqueStatement(stmt, state, `loop over ${items.length} items`);
      return this.unrolled(stmt, items, state);
    }
    if (iterable.kind === 'field') return this.arrayLoop(stmt, iterable, state);
    return this.opaqueStatement(stmt, state, `loop over ${iterable.kind === 'opaque' ? iterable.reason : `a ${iterable.kind}`}`);
  }

  /** A loop over known items runs once per item. */
  private unrolled(stmt: PyNode, items: SymValue[], start: State): Flow {
    const flow: Flow = { returns: [], breaks: [], continues: [] };
    let state: State | undefined = start;
    const exits: State[] = [];
    for (const item of items) {
      if (!state) break;
      this.assign(child(stmt, 'target')!, item, state.env);
      const step = this.block(nodes(stmt, 'body'), state);
      flow.returns.push(...step.returns);
      exits.push(...step.breaks);
      state = joinStates([...(step.live ? [step.live] : []), ...step.continues], state.env);
    }
    if (state) {
      const orelse = this.block(nodes(stmt, 'orelse'), state);
      flow.returns.push(...orelse.returns);
      if (orelse.live) exits.push(orelse.live);
    }
    const live = joinStates(exits, start.env);
    if (live) flow.live = live;
    return flow;
  }

  /**
   * `for x in <event array>:` whose body only returns one constant: the loop returns it when
   * some element reaches a return (elements any), and goes on otherwise.
   */
  private arrayLoop(stmt: PyNode, array: Extract<SymValue, { kind: 'field' }>, state: State): Flow {
    const depth = ++this.elementDepth;
    try {
      const env = state.env.fork();
      this.assign(child(stmt, 'target')!, { kind: 'field', path: elementRoot(depth), missing: null, nullIsMissing: false }, env);
      const body = this.block(nodes(stmt, 'body'), { env, path: TRUE });
      const values = body.returns.map((r) => r.value);
      const constantValue = values.length > 0 && values.every((v) => v.kind === 'const' && v.value === (values[0] as { value: PyConst }).value);
      // A name bound before the loop and changed in it (a counter, a list being filled) carries
      // something out of the loop; names new in the body are the iteration's own.
      // The body was read once, with names as they were before the loop: a name bound before
      // it that the body changes and also reads (a counter) would be read wrong; one it only
      // writes (a global kept for the alert's severity) is merely unknown after the loop.
      const changed = [...assignedNames(nodes(stmt, 'body')), ...mutatedNames(nodes(stmt, 'body'))];
      const read = readNames(nodes(stmt, 'body'));
      const carried = changed.filter((n) => n !== nameOf(child(stmt, 'target')!) && state.env.lookup(n) !== undefined && read.has(n));
      if (!constantValue || body.breaks.length > 0 || nodes(stmt, 'orelse').length > 0 || carried.length > 0) {
        return this.opaqueStatement(stmt, state, 'loop over an event array');
      }
      const after = state.env.fork();
      for (const name of changed) if (name !== nameOf(child(stmt, 'target')!)) after.set(name, opaque(`${name} set in a loop`, spanOf(stmt)));
      const reached = this.elementsOf(array, 'any', any(body.returns.map((r) => r.when)), stmt);
      return {
        returns: [{ when: all([state.path, reached]), value: values[0]! }],
        breaks: [],
        continues: [],
        live: { env: after, path: all([state.path, neg(reached)]) },
      };
    } finally {
      this.elementDepth--;
    }
  }

  /**
   * `quantifier` elements of an event array satisfy a condition built with elementRoot paths
   * of the current depth; a condition that also reads other event fields cannot be nested.
   */
  elementsOf(array: Extract<SymValue, { kind: 'field' }>, quantifier: 'any' | 'all', condition: Condition, at: PyNode): Condition {
    if (condition.kind === 'const') {
      if (quantifier === 'any') return condition.value ? truth(array) : condition;
      return condition.value ? TRUE : neg(truth(array));
    }
    const root = elementRoot(this.elementDepth);
    let outside = false;
    const relative = rewriteFields(condition, (path) => {
      if (path === root) return '@';
      if (path.startsWith(`${root}.`)) return path.slice(root.length + 1);
      outside = true;
      return path;
    });
    if (outside) return unknown(`a test on array elements that also reads other fields (line ${at.line})`, spanOf(at));
    return elementsNode(array.path, quantifier, relative);
  }

  /** Opens an element scope for a generator; the callback builds within it. */
  withElement<T>(fn: (root: string) => T): T {
    const depth = ++this.elementDepth;
    try {
      return fn(elementRoot(depth));
    } finally {
      this.elementDepth--;
    }
  }

  /** `d.update({...})` on a dict being built (alert contexts): its keys join the dict. */
  private dictUpdate(call: PyNode, env: Environment): boolean {
    const fn = call.type === 'Call' ? child(call, 'func') : undefined;
    const base = fn?.type === 'Attribute' && at<string>(fn, 'attr') === 'update' ? child(fn, 'value') : undefined;
    if (!base || base.type !== 'Name') return false;
    const name = at<string>(base, 'id');
    const current = env.lookup(name);
    if (current?.kind !== 'dict' && !(current?.kind === 'const' && current.value && typeof current.value === 'object' && !Array.isArray(current.value))) return false;
    const entries = current.kind === 'dict' ? current.entries : Object.entries(current.value as Record<string, PyConst>).map(([k, v]) => [constant(k), constant(v)] as [SymValue, SymValue]);
    const [arg] = nodes(call, 'args');
    const added = arg ? this.expr(arg, env) : undefined;
    const more: Array<[SymValue, SymValue]> =
      added?.kind === 'dict' ? added.entries : added?.kind === 'const' && added.value && typeof added.value === 'object' && !Array.isArray(added.value) ? Object.entries(added.value).map(([k, v]) => [constant(k), constant(v)]) : [];
    for (const k of nodes(call, 'keywords')) {
      const key = at<string | null>(k, 'arg');
      if (key) more.push([constant(key), this.expr(child(k, 'value')!, env)]);
    }
    env.set(name, { kind: 'dict', entries: [...entries.filter(([k]) => !more.some(([m]) => sameConst(k, m))), ...more] });
    return true;
  }

  private assign(target: PyNode, value: SymValue, env: Environment): void {
    switch (target.type) {
      case 'Name':
        env.set(at<string>(target, 'id'), value);
        return;
      case 'Tuple':
      case 'List': {
        const targets = nodes(target, 'elts');
        const items = iterableItems(value);
        targets.forEach((t, i) => this.assign(t, items && items.length === targets.length ? items[i]! : opaque(`unpacking of ${value.kind}`, spanOf(t)), env));
        return;
      }
      case 'Subscript': {
        // `context["key"] = value` on a dict being built (alert contexts); anything else the
        // variable held is no longer known.
        const base = child(target, 'value')!;
        if (base.type !== 'Name') return;
        const name = at<string>(base, 'id');
        const key = this.expr(child(target, 'slice')!, env);
        env.set(name, withEntry(this.expr(base, env), key, value, target));
        return;
      }
      default:
        return;
    }
  }

  private importModule(name: string): SymValue {
    const module = this.context.loadModule(name);
    return module ? { kind: 'module', name, env: module.env } : { kind: 'module', name };
  }

  // ---- expressions ----

  expr(node: PyNode, env: Environment): SymValue {
    const value = this.expression(node, env);
    // Something unfollowed inside a try may be what raises.
    if (value.kind === 'opaque' && this.tryFrames.length > 0) this.tryFrames[this.tryFrames.length - 1]!.opaque = true;
    return value;
  }

  private expression(node: PyNode, env: Environment): SymValue {
    switch (node.type) {
      case 'Constant':
        return constantOf(node);
      case 'Name': {
        const name = at<string>(node, 'id');
        return env.lookup(name) ?? opaque(`undefined name ${name}`, spanOf(node));
      }
      case 'Attribute':
        return this.attribute(this.expr(child(node, 'value')!, env), at<string>(node, 'attr'), node);
      case 'Call': {
        const fn = this.expr(child(node, 'func')!, env);
        const args: SymValue[] = [];
        for (const a of nodes(node, 'args')) {
          if (a.type === 'Starred') {
            const items = iterableItems(this.expr(child(a, 'value')!, env));
            if (!items) return opaque(`*arguments at line ${a.line}`, spanOf(a));
            args.push(...items);
          } else args.push(this.expr(a, env));
        }
        const kwargs = new Map<string, SymValue>();
        for (const k of nodes(node, 'keywords')) {
          const name = at<string | null>(k, 'arg');
          if (name === null) return opaque(`**arguments at line ${k.line}`, spanOf(k));
          kwargs.set(name, this.expr(child(k, 'value')!, env));
        }
        return this.call(fn, args, kwargs, node);
      }
      case 'Compare': {
        let left = this.expr(child(node, 'left')!, env);
        const parts: Condition[] = [];
        const ops = at<unknown[]>(node, 'ops');
        nodes(node, 'comparators').forEach((c, i) => {
          const right = this.expr(c, env);
          parts.push(this.comparison(left, operator(ops[i]) as CompareOp, right, node));
          left = right;
        });
        return { kind: 'bool', condition: all(parts) };
      }
      case 'BoolOp':
        return this.boolOp(operator(at(node, 'op')), nodes(node, 'values'), env);
      case 'UnaryOp': {
        const op = operator(at(node, 'op'));
        const operand = this.expr(child(node, 'operand')!, env);
        if (op === 'not') return { kind: 'bool', condition: neg(truth(operand)) };
        if (operand.kind === 'const' && typeof operand.value === 'number') return constant(op === '-' ? -operand.value : op === '~' ? ~operand.value : operand.value);
        return opaque(`unary ${op}`, spanOf(node));
      }
      case 'IfExp': {
        const test = truth(this.expr(child(node, 'test')!, env));
        if (test.kind === 'const') return this.expr(child(node, test.value ? 'body' : 'orelse')!, env);
        return { kind: 'choice', when: test, then: this.expr(child(node, 'body')!, env), otherwise: this.expr(child(node, 'orelse')!, env) };
      }
      case 'List':
      case 'Tuple':
      case 'Set':
        return collection(nodes(node, 'elts').map((e) => this.expr(e, env)), node.type === 'Set');
      case 'Dict': {
        const keys = at<Array<PyNode | null>>(node, 'keys');
        const values = nodes(node, 'values');
        const entries: Array<[SymValue, SymValue]> = [];
        for (let i = 0; i < values.length; i++) {
          const k = keys[i];
          if (!k) {
            const spread = this.expr(values[i]!, env);
            if (spread.kind === 'dict') entries.push(...spread.entries);
            else if (spread.kind === 'const' && spread.value && typeof spread.value === 'object' && !Array.isArray(spread.value)) {
              for (const [key, v] of Object.entries(spread.value)) entries.push([constant(key), constant(v)]);
            } else return opaque(`**spread of ${spread.kind}`, spanOf(node));
          } else entries.push([this.expr(k, env), this.expr(values[i]!, env)]);
        }
        return dictValue(entries);
      }
      case 'BinOp':
        return this.binary(this.expr(child(node, 'left')!, env), operator(at(node, 'op')), this.expr(child(node, 'right')!, env), node);
      case 'JoinedStr': {
        let text = '';
        for (const part of nodes(node, 'values')) {
          const v = part.type === 'FormattedValue' ? this.expr(child(part, 'value')!, env) : this.expr(part, env);
          if (v.kind !== 'const' || (part.type === 'FormattedValue' && (at(part, 'format_spec') || (at<number>(part, 'conversion') ?? -1) > 0))) return opaque('f-string with event values', spanOf(node));
          text += pyStr(v.value);
        }
        return constant(text);
      }
      case 'Subscript':
        return this.subscript(this.expr(child(node, 'value')!, env), child(node, 'slice')!, env, node);
      case 'GeneratorExp':
      case 'ListComp':
      case 'SetComp':
        return this.comprehension(node, env);
      case 'Lambda':
        return { kind: 'function', def: { ...node, type: 'FunctionDef', body: [{ type: 'Return', line: node.line, col: node.col, value: child(node, 'body') }], name: '<lambda>' } as unknown as PyNode, env };
      case 'NamedExpr': {
        const value = this.expr(child(node, 'value')!, env);
        this.assign(child(node, 'target')!, value, env);
        return value;
      }
      default:
        return opaque(`${node.type} expression`, spanOf(node));
    }
  }

  /**
   * A comprehension over known items with known results is a constant (one list node for
   * `x in {s.lower() for s in NAMES}`); otherwise it stays a generator, read where it is used.
   */
  private comprehension(node: PyNode, env: Environment): SymValue {
    const generators = nodes(node, 'generators');
    const elt = child(node, 'elt');
    if (elt && generators.length === 1) {
      const g = generators[0]!;
      const items = iterableItems(this.expr(child(g, 'iter')!, env));
      if (items && items.length <= MAX_UNROLL) {
        const values: SymValue[] = [];
        let known = true;
        for (const item of items) {
          const scope = new Environment(env, env.module);
          this.assign(child(g, 'target')!, item, scope);
          const keep = all(nodes(g, 'ifs').map((f) => truth(this.expr(f, scope))));
          if (keep.kind !== 'const') known = false;
          else if (keep.value) values.push(this.expr(elt, scope));
          if (!known) break;
        }
        // Known items: a constant when every result is one (one list node), else a list of values.
        if (known) return collection(values, node.type === 'SetComp');
      }
    }
    const gen: Extract<SymValue, { kind: 'generator' }> = { kind: 'generator', node, env, nonEmpty: TRUE };
    // A generator object is true even when empty; a list or set is true when it has an item.
    if (node.type !== 'GeneratorExp') gen.nonEmpty = this.generatorTest(gen, 'any', () => TRUE);
    return gen;
  }

  private comparison(left: SymValue, op: CompareOp, right: SymValue, node: PyNode): Condition {
    if ((op === 'in' || op === 'not in') && right.kind === 'generator') {
      const found = this.generatorTest(right, 'any', (item) => compare(left, '==', item, spanOf(node)));
      return op === 'in' ? found : neg(found);
    }
    return compare(left, op, right, spanOf(node));
  }

  /** `and` / `or` as Python returns them: one of the operands, chosen by truth. */
  private boolOp(op: string, operands: PyNode[], env: Environment): SymValue {
    const values = operands.map((o) => this.expr(o, env));
    let result = values[values.length - 1]!;
    for (let i = values.length - 2; i >= 0; i--) {
      const v = values[i]!;
      const t = truth(v);
      if (t.kind === 'const') result = (op === 'or') === t.value ? v : result;
      else result = op === 'or' ? { kind: 'choice', when: t, then: v, otherwise: result } : { kind: 'choice', when: t, then: result, otherwise: v };
    }
    return result;
  }

  binary(left: SymValue, op: string, right: SymValue, node: PyNode): SymValue {
    if (left.kind === 'const' && right.kind === 'const') {
      const folded = foldBinary(left.value, op, right.value);
      if (folded !== undefined) return constant(folded);
    }
    if (op === '|' && left.kind === 'const' && right.kind === 'const') return opaque('set union', spanOf(node));
    return opaque(`${op} of ${left.kind} and ${right.kind}`, spanOf(node));
  }

  attribute(base: SymValue, name: string, node: PyNode): SymValue {
    switch (base.kind) {
      case 'module':
        if (base.name === 're' && RE_FLAGS[name] !== undefined) return constant(RE_FLAGS[name]!);
        // deep_get and its kin are known by what they do, not read from their generic bodies.
        if (base.name === 'panther_base_helpers' && INTRINSIC_HELPERS.has(name)) return { kind: 'builtin', name };
        if (base.env) {
          const found = base.env.lookup(name);
          if (found) return found;
        }
        return { kind: 'builtin', name: `${base.name}.${name}` };
      case 'ip':
        return ipProperty(base.of, name, node);
      case 'event':
      case 'field':
      case 'const':
      case 'regex':
      case 'choice':
      case 'cases':
        return { kind: 'builtin', name: `.${name}`, bound: base };
      default:
        return opaque(`attribute ${name} of ${base.kind === 'opaque' ? base.reason : base.kind}`, spanOf(node));
    }
  }

  private subscript(base: SymValue, index: PyNode, env: Environment, node: PyNode): SymValue {
    if (index.type === 'Slice') return opaque('slice', spanOf(node));
    const key = this.expr(index, env);
    // TABLE[value from the event]: a lookup whose miss raises KeyError (left unknown; a guard
    // such as `value in TABLE` usually rules it out).
    if (key.kind !== 'const' && base.kind === 'const' && base.value && typeof base.value === 'object' && !Array.isArray(base.value)) {
      return tableLookup(base.value, key, opaque('KeyError of a lookup in a constant table', spanOf(node)), spanOf(node));
    }
    if (key.kind !== 'const') return opaque('subscript with a computed key', spanOf(node));
    return this.item(base, key, node);
  }

  /** `base[key]`; of a choice, the choice between the branches' items. */
  private item(base: SymValue, key: Extract<SymValue, { kind: 'const' }>, node: PyNode): SymValue {
    if (base.kind === 'choice') return { ...base, then: this.item(base.then, key, node), otherwise: this.item(base.otherwise, key, node) };
    if (base.kind === 'cases') return casesValue(base.cases.map((c) => ({ when: c.when, value: this.item(c.value, key, node) })));
    if (base.kind === 'const') {
      const v = base.value;
      if (Array.isArray(v) && typeof key.value === 'number') return v.at(key.value) !== undefined ? constant(v.at(key.value)!) : opaque('index out of range', spanOf(node));
      if (v && typeof v === 'object' && !Array.isArray(v) && typeof key.value === 'string') return Object.hasOwn(v, key.value) ? constant(v[key.value]!) : opaque(`missing key ${key.value}`, spanOf(node));
      return opaque('subscript of a constant', spanOf(node));
    }
    if (typeof key.value === 'string' && (base.kind === 'event' || base.kind === 'field')) return callValue(this, { kind: 'builtin', name: '.get', bound: base }, [key], new Map(), node);
    if (base.kind === 'split' && typeof key.value === 'number') return splitPart(base, key.value, node);
    if (base.kind === 'dict') return base.entries.find(([k]) => sameConst(k, key))?.[1] ?? opaque('missing key', spanOf(node));
    if (base.kind === 'list' && typeof key.value === 'number') return base.items.at(key.value) ?? opaque('index out of range', spanOf(node));
    return opaque(`subscript of ${base.kind}`, spanOf(node));
  }

  /**
   * `quantifier` of a generator's items satisfy `test`: unrolled over known items, an
   * `elements` condition over an event array.
   */
  generatorTest(gen: Extract<SymValue, { kind: 'generator' }>, quantifier: 'any' | 'all', test: (item: SymValue) => Condition): Condition {
    const node = gen.node;
    const generators = nodes(node, 'generators');
    const elt = child(node, 'elt') ?? child(node, 'key');
    if (!elt) return unknown(`${node.type} not followed`, spanOf(node));
    const level = (i: number, env: Environment): Condition => {
      if (i === generators.length) return test(this.expr(elt, env));
      const g = generators[i]!;
      const source = this.expr(child(g, 'iter')!, env);
      const filters = nodes(g, 'ifs');
      const body = (scope: Environment): Condition => {
        const guard = all(filters.map((f) => truth(this.expr(f, scope))));
        const inner = level(i + 1, scope);
        return quantifier === 'any' ? all([guard, inner]) : any([neg(guard), inner]);
      };
      const items = iterableItems(source);
      if (items) {
        if (items.length > MAX_UNROLL) return unknown(`generator over ${items.length} items`, spanOf(g));
        const parts = items.map((item) => {
          const scope = new Environment(env, env.module);
          this.assign(child(g, 'target')!, item, scope);
          return body(scope);
        });
        return quantifier === 'any' ? any(parts) : all(parts);
      }
      if (source.kind === 'field') {
        return this.withElement((root) => {
          const scope = new Environment(env, env.module);
          this.assign(child(g, 'target')!, { kind: 'field', path: root, missing: null, nullIsMissing: false }, scope);
          return this.elementsOf(source, quantifier, body(scope), g);
        });
      }
      if (source.kind === 'choice' || source.kind === 'cases') {
        const branches = source.kind === 'choice' ? [{ when: source.when, value: source.then }, { when: neg(source.when), value: source.otherwise }] : source.cases;
        return any(
          branches.map((b) => {
            const scope = new Environment(env, env.module);
            const name = `\u0002branch${i}`;
            scope.set(name, b.value);
            const rewritten = { ...g, iter: { type: 'Name', line: g.line, col: g.col, id: name } } as unknown as PyNode;
            const sub = { ...node, generators: [...generators.slice(0, i), rewritten, ...generators.slice(i + 1)] } as unknown as PyNode;
            return all([b.when, this.generatorTest({ kind: 'generator', node: sub, env: scope, nonEmpty: TRUE }, quantifier, test)]);
          }),
        );
      }
      if (source.kind === 'generator') return unknown('generator over a generator', spanOf(g));
      return source.kind === 'opaque' ? unknown(source.reason, source.span ?? spanOf(g)) : unknown(`iteration over ${source.kind}`, spanOf(g));
    };
    return level(0, gen.env);
  }
}

// ---- helpers ----

function casesValue(cases: Array<{ when: Condition; value: SymValue }>): SymValue {
  const live = cases.filter((c) => !(c.when.kind === 'const' && !c.when.value));
  if (live.length === 1 && live[0]!.when.kind === 'const') return live[0]!.value;
  if (live.length === 0) return NONE;
  return { kind: 'cases', cases: live };
}

/** After an if: the paths that reach its end go on as one, their differences as choices. */
function mergeStates(a: State | undefined, b: State | undefined, test: Condition, before: State): State | undefined {
  if (!a && !b) return undefined;
  if (!a || !b) {
    const only = (a ?? b)!;
    return { env: only.env, path: all([before.path, only.path]) };
  }
  const env = before.env.fork();
  const names = new Set([...a.env.entries().map(([k]) => k), ...b.env.entries().map(([k]) => k)]);
  for (const name of names) {
    const x = a.env.lookup(name);
    const y = b.env.lookup(name);
    if (x === y && x) env.set(name, x);
    else env.set(name, { kind: 'choice', when: test, then: x ?? opaque(`${name} unset on a path`), otherwise: y ?? opaque(`${name} unset on a path`) });
  }
  return { env, path: all([before.path, eitherBranch(a.path, b.path, test)]) };
}

/**
 * The paths of the two branches of an if, joined: `(t and A) or (not t and B)`, which is
 * true when neither branch narrowed its path further.
 */
function eitherBranch(yes: Condition, no: Condition, test: Condition): Condition {
  const rest = (path: Condition, lead: Condition): Condition | undefined => {
    if (same(path, lead)) return TRUE;
    if (path.kind === 'and' && same(path.children[0]!, lead)) return all(path.children.slice(1));
    return undefined;
  };
  const a = rest(yes, test);
  const b = rest(no, neg(test));
  if (a && b) {
    if (a.kind === 'const' && a.value && b.kind === 'const' && b.value) return TRUE;
    if (a.kind === 'const' && a.value) return any([test, b]);
    if (b.kind === 'const' && b.value) return any([neg(test), a]);
  }
  return any([yes, no]);
}

/**
 * Python's ipaddress properties as networks (the ranges of Python 3.11's tables). The
 * address's text is tested, so these hold for addresses written in the event.
 */
const IP_RANGES: Record<string, string[]> = {
  is_private: [
    '0.0.0.0/8', '10.0.0.0/8', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.0.0.0/29', '192.0.0.170/31', '192.0.2.0/24',
    '192.168.0.0/16', '198.18.0.0/15', '198.51.100.0/24', '203.0.113.0/24', '240.0.0.0/4', '255.255.255.255/32',
    '::1/128', '::/128', '::ffff:0:0/96', '100::/64', '2001::/23', '2001:2::/48', '2001:db8::/32', '2001:10::/28', 'fc00::/7', 'fe80::/10',
  ],
  is_loopback: ['127.0.0.0/8', '::1/128'],
  is_link_local: ['169.254.0.0/16', 'fe80::/10'],
  is_multicast: ['224.0.0.0/4', 'ff00::/8'],
};

function ipProperty(of: SymValue, name: string, node: PyNode): SymValue {
  if (of.kind !== 'field') return opaque(`ip_address().${name} of a value not read from the event`, spanOf(node));
  const span = spanOf(node);
  if (name === 'is_global') return { kind: 'bool', condition: neg(fieldTest(of, 'cidr', [...IP_RANGES.is_private!, '100.64.0.0/10'], { span })) };
  const ranges = IP_RANGES[name];
  return ranges ? { kind: 'bool', condition: fieldTest(of, 'cidr', ranges, { span }) } : opaque(`ip_address().${name}`, span);
}

/** Several paths reaching one point (loop exits): only the common case of one is followed. */
function joinStates(states: State[], env: Environment): State | undefined {
  if (states.length === 0) return undefined;
  if (states.length === 1) return states[0];
  return { env: states[0]!.env === env ? env : states[0]!.env, path: any(states.map((s) => s.path)) };
}

/**
 * A part of `x.split(sep)`. The first and last parts do not depend on a limit (split(sep, n)[0]
 * is still the first part, rsplit(sep, n)[-1] still the last); other parts are followed for an
 * unlimited split on one character, which a regular expression can count.
 */
function splitPart(split: Extract<SymValue, { kind: 'split' }>, index: number, node: PyNode): SymValue {
  const edge = index === 0 || index === -1;
  const exact = edge ? (index === 0 ? split.from === 'left' : split.from === 'right') || split.max === -1 : split.max === -1 && [...split.sep].length === 1;
  if (!exact) return opaque(edge ? `part ${index} of a limited split` : 'subscript of split', spanOf(node));
  const f = split.of;
  // A missing value without a text default cannot be split (Python raises).
  if (typeof f.missing !== 'string') return opaque(`split() of ${f.path} without a text default`, spanOf(node));
  const missing = f.missing.split(split.sep).at(index);
  if (missing === undefined) return opaque(`part ${index} of the split default of ${f.path}`, spanOf(node));
  return { ...f, segment: { sep: split.sep, index }, missing };
}

/** Rebuilds a condition with every field path passed through `fn`. */
function rewriteFields(c: Condition, fn: (path: string) => string): Condition {
  switch (c.kind) {
    case 'and':
    case 'or':
      return { ...c, children: c.children.map((x) => rewriteFields(x, fn)) };
    case 'not':
      return { ...c, child: rewriteFields(c.child, fn) };
    case 'match':
    case 'exists':
      return { ...c, field: fn(c.field) };
    case 'fieldref':
      return { ...c, field: fn(c.field), ref: fn(c.ref) };
    case 'elements':
      // Paths inside are relative to its own elements already.
      return { ...c, field: fn(c.field) };
    default:
      return c;
  }
}


// Synthetic events made from a rule's own values, for differential tests of the query printers.
//
// Every test in the condition proposes candidate values for its field: values that should satisfy
// it (the value itself, the value inside longer text, case variants, instantiated wildcards,
// strings a regex matches, an address inside a network, neighbouring numbers) and values that
// should not (the value cut or extended on the anchored side, the other case under `cased`,
// an address outside the network). Every field also gets the empty string, null, and no value at
// all. These candidates are not trusted to do what they say; the evaluators decide. They only
// have to reach both sides of each test.
//
// The events are:
// - base events: the event in which each field takes its first satisfying candidate, one the rule
//   matches (found with rulebridge's evaluator near it), and minimal matching ones (fields the
//   match does without left out), so that each test is somewhere decisive;
// - base events with one field changed: first a satisfying and a violating value of every test
//   and the empty values of every field, then other candidates as room allows;
// - random mixtures, where each field takes any candidate.
// Everything is drawn from a seeded generator, so a run is reproducible. Large value lists
// are sampled, and so is the final set of events when it passes the limit.

import fc from 'fast-check';
import { isPlaceholder, type Condition, type MatchNode, type Value } from '../../src/ast/condition.js';
import { parseNetwork, type Network } from '../../src/ast/cidr.js';
import { compileRegex } from '../../src/ast/regex.js';
import { parsePattern } from '../../src/ast/wildcard.js';
import { visit } from '../../src/ast/walk.js';
import { evaluate } from '../../src/eval/evaluate.js';

export interface SyntheticOptions {
  seed: number;
  /** Most events returned for one rule. */
  maxEvents: number;
  /** Most values of one test turned into candidates. */
  valuesPerTest: number;
  /** Random mixtures added to the base event and its one-field variants. */
  mixtures: number;
}

/** A field left out of the event. */
const ABSENT = Symbol('absent');
type Candidate = unknown;

/** The column keyword tests are given their text in (keywords search every value). */
export const KEYWORD_FIELD = 'SyntheticKeywordText';

export function syntheticEvents(condition: Condition, options: SyntheticOptions): Array<Record<string, unknown>> {
  const random = prng(options.seed);
  const probes = probesOf(condition, options, random);
  const pools = poolsOf(probes);
  const fields = [...pools.keys()];
  if (fields.length === 0) return [{}];
  const first = new Map<string, Candidate>(fields.map((f) => [f, firstOr(pools.get(f)!.satisfying, ABSENT)]));
  const bases = baseEvents(condition, first, pools, random);
  // Each test's key candidates (see Probe.key) and each field's empty values are tried on the
  // base where the field most likely decides the verdict; everything else shares what room is left.
  const required: Array<Map<string, Candidate>> = [];
  const others: Array<Map<string, Candidate>> = [];
  fields.forEach((field, i) => {
    const holders = bases.filter((b) => b.get(field) !== ABSENT);
    const best = holders.length > 0 ? holders[i % holders.length]! : bases[0]!;
    const variant = (base: Map<string, Candidate>, value: Candidate) => new Map(base).set(field, value);
    for (const probe of probes) if (probe.field === field) for (const value of probe.key) required.push(variant(best, value));
    for (const empty of EMPTY) required.push(variant(best, empty));
    for (const base of bases) for (const value of pools.get(field)!.all) others.push(variant(base, value));
  });
  const room = options.maxEvents - bases.length - options.mixtures;
  const taken = new Set(bases.map(keyOf));
  const must = sample(distinct(required, taken), room, random);
  const chosen = [...must, ...sample(distinct(others, taken), room - must.length, random)];
  const mixtures = Array.from({ length: options.mixtures }, () => new Map<string, Candidate>(fields.map((f) => [f, pick(pools.get(f)!.all, random)])));
  return [...bases, ...chosen, ...mixtures].map(toEvent);
}

/**
 * The events variants start from. A variant shows what one test contributes only when that test
 * decides the verdict, so besides the first-candidate event there is one the rule matches and a
 * few minimal ones: the matching event with every field it can do without left out (in a few
 * orders), so that no sibling in an `or` masks the test changed.
 */
function baseEvents(condition: Condition, first: Map<string, Candidate>, pools: Map<string, FieldPool>, random: () => number): Array<Map<string, Candidate>> {
  const matches = (event: Map<string, Candidate>) => evaluate(condition, toEvent(event));
  const matching = matchingEvent(matches, first, pools, random);
  if (!matching) return [first];
  const bases = [matching, first];
  const fields = [...pools.keys()];
  for (let i = 0; i < MINIMAL_BASES; i++) {
    const minimal = new Map(matching);
    for (const field of i === 0 ? fields : shuffle(fields, random)) {
      const without = new Map(minimal).set(field, ABSENT);
      if (matches(without)) minimal.set(field, ABSENT);
    }
    bases.push(minimal);
  }
  return distinct(bases, new Set());
}

const MINIMAL_BASES = 3;

/**
 * An event the rule matches, searched near `start`: first by changing one field, then by random
 * draws that favour satisfying candidates. Undefined when none is found in the budget.
 */
function matchingEvent(
  matches: (event: Map<string, Candidate>) => boolean,
  start: Map<string, Candidate>,
  pools: Map<string, FieldPool>,
  random: () => number,
): Map<string, Candidate> | undefined {
  if (matches(start)) return start;
  for (const [field, pool] of pools) {
    for (const value of pool.all) {
      const event = new Map(start).set(field, value);
      if (matches(event)) return event;
    }
  }
  for (let i = 0; i < SEARCH_TRIES; i++) {
    const event = new Map<string, Candidate>();
    for (const [field, pool] of pools) event.set(field, pool.satisfying.length > 0 && random() < 0.8 ? pick(pool.satisfying, random) : pick(pool.all, random));
    if (matches(event)) return event;
  }
  return undefined;
}

const SEARCH_TRIES = 200;

/** The candidates one value of one test proposes for its field. */
interface Probe extends Pool {
  field: string;
  /** Texts one escaping mistake away from a satisfying one (see nearMisses). */
  near: Candidate[];
  /** A substring-like test, which a joint probe can combine with others (see jointProbes). */
  joinable: boolean;
  /**
   * The candidates every run tries: the first and last satisfying ones (the value itself and,
   * by construction, a case variant), the first violating one, and the escaping near misses.
   */
  key: Candidate[];
}

interface Pool {
  satisfying: Candidate[];
  violating: Candidate[];
}

const EMPTY: Candidate[] = ['', null, ABSENT];

/** A field's candidates from all its tests, and all of them with the empty values. */
interface FieldPool extends Pool {
  all: Candidate[];
}

function poolsOf(probes: Probe[]): Map<string, FieldPool> {
  const pools = new Map<string, FieldPool>();
  for (const probe of probes) {
    const pool = pools.get(probe.field) ?? { satisfying: [], violating: [], all: [] };
    pool.satisfying.push(...probe.satisfying);
    pool.violating.push(...probe.violating);
    pools.set(probe.field, pool);
  }
  for (const pool of pools.values()) {
    pool.satisfying = dedupe(pool.satisfying);
    pool.violating = dedupe(pool.violating);
    pool.all = dedupe([...pool.satisfying, ...pool.violating, ...EMPTY]);
  }
  return pools;
}

/**
 * Several tests of one field (`contains a` and `contains b`, `startswith a` and `endswith b`) are
 * satisfied together by their texts joined in order; replacing one text by its violating text or
 * a near miss, the others kept, probes that test alone. One joint probe per such field.
 */
function jointProbes(probes: Probe[]): Probe[] {
  const byField = new Map<string, Probe[]>();
  for (const probe of probes) {
    if (probe.joinable && typeof probe.satisfying[0] === 'string') byField.set(probe.field, [...(byField.get(probe.field) ?? []), probe]);
  }
  const out: Probe[] = [];
  for (const [field, group] of byField) {
    if (group.length < 2) continue;
    const texts = group.map((p) => p.satisfying[0] as string);
    const joined = texts.join(' ');
    const violating: string[] = [];
    group.forEach((probe, i) => {
      for (const other of [probe.violating[0], ...probe.near]) {
        if (typeof other === 'string') violating.push(texts.map((t, j) => (j === i ? other : t)).join(' '));
      }
    });
    out.push({ field, satisfying: [joined], violating: dedupe(violating), near: [], joinable: false, key: dedupe([joined, ...violating]) });
  }
  return out;
}

function firstOr(values: Candidate[], fallback: Candidate): Candidate {
  return values.length > 0 ? values[0] : fallback;
}

/** Tests on text that still hold, or still fail, inside longer text. */
const JOINABLE = new Set(['contains', 'startswith', 'endswith', 'wildcard']);

function probesOf(condition: Condition, options: SyntheticOptions, random: () => number): Probe[] {
  const probes: Probe[] = [];
  const add = (field: string, satisfying: Candidate[], violating: Candidate[], near: Candidate[] = [], joinable = false) => {
    if (field === '@') return;
    const key: Candidate[] = [];
    if (satisfying.length > 0) key.push(satisfying[0], satisfying[satisfying.length - 1]);
    if (violating.length > 0) key.push(violating[0]);
    key.push(...near);
    probes.push({ field, satisfying: dedupe(satisfying), violating: dedupe([...violating, ...near]), near, joinable, key: dedupe(key) });
  };
  visit(condition, (node) => {
    switch (node.kind) {
      case 'match': {
        if (node.part) return;
        for (const value of sample(node.values, options.valuesPerTest, random, true)) {
          const { satisfying, violating, near } = matchCandidates(node, value, random);
          add(node.field, satisfying, violating, near, JOINABLE.has(node.op));
        }
        return;
      }
      case 'exists':
        add(node.field, ['x'], []);
        return;
      case 'keyword':
        for (const value of sample(node.values, options.valuesPerTest, random, true)) {
          if (value === null || isPlaceholder(value)) continue;
          const text = node.op === 'wildcard' ? instantiate(String(value), 'ab', 'q') : String(value);
          add(KEYWORD_FIELD, [`x${text}y`, caseSwap(`x${text}y`)], ['zz'], nearMisses(`x${text}y`), true);
        }
        return;
      case 'fieldref':
        add(node.field, ['same'], []);
        add(node.ref, ['same', 'SAME'], ['other']);
        return;
      case 'elements':
        return false;
      default:
        return;
    }
  });
  return [...probes, ...jointProbes(probes)];
}

/** Candidates for one value of a match, and its escaping near misses. */
function matchCandidates(node: MatchNode, value: Value, random: () => number): Pool & { near?: string[] } {
  if (isPlaceholder(value)) return { satisfying: [], violating: [] };
  if (value === null) return { satisfying: [null], violating: ['x'] };
  if (typeof value === 'boolean') return { satisfying: [value, String(value)], violating: [!value] };
  if (typeof value === 'number') {
    if (node.op === 'eq') return { satisfying: [value, String(value)], violating: [value + 1] };
    return { satisfying: [value - 1, value, value + 1, String(value + 1)], violating: [] };
  }
  // Case variants come last, so that the last satisfying candidate is a case variant.
  const cased = (texts: string[]) => (node.cased ? texts : [...texts, ...texts.flatMap((t) => [t.toUpperCase(), t.toLowerCase(), caseSwap(t)])]);
  const wrongCase = node.cased && caseSwap(value) !== value ? [caseSwap(value)] : [];
  switch (node.op) {
    case 'eq':
      return { satisfying: cased([value]), violating: [`${value}x`, `x${value}`, value.slice(0, -1), ...wrongCase], near: nearMisses(value) };
    case 'contains':
      return { satisfying: cased([`x${value}y`, value]), violating: [dropMiddle(value), ...wrongCase], near: nearMisses(`x${value}y`) };
    case 'startswith':
      return { satisfying: cased([`${value}z`, value]), violating: [`z${value}`, value.slice(0, -1), ...wrongCase], near: nearMisses(`${value}z`) };
    case 'endswith':
      return { satisfying: cased([`z${value}`, value]), violating: [`${value}z`, value.slice(1), ...wrongCase], near: nearMisses(`z${value}`) };
    case 'wildcard': {
      const plain = instantiate(value, '', 'q');
      return {
        satisfying: cased([instantiate(value, 'ab', 'q'), plain, instantiate(value, 'a\nb', '\n')]),
        violating: [`${plain}Z`, `Z${plain}`, ...(node.cased ? [caseSwap(plain)] : [])],
        near: nearMisses(plain),
      };
    }
    case 'regex': {
      const samples = regexSamples(value, node.flags ?? '', random);
      return { satisfying: [...samples, ...samples.map(caseSwap)], violating: ['', 'zz'] };
    }
    case 'cidr':
      return cidrCandidates(value);
    default: {
      // Ordering tests with a text value: its neighbours as numbers.
      const n = Number(value);
      return Number.isFinite(n) ? { satisfying: [n - 1, n, n + 1, value], violating: [] } : { satisfying: [value], violating: [] };
    }
  }
}

/** Text the wildcard pattern matches, with `*` and `?` replaced. */
function instantiate(pattern: string, star: string, single: string): string {
  return parsePattern(pattern)
    .map((t) => (t === '*' ? star : t === '?' ? single : t.lit))
    .join('');
}

function regexSamples(pattern: string, flags: string, random: () => number): string[] {
  const compiled = compileRegex(pattern, flags);
  if (!compiled.ok) return [];
  try {
    // fast-check refuses the i flag; text the case-sensitive pattern matches, the other matches too.
    const regexp = new RegExp(compiled.regexp.source, compiled.regexp.flags.replace('i', ''));
    return fc.sample(fc.stringMatching(regexp), { seed: Math.floor(random() * 2 ** 31), numRuns: 3 });
  } catch {
    // fast-check does not read every pattern; such tests keep their other candidates.
    return [];
  }
}

function cidrCandidates(text: string): Pool {
  const parsed = parseNetwork(text);
  if (!parsed.ok) return { satisfying: [], violating: [] };
  const network = parsed.network;
  const inside = Uint8Array.from(network.bytes);
  const bits = inside.length * 8;
  if (network.prefix < bits) inside[inside.length - 1] = inside[inside.length - 1]! | 1;
  const outside = Uint8Array.from(network.bytes);
  if (network.prefix > 0) outside[0] = outside[0]! ^ 0x80;
  const satisfying = [addressText(inside, network)];
  if (network.version === 4) satisfying.push(`::ffff:${addressText(inside, network)}`);
  return { satisfying, violating: network.prefix > 0 ? [addressText(outside, network)] : [] };
}

function addressText(bytes: Uint8Array, network: Network): string {
  if (network.version === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16));
  return groups.join(':');
}

/**
 * Text one escaping mistake away: a doubled backslash read as one, a backslash doubled, a quote
 * lost. A printer that escapes wrongly matches these instead of (or as well as) the value.
 */
function nearMisses(text: string): string[] {
  const out: string[] = [];
  if (text.includes('\\\\')) out.push(text.replace(/\\\\/g, '\\'));
  if (text.includes('\\')) out.push(text.replace(/\\/g, '\\\\'));
  if (/["']/.test(text)) out.push(text.replace(/["']/g, ''));
  return out.filter((t) => t !== text);
}

function caseSwap(text: string): string {
  return [...text].map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase())).join('');
}

function dropMiddle(text: string): string {
  const chars = [...text];
  chars.splice(Math.floor(chars.length / 2), 1);
  return chars.join('');
}

function toEvent(assignment: Map<string, Candidate>): Record<string, unknown> {
  const event: Record<string, unknown> = {};
  for (const [field, value] of assignment) if (value !== ABSENT) event[field] = value;
  return event;
}

/** The events not seen before, in order; `taken` remembers them for the next call. */
function distinct(events: Array<Map<string, Candidate>>, taken: Set<string>): Array<Map<string, Candidate>> {
  return events.filter((event) => {
    const key = keyOf(event);
    if (taken.has(key)) return false;
    taken.add(key);
    return true;
  });
}

/** Events with the same values are the same event (every event has the base's fields, in order). */
function keyOf(event: Map<string, Candidate>): string {
  return [...event.values()].map(candidateKey).join('\u0000');
}

/** Candidates that print alike are alike (1 and "1" are not). */
function candidateKey(value: Candidate): string {
  return value === ABSENT ? 'absent' : `${typeof value}:${JSON.stringify(value)}`;
}

function dedupe(values: Candidate[]): Candidate[] {
  const seen = new Set<string>();
  return values.filter((v) => {
    const key = candidateKey(v);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Up to n items, in order; with `keepEnds`, the first and last are always among them. */
function sample<T>(items: T[], n: number, random: () => number, keepEnds = false): T[] {
  if (items.length <= n) return items;
  const chosen = new Set<number>(keepEnds ? [0, items.length - 1] : []);
  while (chosen.size < n) chosen.add(Math.floor(random() * items.length));
  return [...chosen].sort((a, b) => a - b).map((i) => items[i]!);
}

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Marsaglia's xorshift32, scaled to [0, 1): small, seeded, and enough for reproducible sampling. */
export function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4294967296;
  };
}

/** A seed from a text (a rule's id), so each rule's events stay the same across runs. */
export function seedOf(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

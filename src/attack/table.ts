// The ATT&CK table: tactic and technique ids, names, and which tactics a technique belongs to.
// rulebridge ships one (enterprise-attack.json, facts from ATT&CK 17.1, written by
// scripts/attack-table.js); `--attack <file>` reads a newer official STIX bundle instead.

import { readFileSync } from 'node:fs';
import type { AttackTactic } from '../ast/rule.js';

export interface AttackTable {
  version: string;
  tactics: Map<string, AttackTactic>;
  tacticsByShortname: Map<string, AttackTactic>;
  techniques: Map<string, { name: string; tactics: string[] }>;
}

/** The serialisable form, as shipped and as handed to worker threads. */
export interface AttackTableData {
  attack_version: string;
  tactics: Record<string, { name: string; shortname: string }>;
  techniques: Record<string, { name: string; tactics: string[] }>;
}

let shipped: AttackTableData | undefined;

export function shippedAttackData(): AttackTableData {
  shipped ??= JSON.parse(readFileSync(new URL('./enterprise-attack.json', import.meta.url), 'utf8')) as AttackTableData;
  return shipped;
}

const tables = new WeakMap<AttackTableData, AttackTable>();

export function attackTable(data: AttackTableData = shippedAttackData()): AttackTable {
  let table = tables.get(data);
  if (!table) {
    const tactics = new Map<string, AttackTactic>();
    const tacticsByShortname = new Map<string, AttackTactic>();
    for (const [id, t] of Object.entries(data.tactics)) {
      const tactic = { id, name: t.name, shortname: t.shortname };
      tactics.set(id, tactic);
      tacticsByShortname.set(t.shortname, tactic);
    }
    table = { version: data.attack_version, tactics, tacticsByShortname, techniques: new Map(Object.entries(data.techniques)) };
    tables.set(data, table);
  }
  return table;
}

export type AttackDataResult = { ok: true; data: AttackTableData } | { ok: false; message: string };

/** Reads an official STIX 2.1 bundle, or a table in rulebridge's own format. */
export function readAttackData(path: string): AttackDataResult {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    return { ok: false, message: `cannot read ${path}: ${(error as Error).message}` };
  }
  const data = raw as Record<string, unknown>;
  if (data && data.type === 'bundle' && Array.isArray(data.objects)) return fromStix(data.objects as StixObject[]);
  if (data && typeof data.tactics === 'object' && typeof data.techniques === 'object') {
    return { ok: true, data: { attack_version: String(data.attack_version ?? 'unknown'), ...(data as object) } as AttackTableData };
  }
  return { ok: false, message: `${path} is neither a STIX bundle nor an ATT&CK table` };
}

interface StixObject {
  type?: string;
  name?: string;
  revoked?: boolean;
  x_mitre_deprecated?: boolean;
  x_mitre_shortname?: string;
  x_mitre_version?: string;
  external_references?: Array<{ source_name?: string; external_id?: string }>;
  kill_chain_phases?: Array<{ kill_chain_name?: string; phase_name?: string }>;
}

function fromStix(objects: StixObject[]): AttackDataResult {
  const data: AttackTableData = { attack_version: 'unknown', tactics: {}, techniques: {} };
  for (const o of objects) {
    if (o.revoked || o.x_mitre_deprecated) continue;
    const id = o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
    if (o.type === 'x-mitre-collection' && o.x_mitre_version) data.attack_version = o.x_mitre_version;
    if (!id || !o.name) continue;
    if (o.type === 'x-mitre-tactic' && o.x_mitre_shortname) data.tactics[id] = { name: o.name, shortname: o.x_mitre_shortname };
    if (o.type === 'attack-pattern') {
      const tactics = (o.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name!);
      data.techniques[id] = { name: o.name, tactics };
    }
  }
  if (Object.keys(data.tactics).length === 0) return { ok: false, message: 'the STIX bundle holds no ATT&CK tactics' };
  return { ok: true, data };
}

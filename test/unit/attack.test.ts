import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { coverageFromSigmaTags, coverageFromTacticTechniquePairs } from '../../src/attack/coverage.js';
import { attackTable, readAttackData, shippedAttackData } from '../../src/attack/table.js';

const dir = mkdtempSync(join(tmpdir(), 'rulebridge-attack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ref = (id: string) => [{ source_name: 'mitre-attack', external_id: id }];
const bundle = {
  type: 'bundle',
  id: 'bundle--1',
  objects: [
    { type: 'x-mitre-collection', x_mitre_version: '18.0' },
    { type: 'x-mitre-tactic', name: 'Stealth', x_mitre_shortname: 'stealth', external_references: ref('TA0112') },
    { type: 'x-mitre-tactic', name: 'Persistence', x_mitre_shortname: 'persistence', external_references: ref('TA0003') },
    {
      type: 'attack-pattern',
      name: 'Hide Things',
      external_references: ref('T1685'),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'stealth' }],
    },
    {
      type: 'attack-pattern',
      name: 'Old Thing',
      revoked: true,
      external_references: ref('T1000'),
      kill_chain_phases: [{ kill_chain_name: 'mitre-attack', phase_name: 'stealth' }],
    },
  ],
};

describe('ATT&CK table', () => {
  test('the shipped table is ATT&CK 17.1', () => {
    const table = attackTable();
    expect(table.version).toBe('17.1');
    expect(table.tactics.get('TA0003')?.name).toBe('Persistence');
    expect(table.techniques.get('T1098.001')).toEqual({ name: 'Additional Cloud Credentials', tactics: ['persistence', 'privilege-escalation'] });
  });
  test('an official STIX bundle can replace it', () => {
    const path = join(dir, 'enterprise-attack.json');
    writeFileSync(path, JSON.stringify(bundle));
    const read = readAttackData(path);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    const table = attackTable(read.data);
    expect(table.version).toBe('18.0');
    expect(table.techniques.has('T1000')).toBe(false);
    const { coverage, unknown } = coverageFromSigmaTags(['attack.stealth', 'attack.t1685'], table);
    expect(unknown).toEqual([]);
    expect(coverage.techniques).toEqual([{ id: 'T1685', name: 'Hide Things', tactics: ['TA0112'] }]);
  });
  test('files that are neither are refused', () => {
    const path = join(dir, 'other.json');
    writeFileSync(path, '{"hello": 1}');
    expect(readAttackData(path).ok).toBe(false);
    expect(readAttackData(join(dir, 'missing.json')).ok).toBe(false);
  });
});

describe('coverage', () => {
  const table = attackTable(shippedAttackData());
  test('Sigma tags: techniques listed under the rule’s own tactics where they belong', () => {
    const { coverage } = coverageFromSigmaTags(['attack.defense-evasion', 'attack.persistence', 'attack.t1098.001'], table);
    expect(coverage.tactics.map((t) => t.id)).toEqual(['TA0005', 'TA0003']);
    expect(coverage.techniques).toEqual([{ id: 'T1098.001', name: 'Additional Cloud Credentials', tactics: ['TA0003'] }]);
  });
  test('groups and software are not coverage; underscores are read as dashes', () => {
    const { coverage, unknown } = coverageFromSigmaTags(['attack.g0016', 'attack.s0002', 'attack.defense_evasion', 'cve.2021-1234'], table);
    expect(unknown).toEqual([]);
    expect(coverage.tactics.map((t) => t.id)).toEqual(['TA0005']);
  });
  test('Panther tactic:technique pairs', () => {
    const { coverage, unknown } = coverageFromTacticTechniquePairs(['TA0006:T1098.001', 'TA0011:T1071', 'TA9999:T1'], table);
    expect(coverage.techniques.map((t) => t.id)).toEqual(['T1098.001', 'T1071']);
    expect(unknown).toEqual(['TA9999:T1']);
  });
});

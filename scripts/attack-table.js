#!/usr/bin/env node
// Writes src/attack/enterprise-attack.json, the ATT&CK table rulebridge ships: ids, names and
// tactic membership only. Input: an official STIX 2.1 bundle (enterprise-attack.json) or a
// table in the same format as the output.
//   node scripts/attack-table.js <input.json> [output.json]
import { readFileSync, writeFileSync } from 'node:fs';

const [input, output = new URL('../src/attack/enterprise-attack.json', import.meta.url)] = process.argv.slice(2);
if (!input) {
  console.error('usage: node scripts/attack-table.js <enterprise-attack.json> [output.json]');
  process.exit(2);
}
const data = JSON.parse(readFileSync(input, 'utf8'));
let table;
if (data.type === 'bundle') {
  const tactics = {};
  const techniques = {};
  let version = 'unknown';
  const mitreId = (o) => o.external_references?.find((r) => r.source_name === 'mitre-attack')?.external_id;
  for (const o of data.objects) {
    if (o.revoked || o.x_mitre_deprecated) continue;
    if (o.type === 'x-mitre-collection' && o.x_mitre_version) version = o.x_mitre_version;
    if (o.type === 'x-mitre-tactic') tactics[mitreId(o)] = { name: o.name, shortname: o.x_mitre_shortname };
    if (o.type === 'attack-pattern' && mitreId(o)) {
      techniques[mitreId(o)] = {
        name: o.name,
        tactics: (o.kill_chain_phases ?? []).filter((k) => k.kill_chain_name === 'mitre-attack').map((k) => k.phase_name),
      };
    }
  }
  table = { attack_version: version, domain: 'enterprise-attack', tactics, techniques };
} else {
  table = { attack_version: data.attack_version, domain: data.domain, tactics: data.tactics, techniques: data.techniques };
}
const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
table.tactics = sorted(table.tactics);
table.techniques = sorted(table.techniques);
writeFileSync(output, JSON.stringify(table, null, 1) + '\n');
console.log(`${Object.keys(table.tactics).length} tactics, ${Object.keys(table.techniques).length} techniques (ATT&CK ${table.attack_version})`);

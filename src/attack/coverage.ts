// Turns a rule's ATT&CK references (Sigma tags, Panther report entries) into tactics and
// techniques with names.

import type { AttackCoverage, AttackTactic, AttackTechnique } from '../ast/rule.js';
import type { AttackTable } from './table.js';

export interface CoverageResult {
  coverage: AttackCoverage;
  /** References the table does not know, as written. */
  unknown: string[];
}

const TECHNIQUE = /^t(\d{4})(?:\.(\d{3}))?$/i;
const TACTIC_ID = /^ta(\d{4})$/i;
/** Groups, software, campaigns, mitigations, data sources: ATT&CK objects that are not coverage. */
const OTHER_OBJECT = /^(?:g|s|c|m|ds)\d{4}$/i;

/**
 * Sigma `attack.*` tags. A technique is listed under the rule's own tactic tags where the
 * technique belongs to them, else under all of its tactics in the table.
 */
export function coverageFromSigmaTags(tags: string[], table: AttackTable): CoverageResult {
  const tactics: AttackTactic[] = [];
  const techniqueIds: string[] = [];
  const unknown: string[] = [];
  for (const tag of tags) {
    const lower = tag.toLowerCase();
    if (!lower.startsWith('attack.')) continue;
    const name = lower.slice('attack.'.length);
    const technique = TECHNIQUE.exec(name);
    if (technique) {
      techniqueIds.push(`T${technique[1]}${technique[2] ? `.${technique[2]}` : ''}`);
      if (!table.techniques.has(techniqueIds[techniqueIds.length - 1]!)) unknown.push(tag);
      continue;
    }
    if (OTHER_OBJECT.test(name)) continue;
    const tactic = TACTIC_ID.test(name) ? table.tactics.get(name.toUpperCase()) : table.tacticsByShortname.get(name.replace(/_/g, '-'));
    if (tactic) tactics.push(tactic);
    else unknown.push(tag);
  }
  return { coverage: buildCoverage(unique(tactics), unique(techniqueIds), table), unknown };
}

/** Panther `Reports: MITRE ATT&CK: ["TA0006:T1098.001"]` entries. */
export function coverageFromTacticTechniquePairs(entries: string[], table: AttackTable): CoverageResult {
  const tactics: AttackTactic[] = [];
  const techniqueIds: string[] = [];
  const unknown: string[] = [];
  for (const entry of entries) {
    const [tacticPart, techniquePart] = entry.split(':').map((s) => s.trim());
    const tactic = tacticPart ? table.tactics.get(tacticPart.toUpperCase()) : undefined;
    if (tactic) tactics.push(tactic);
    else if (tacticPart) unknown.push(entry);
    if (techniquePart) {
      const m = TECHNIQUE.exec(techniquePart);
      if (m) {
        const id = `T${m[1]}${m[2] ? `.${m[2]}` : ''}`;
        techniqueIds.push(id);
        if (!table.techniques.has(id)) unknown.push(entry);
      } else unknown.push(entry);
    }
  }
  return { coverage: buildCoverage(unique(tactics), unique(techniqueIds), table), unknown: unique(unknown) };
}

function buildCoverage(tactics: AttackTactic[], techniqueIds: string[], table: AttackTable): AttackCoverage {
  const techniques: AttackTechnique[] = techniqueIds.map((id) => {
    const known = table.techniques.get(id);
    const own = known?.tactics ?? [];
    const shared = tactics.filter((t) => own.includes(t.shortname)).map((t) => t.id);
    const listed = shared.length > 0 ? shared : own.flatMap((s) => table.tacticsByShortname.get(s)?.id ?? []);
    const technique: AttackTechnique = { id, tactics: listed.length > 0 ? listed : tactics.map((t) => t.id) };
    if (known) technique.name = known.name;
    return technique;
  });
  // A technique implies its tactics even when the rule names none of them.
  const implied = techniques.flatMap((t) => t.tactics).flatMap((id) => table.tactics.get(id) ?? []);
  return { tactics: unique([...tactics, ...implied]), techniques };
}

function unique<T>(items: T[]): T[] {
  return [...new Set(items)];
}

// Sysmon's `Hashes` holds every digest of a file in one text (`MD5=…,SHA256=…,IMPHASH=…`);
// other schemas keep one field per algorithm. A test for `ALGORITHM=digest` becomes a test of
// that algorithm's field: equality for a whole digest, a prefix test for a partial one.

import { and, or, type Condition, type MatchNode } from '../ast/condition.js';
import type { FieldResolver } from './apply.js';

const DIGEST = /^([A-Za-z0-9]+)=([0-9A-Fa-f]+)$/;
/** Hex digits of a whole digest, per algorithm. */
const LENGTH: Record<string, number> = { MD5: 32, SHA1: 40, SHA256: 64, IMPHASH: 32 };

export function mapDigests(node: MatchNode, fields: Record<string, string | null>, resolver: FieldResolver): Condition {
  const parts = node.values.map((value): Condition => {
    const kept: MatchNode = { ...node, values: [value] };
    const m = (node.op === 'contains' || node.op === 'eq') && typeof value === 'string' ? DIGEST.exec(value) : null;
    if (!m) {
      resolver.unmapped(node.field, `only \`contains\` or equality tests of ALGORITHM=digest values map to the digest fields`, node.span);
      return kept;
    }
    const algorithm = m[1]!.toUpperCase();
    const digest = m[2]!;
    const field = fields[algorithm];
    if (!field) {
      resolver.unmapped(node.field, `no field holds ${algorithm} digests`, node.span);
      return kept;
    }
    const whole = digest.length === LENGTH[algorithm];
    const test: MatchNode = { kind: 'match', field, op: whole ? 'eq' : 'startswith', values: [digest], quantifier: 'any', cased: false };
    if (node.span) test.span = node.span;
    return test;
  });
  if (parts.length === 1) return parts[0]!;
  return node.quantifier === 'all' ? and(parts, node.span) : or(parts, node.span);
}

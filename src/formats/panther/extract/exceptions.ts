// The exceptions the extractor knows a call raises, and which except clauses catch them.

import { at, nodes, type PyNode } from './syntax.js';

/** The exceptions known calls raise: ip_address's and json.loads's ValueError, json.loads's TypeError of a non-text. */
export type RaisedError = 'ValueError' | 'JSONDecodeError' | 'TypeError';

/** The classes an except clause for each raised error may name (its bases included). */
const CAUGHT_BY: Record<RaisedError, string[]> = {
  ValueError: ['ValueError', 'Exception', 'BaseException'],
  JSONDecodeError: ['JSONDecodeError', 'ValueError', 'Exception', 'BaseException'],
  TypeError: ['TypeError', 'Exception', 'BaseException'],
};

/** Whether an except clause (bare, a class, `json.JSONDecodeError`, or a tuple of them) catches the error. */
export function catches(type: PyNode | undefined, error: RaisedError): boolean {
  if (!type) return true;
  const names = type.type === 'Tuple' ? nodes(type, 'elts') : [type];
  const nameOfClass = (n: PyNode) => (n.type === 'Name' ? at<string>(n, 'id') : n.type === 'Attribute' ? at<string>(n, 'attr') : undefined);
  return names.some((n) => CAUGHT_BY[error].includes(nameOfClass(n) ?? ''));
}

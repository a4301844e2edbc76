// Finding a field's values in an event.
//
// - A field name is first looked up as a key of the event as written (`Image`, `sc-status`,
//   `Event.System.Provider_Name` stored flat). If there is no such key, dots are read as a path
//   into nested objects, trying the longest keys first (`a.b.c` finds {"a.b": {"c": 1}}).
// - Arrays along the way, and at the end, stand for each of their elements: a field has a
//   list of candidate values and a test holds when it holds for one of them.
// - A field that is absent yields no candidates (`found: false`); a field that is present
//   with a null value yields [null].
// - Key lookup is exact by default (Sigma); `caseInsensitiveKeys` matches keys ignoring case
//   (Panther's event lookups).

export interface Lookup {
  found: boolean;
  values: unknown[];
}

export interface LookupOptions {
  caseInsensitiveKeys?: boolean;
}

const NOT_FOUND: Lookup = { found: false, values: [] };

export function lookupField(event: unknown, field: string, options: LookupOptions = {}): Lookup {
  const values: unknown[] = [];
  const found = collect(event, field, options, values, pushFlat);
  return found ? { found, values } : NOT_FOUND;
}

/** The elements of an array field (a single value counts as one element), for `elements` nodes. */
export function lookupElements(event: unknown, field: string, options: LookupOptions = {}): Lookup {
  const values: unknown[] = [];
  const found = collect(event, field, options, values, (value, out) => {
    if (Array.isArray(value)) out.push(...value);
    else out.push(value);
  });
  return found ? { found, values } : NOT_FOUND;
}

type Emit = (value: unknown, out: unknown[]) => void;

function collect(node: unknown, path: string, options: LookupOptions, out: unknown[], emit: Emit): boolean {
  if (Array.isArray(node)) {
    let any = false;
    for (const element of node) if (collect(element, path, options, out, emit)) any = true;
    return any;
  }
  if (node === null || typeof node !== 'object') return false;
  const object = node as Record<string, unknown>;
  const direct = ownKey(object, path, options);
  if (direct !== undefined) {
    emit(object[direct], out);
    return true;
  }
  // Longest prefix first, so that a key containing dots wins over a nested path.
  for (let i = path.lastIndexOf('.'); i > 0; i = path.lastIndexOf('.', i - 1)) {
    const key = ownKey(object, path.slice(0, i), options);
    if (key !== undefined && collect(object[key], path.slice(i + 1), options, out, emit)) return true;
  }
  return false;
}

function pushFlat(value: unknown, out: unknown[]): void {
  if (Array.isArray(value)) for (const v of value) pushFlat(v, out);
  else out.push(value);
}

function ownKey(object: Record<string, unknown>, key: string, options: LookupOptions): string | undefined {
  if (Object.hasOwn(object, key)) return key;
  if (!options.caseInsensitiveKeys) return undefined;
  const lower = key.toLowerCase();
  for (const k of Object.keys(object)) if (k.toLowerCase() === lower) return k;
  return undefined;
}

/** Every scalar value anywhere in the event (keyword search). */
export function allValues(event: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(event)) for (const v of event) allValues(v, out);
  else if (event !== null && typeof event === 'object') for (const v of Object.values(event)) allValues(v, out);
  else if (event !== null && event !== undefined) out.push(event);
  return out;
}

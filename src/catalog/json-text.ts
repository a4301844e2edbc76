// JSON text that is the same bytes for the same value: object keys in code-unit order
// (JSON.stringify keeps insertion order, except that it moves integer-like keys first),
// undefined members left out, a final newline.

export function stableJson(value: unknown, indent = 0): string {
  const out: string[] = [];
  write(value, ' '.repeat(indent), '', out);
  out.push('\n');
  return out.join('');
}

function write(value: unknown, step: string, pad: string, out: string[]): void {
  if (typeof value === 'string' || typeof value === 'boolean') {
    out.push(JSON.stringify(value));
    return;
  }
  if (typeof value === 'number') {
    out.push(Number.isFinite(value) ? String(value) : 'null');
    return;
  }
  if (value === null || typeof value !== 'object') {
    out.push('null');
    return;
  }
  const inner = pad + step;
  const newline = step ? `\n${inner}` : '';
  const close = step ? `\n${pad}` : '';
  if (Array.isArray(value)) {
    if (value.length === 0) {
      out.push('[]');
      return;
    }
    out.push('[');
    value.forEach((item, i) => {
      out.push(i === 0 ? newline : `,${newline}`);
      write(item, step, inner, out);
    });
    out.push(`${close}]`);
    return;
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record)
    .filter((k) => record[k] !== undefined)
    .sort();
  if (keys.length === 0) {
    out.push('{}');
    return;
  }
  out.push('{');
  keys.forEach((key, i) => {
    out.push(i === 0 ? newline : `,${newline}`, JSON.stringify(key), step ? ': ' : ':');
    write(record[key], step, inner, out);
  });
  out.push(`${close}}`);
}

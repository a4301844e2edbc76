// Plain data as YAML text, for the YAML documents backends write (Sentinel analytics rules).
// A handful of shapes, printed directly: the `yaml` package's general printer costs more than
// the whole conversion of a rule. Strings are plain where nothing can misread them, literal
// blocks when multi-line, and JSON-quoted (a subset of YAML's double quotes) otherwise.

export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

export function yamlText(value: { [key: string]: YamlValue }): string {
  return `${mapLines(value, '').join('\n')}\n`;
}

function mapLines(map: { [key: string]: YamlValue }, indent: string): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(map)) {
    const k = `${indent}${scalar(key)}:`;
    if (Array.isArray(value)) {
      if (value.length === 0) lines.push(`${k} []`);
      else lines.push(k, ...listLines(value, `${indent}  `));
    } else if (value !== null && typeof value === 'object') {
      if (Object.keys(value).length === 0) lines.push(`${k} {}`);
      else lines.push(k, ...mapLines(value, `${indent}  `));
    } else if (typeof value === 'string' && isBlock(value)) {
      lines.push(`${k} |-`, ...value.split('\n').map((l) => (l === '' ? '' : `${indent}  ${l}`)));
    } else lines.push(`${k} ${scalar(value)}`);
  }
  return lines;
}

function listLines(list: YamlValue[], indent: string): string[] {
  const lines: string[] = [];
  for (const item of list) {
    if (Array.isArray(item) || (item !== null && typeof item === 'object')) {
      // An item's first line shares the dash; the rest keep the item's indentation.
      const inner = Array.isArray(item) ? listLines(item, `${indent}  `) : mapLines(item, `${indent}  `);
      if (inner.length === 0) lines.push(`${indent}- ${Array.isArray(item) ? '[]' : '{}'}`);
      else lines.push(`${indent}- ${inner[0]!.slice(indent.length + 2)}`, ...inner.slice(1));
    } else if (typeof item === 'string' && isBlock(item)) {
      lines.push(`${indent}- |-`, ...item.split('\n').map((l) => (l === '' ? '' : `${indent}  ${l}`)));
    } else lines.push(`${indent}- ${scalar(item)}`);
  }
  return lines;
}

/**
 * Multi-line text that a literal block holds exactly: printable; the first and last lines
 * start and end it with a visible character (indentation is read off the first line, and
 * trailing blank lines are chomped); no line is blanks only.
 */
function isBlock(text: string): boolean {
  if (!text.includes('\n') || /[\x00-\x08\x0b-\x1f\x7f\u0085\u2028\u2029\ufeff]/.test(text)) return false;
  const lines = text.split('\n');
  return /^\S/.test(lines[0]!) && /\S$/.test(lines[lines.length - 1]!) && lines.every((l) => l === '' || /\S/.test(l));
}

const PLAIN = /^[A-Za-z_][A-Za-z0-9_ .\/()-]*$/;
const RESERVED = /^(?:true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(value: string | number | boolean | null): string {
  if (value === null) return 'null';
  if (typeof value !== 'string') return String(value);
  return PLAIN.test(value) && !RESERVED.test(value) && !/ $|  |: | #/.test(value) ? value : JSON.stringify(value);
}

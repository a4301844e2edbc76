// File names for `convert --out`: each rule's file keeps its place under the input folder it
// was found in (the folder's own name in front when several inputs were given), with the
// target format's extension; the second and later documents of a file get `.N` before it.

import { basename, relative, resolve, sep } from 'node:path';

export interface OutputItem {
  path: string;
  document: number;
}

export function outputPaths(items: readonly OutputItem[], inputs: readonly string[], extension: string): string[] {
  const roots = inputs.map((i) => resolve(i));
  const used = new Set<string>();
  return items.map((item) => {
    const file = resolve(item.path);
    let name = basename(file);
    let best = -1;
    roots.forEach((root, k) => {
      const inside = file.startsWith(root + sep) && (best < 0 || root.length > roots[best]!.length);
      if (inside) best = k;
    });
    if (best >= 0) {
      name = relative(roots[best]!, file);
      if (roots.length > 1) name = `${basename(roots[best]!)}/${name}`;
    }
    const stem = name.replace(/\.ya?ml$/i, '') + (item.document > 0 ? `.${item.document}` : '');
    let candidate = `${stem}.${extension}`;
    for (let n = 2; used.has(candidate); n++) candidate = `${stem}-${n}.${extension}`;
    used.add(candidate);
    return candidate.split(sep).join('/');
  });
}

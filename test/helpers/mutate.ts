/** Applies (position, characters to remove, text to insert) edits to a text, one after the other. */
export function mutate(text: string, edits: Array<[number, number, string]>): string {
  for (const [at, remove, insert] of edits) {
    const i = at % (text.length + 1);
    text = text.slice(0, i) + insert + text.slice(i + remove);
  }
  return text;
}

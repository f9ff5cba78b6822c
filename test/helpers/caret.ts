/**
 * A document with the cursor marked by one `^` (or another marker): the text without the marker
 * and the marker's offset.
 */
export function caret(marked: string, marker = '^'): { text: string; offset: number } {
  const offset = marked.indexOf(marker);
  if (offset < 0 || marked.indexOf(marker, offset + 1) >= 0) throw new Error(`mark the cursor with exactly one '${marker}'`);
  return { text: marked.slice(0, offset) + marked.slice(offset + marker.length), offset };
}

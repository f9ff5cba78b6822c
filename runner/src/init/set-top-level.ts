import { isMap, isScalar, parseDocument } from 'yaml';

/** The text with the scalar value of a top-level key replaced; every other byte stays. */
export function setTopLevel(text: string, key: string, value: string): string {
  const doc = parseDocument(text);
  const node = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  if (!isScalar(node) || !node.range) throw new Error(`no top-level '${key}' to set`);
  return text.slice(0, node.range[0]) + value + text.slice(node.range[1]);
}

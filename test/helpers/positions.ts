import type { Position } from './lsp-client.js';

/** The protocol's position (0-based line and character) of an offset. */
export function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The position `delta` characters into the first `find` of `text`. */
export function pos(text: string, find: string, delta = 0): Position {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`no '${find}'`);
  return positionAt(text, at + delta);
}

/** The offset of a position. */
export function offsetOf(text: string, p: Position): number {
  const lines = text.split('\n');
  return lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
}

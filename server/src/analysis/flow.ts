import type { PathSeg } from './types.js';

/** Where a column falls inside a flow collection (`{ a: 1, b: [x, y] }`) written on one line. */
export interface FlowAt {
  /** Keys and indices from the collection to the key or item at the column. */
  path: PathSeg[];
  on: 'key' | 'value';
  /** Columns of the scalar at the column (quotes excluded), or an empty range at the column. */
  token: { text: string; start: number; end: number };
  /** Keys of the mapping that holds the column. */
  siblings: string[];
}

interface Frame {
  kind: 'map' | 'seq';
  path: PathSeg[];
  keys: string[];
  phase: 'key' | 'value';
  key: string;
  index: number;
}

interface Token {
  text: string;
  start: number;
  end: number;
  on: 'key' | 'value';
  path: PathSeg[];
  frame: Frame;
}

const STOP = new Set([',', '}', ']', '{', '[']);

/**
 * Scans the line from the opening bracket at `from`; undefined when `col` is not inside the
 * collection as far as the line goes.
 */
export function flowAt(line: string, from: number, col: number): FlowAt | undefined {
  const stack: Frame[] = [];
  const tokens: Token[] = [];
  let atCol: { frame: Frame; phase: 'key' | 'value'; key: string; index: number } | undefined;
  const open = (c: string, path: PathSeg[]) => stack.push({ kind: c === '{' ? 'map' : 'seq', path, keys: [], phase: 'key', key: '', index: 0 });
  const slot = (f: Frame): PathSeg[] => (f.kind === 'map' ? [...f.path, f.key] : [...f.path, f.index]);
  const snapshot = (i: number) => {
    if (atCol || i < col || !stack.length) return;
    const f = stack[stack.length - 1];
    atCol = { frame: f, phase: f.phase, key: f.key, index: f.index };
  };
  let i = from;
  while (i < line.length && (stack.length || i === from)) {
    const c = line[i];
    const top = stack[stack.length - 1];
    if (c === '{' || c === '[') {
      snapshot(i);
      open(c, top ? slot(top) : []);
      i++;
      continue;
    }
    if (!top) return undefined;
    if (c === ' ' || c === '\t') {
      i++;
      continue;
    }
    snapshot(i);
    if (c === '}' || c === ']') {
      stack.pop();
      i++;
      continue;
    }
    if (c === ',') {
      if (top.kind === 'map') {
        top.phase = 'key';
        top.key = '';
      } else top.index++;
      i++;
      continue;
    }
    if (c === ':' && top.kind === 'map' && top.phase === 'key') {
      top.phase = 'value';
      i++;
      continue;
    }
    if (c === '#' && line[i - 1] === ' ') break;
    // A scalar: quoted, or plain up to the next indicator.
    let start = i;
    let end: number;
    let textOf: string;
    if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < line.length && line[j] !== c) j += line[j] === '\\' && c === '"' ? 2 : 1;
      start = i + 1;
      end = Math.min(j, line.length);
      textOf = line.slice(start, end);
      i = j + 1;
    } else {
      let j = i;
      while (j < line.length && !STOP.has(line[j]) && !(line[j] === ':' && /[\s,}\]]/.test(line[j + 1] ?? ' ')) && !(line[j] === '#' && line[j - 1] === ' ')) j++;
      end = j;
      while (end > start && line[end - 1] === ' ') end--;
      textOf = line.slice(start, end);
      i = j;
    }
    const on = top.kind === 'map' && top.phase === 'key' ? 'key' : 'value';
    if (on === 'key') {
      top.key = textOf;
      top.keys.push(textOf);
    }
    tokens.push({ text: textOf, start, end, on, path: slot(top), frame: top });
  }
  snapshot(Math.max(i, col));
  const hit = tokens.find((t) => t.start <= col && col <= t.end);
  if (hit) return { path: hit.path, on: hit.on, token: { text: hit.text, start: hit.start, end: hit.end }, siblings: hit.frame.keys };
  if (!atCol) return undefined;
  const f = atCol.frame;
  const on = f.kind === 'map' && atCol.phase === 'key' ? 'key' : 'value';
  const path = f.kind === 'map' ? [...f.path, on === 'key' ? '' : atCol.key] : [...f.path, atCol.index];
  return { path, on, token: { text: '', start: col, end: col }, siblings: f.keys };
}

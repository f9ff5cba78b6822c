import { flowAt } from './flow.js';
import { isBlockScalarHead, lineInfo, lineStartAt, nextLine, previousLine, type LineInfo } from './lines.js';
import type { PathSeg, Span } from './types.js';

/**
 * Where an offset is in a runbook: the keys and list indices leading to it, and whether it is on a
 * key or a value. The one primitive behind completion and hover.
 *
 * It reads the block structure from the lines' indentation (and flow collections on the line), so
 * it works on text that does not parse while the user types: `- name: x` then `nfs_` on the next line.
 */
export interface Location {
  /** ['plays', 0, 'tasks', 2, 'nfs_export', 'path']: the key (or list index) at the offset comes last. */
  path: PathSeg[];
  on: 'key' | 'value';
  /** The key or scalar at the offset (quotes excluded); empty at a blank place. */
  token: { text: string; span: Span };
  /** The token's text up to the offset. */
  prefix: string;
  /** Keys of the mapping that holds the offset (on a value: the mapping of its key). */
  siblings: string[];
  /** Column of that mapping's keys: the indentation of text inserted there. */
  column: number;
  /** Inside a flow collection (`{ }`, `[ ]`). */
  flow: boolean;
  /** A bare word on a list item line (`- nfs`): a key of a new mapping, or a scalar item. */
  bare?: boolean;
  /** `- ` with nothing after it yet. */
  newItem?: boolean;
  /** Inside a block scalar or a continued value: only `{{ }}` has structure. */
  inScalar?: boolean;
  /** Inside `{{ }}`: the expression's text range (without the braces). */
  expr?: Span;
}

interface Frame {
  kind: 'map' | 'seq';
  col: number;
  path: PathSeg[];
  keys: string[];
  lastKey: string;
  index: number;
}

/** Block collections open at a line, outermost first, from a forward pass over the lines above it. */
class Skeleton {
  readonly stack: Frame[];
  /** Lines indented more than this belong to the value of the last key (block scalar, continued scalar). */
  scalarAbove = -1;
  scalarKey?: { frame: Frame; key: string };

  constructor(root: Frame[]) {
    this.stack = root;
  }

  get top(): Frame {
    return this.stack[this.stack.length - 1];
  }

  private childPath(): PathSeg[] {
    const t = this.top;
    return t.kind === 'seq' ? [...t.path, t.index] : [...t.path, t.lastKey];
  }

  item(col: number): Frame {
    while (this.stack.length > 1 && (this.top.col > col || (this.top.col === col && this.top.kind === 'map' && this.top.lastKey === ''))) this.stack.pop();
    if (this.top.kind === 'seq' && this.top.col === col) this.top.index++;
    else this.stack.push({ kind: 'seq', col, path: this.childPath(), keys: [], lastKey: '', index: 0 });
    return this.top;
  }

  key(col: number, key: string): Frame {
    this.popTo(col);
    if (this.top.kind === 'map' && this.top.col === col) {
      this.top.keys.push(key);
      this.top.lastKey = key;
    } else this.stack.push({ kind: 'map', col, path: this.childPath(), keys: [key], lastKey: key, index: 0 });
    return this.top;
  }

  /** The mapping whose keys would be at `col`, opening it when the line starts it. */
  mapAt(col: number): Frame {
    this.popTo(col);
    if (this.top.kind === 'map' && this.top.col === col) return this.top;
    this.stack.push({ kind: 'map', col, path: this.childPath(), keys: [], lastKey: '', index: 0 });
    return this.top;
  }

  private popTo(col: number): void {
    while (this.stack.length > 1 && (this.top.col > col || (this.top.col === col && this.top.kind === 'seq'))) this.stack.pop();
  }

  /** Reads one line that is above the offset's line (or below it, to collect sibling keys). */
  line(li: LineInfo): void {
    if (li.blank) return;
    const indent = li.dashes[0] ?? li.col;
    if (this.scalarAbove >= 0) {
      if (indent > this.scalarAbove) return;
      this.scalarAbove = -1;
      this.scalarKey = undefined;
    }
    for (const d of li.dashes) this.item(d);
    if (li.key !== undefined) {
      const f = this.key(li.col, li.key);
      if (li.value !== '' && !/^[[{]/.test(li.value) && !/^&\S+$/.test(li.value)) {
        this.scalarAbove = li.col;
        this.scalarKey = { frame: f, key: li.key };
      } else if (/^[[{]/.test(li.value) && !balanced(li.value)) {
        this.scalarAbove = li.col;
        this.scalarKey = { frame: f, key: li.key };
      }
    } else if (li.dashes.length && li.value !== '') {
      this.scalarAbove = li.dashes[li.dashes.length - 1];
    }
  }
}

/** Whether a flow collection written on a line is closed on it. */
function balanced(s: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\' && quote === '"') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
  }
  return depth <= 0 && !quote;
}

const rootFrame = (): Frame => ({ kind: 'map', col: 0, path: [], keys: [], lastKey: '', index: 0 });

/** Where to start the forward pass: the top-level entry holding the line, or the play holding it. */
function startOf(text: string, ls: number): { at: number; stack: Frame[] } {
  let top = ls;
  for (let p: number | undefined = ls; p !== undefined; p = previousLine(text, p)) {
    const c = text[p];
    if (c !== undefined && c !== ' ' && c !== '\t' && c !== '#' && c !== '\n' && c !== '\r' && c !== '-') {
      top = p;
      break;
    }
    if (p === 0) top = 0;
  }
  const root = rootFrame();
  if (!text.startsWith('plays:', top) || top === ls) return { at: top, stack: [root] };
  // Inside `plays:`: start at the play holding the line, its index counted from the item markers.
  let first = nextLine(text, top);
  while (first !== undefined && first < ls && lineInfo(text, first).blank) first = nextLine(text, first);
  if (first === undefined || first > ls) return { at: top, stack: [root] };
  const fi = lineInfo(text, first);
  if (!fi.dashes.length || fi.dashes[0] !== (fi.text.length - fi.text.trimStart().length)) return { at: top, stack: [root] };
  const s = fi.dashes[0];
  // Item markers of `plays:` up to the line: the last one starts the play, their count gives its index.
  const marker = `\n${' '.repeat(s)}-`;
  let play = first;
  let index = -1;
  for (let i = text.indexOf(marker, first - 1); i >= 0 && i + 1 <= ls; i = text.indexOf(marker, i + 1)) {
    const after = text[i + marker.length];
    if (after === ' ' || after === '\n' || after === '\r' || after === undefined) {
      play = i + 1;
      index++;
    }
  }
  root.keys = ['plays'];
  root.lastKey = 'plays';
  const seq: Frame = { kind: 'seq', col: s, path: ['plays'], keys: [], lastKey: '', index: index - 1 };
  return { at: play, stack: [root, seq] };
}

function tokenOf(li: LineInfo): { text: string; start: number; end: number } {
  const v = li.value;
  const at = li.valueCol;
  if (v.startsWith('"') || v.startsWith("'")) {
    const close = v.indexOf(v[0], 1);
    const end = close < 0 ? v.length : close;
    return { text: v.slice(1, end), start: at + 1, end: at + end };
  }
  return { text: v, start: at, end: at + v.length };
}

function exprAround(ls: number, li: LineInfo, col: number): Span | undefined {
  const before = li.text.slice(0, col);
  const open = before.lastIndexOf('{{');
  if (open < 0 || before.indexOf('}}', open + 2) >= 0) return undefined;
  const close = li.text.indexOf('}}', col);
  return { start: ls + open + 2, end: ls + (close < 0 ? li.text.length : close) };
}

export function locate(text: string, offset: number): Location {
  offset = Math.max(0, Math.min(offset, text.length));
  const ls = lineStartAt(text, offset);
  const li = lineInfo(text, ls);
  const col = offset - ls;
  const start = startOf(text, ls);
  const sk = new Skeleton(start.stack);
  for (let p: number | undefined = start.at; p !== undefined && p < ls; p = nextLine(text, p)) sk.line(lineInfo(text, p));
  const expr = exprAround(ls, li, col);
  const at = (s: number, e: number): Span => ({ start: ls + s, end: ls + e });
  const result = (l: Omit<Location, 'prefix' | 'expr'>): Location => {
    const prefix = text.slice(l.token.span.start, Math.max(l.token.span.start, Math.min(offset, l.token.span.end)));
    return { ...l, prefix, ...(expr ? { expr } : {}) };
  };

  const indent = li.dashes[0] ?? li.col;
  // A line that continues the value of a key above it.
  if (sk.scalarAbove >= 0 && !li.blank && indent > sk.scalarAbove && sk.scalarKey) {
    const { frame, key } = sk.scalarKey;
    const word = wordAt(li.text, col);
    return result({ path: [...frame.path, key], on: 'value', token: { text: word.text, span: at(word.start, word.end) }, siblings: frame.keys, column: frame.col, flow: false, inScalar: true });
  }
  sk.scalarAbove = -1;

  const dashes = li.dashes.filter((d) => d < col);
  for (const d of dashes) sk.item(d);
  const contentCol = dashes.length === li.dashes.length ? li.col : li.dashes[dashes.length];

  if (li.key !== undefined && dashes.length === li.dashes.length && col >= li.col) {
    const map = sk.key(li.col, li.key);
    map.keys.pop();
    const keyEnd = li.col + rawKeyLength(li);
    const siblings = map.col === 0 && map.path.length === 0 ? topKeys(text).filter((k, i, all) => k !== li.key || all.indexOf(k) !== i) : collectSiblings(text, ls, map);
    if (col <= keyEnd) {
      return result({ path: [...map.path, li.key], on: 'key', token: { text: li.key, span: at(li.col, keyEnd) }, siblings, column: map.col, flow: false });
    }
    if (/^[[{]/.test(li.value) && col > li.valueCol) {
      const f = flowAt(li.text, li.valueCol, col);
      if (f) return result({ path: [...map.path, li.key, ...f.path], on: f.on, token: { text: f.token.text, span: at(f.token.start, f.token.end) }, siblings: f.on === 'key' || typeof f.path[f.path.length - 1] === 'string' ? f.siblings : [], column: map.col, flow: true });
    }
    if (isBlockScalarHead(li.value)) {
      return result({ path: [...map.path, li.key], on: 'value', token: { text: '', span: at(col, col) }, siblings, column: map.col, flow: false, inScalar: true });
    }
    const t = li.value === '' ? { text: '', start: Math.max(col, li.valueCol), end: Math.max(col, li.valueCol) } : tokenOf(li);
    return result({ path: [...map.path, li.key], on: 'value', token: { text: t.text, span: at(t.start, t.end) }, siblings, column: map.col, flow: false });
  }

  // No key before the offset on this line: a flow collection, a bare word, or nothing yet.
  const rest = li.text.slice(contentCol).trimEnd();
  if (/^[[{]/.test(rest) && col > contentCol) {
    const base = dashes.length ? [...sk.top.path, sk.top.index] : [...sk.top.path, sk.top.lastKey];
    const f = flowAt(li.text, contentCol, col);
    if (f) return result({ path: [...base, ...f.path], on: f.on, token: { text: f.token.text, span: at(f.token.start, f.token.end) }, siblings: f.siblings, column: contentCol, flow: true });
  }
  const keyCol = rest === '' ? (dashes.length ? dashes[dashes.length - 1] + 2 : col) : contentCol;
  const map = sk.mapAt(keyCol);
  const siblings = map.col === 0 && map.path.length === 0 ? topKeys(text) : collectSiblings(text, ls, map);
  const word = rest === '' ? { text: '', start: col, end: col } : wordAt(li.text, Math.max(col, contentCol));
  const newItem = dashes.length > 0 && rest === '';
  return result({
    path: [...map.path, word.text],
    on: 'key',
    token: { text: word.text, span: at(word.start, word.end) },
    siblings,
    column: keyCol,
    flow: false,
    ...(dashes.length && map.keys.length === 0 ? { bare: true } : {}),
    ...(newItem ? { newItem } : {}),
  });
}

function rawKeyLength(li: LineInfo): number {
  const c = li.text[li.col];
  if (c === '"' || c === "'") return li.text.indexOf(c, li.col + 1) - li.col + 1;
  return li.key!.length;
}

/** The run of non-space, non-indicator characters around a column. */
function wordAt(line: string, col: number): { text: string; start: number; end: number } {
  let s = col;
  while (s > 0 && /[^\s,[\]{}"':]/.test(line[s - 1])) s--;
  let e = col;
  while (e < line.length && /[^\s,[\]{}"':]/.test(line[e])) e++;
  return { text: line.slice(s, e), start: s, end: e };
}

/** The top-level keys of the document. */
function topKeys(text: string): string[] {
  return [...text.matchAll(/^([^\s#:\-{[][^:#\n]*?)[ \t]*:(?=[ \t]|\r?$)/gm)].map((m) => m[1]);
}

/** Keys of `map` on the lines after the offset's line, until the mapping ends. */
function collectSiblings(text: string, ls: number, map: Frame): string[] {
  const keys = [...map.keys];
  for (let p = nextLine(text, ls); p !== undefined; p = nextLine(text, p)) {
    const li = lineInfo(text, p);
    if (li.blank) continue;
    const indent = li.dashes[0] ?? li.col;
    if (indent < map.col || (li.dashes.length && li.dashes[0] <= map.col - 2) || (indent === map.col && li.dashes.length)) break;
    if (li.col === map.col && li.key !== undefined && !li.dashes.length) keys.push(li.key);
    if (li.dashes.length && li.dashes[li.dashes.length - 1] + 2 === map.col) break;
  }
  return keys;
}

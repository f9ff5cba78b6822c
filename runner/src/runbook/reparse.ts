import { Document, isCollection, isMap, isPair, isSeq, LineCounter, parseDocument, Pair, YAMLSeq, YAMLMap, type Node } from 'yaml';
import { parseRunbook, withoutStacks, YAML_OPTIONS, type RunbookDoc } from './parse.js';

/**
 * Incremental parsing for the editor. A runbook is split into independent pieces: each top-level
 * entry, and each item of `plays:`. Each piece is parsed on its own and kept; after an edit only
 * the pieces whose text changed are parsed again, and the others are moved to their new offsets.
 *
 * The result must equal a whole-document parse. So the pieces are used only when every one of them
 * parses without an error or a warning; otherwise the whole text is parsed as the CLI does.
 */

interface Piece {
  kind: 'top' | 'head' | 'item';
  text: string;
  /** Offset of the piece in the text its nodes currently describe. */
  base: number;
  /** 'top' and 'head': the entry; 'item': the play. */
  node: Pair | Node;
  /** Range of the mapping ('top', 'head') or sequence ('item') the piece parsed into, relative to the piece. */
  range: [number, number, number];
}

interface Cut {
  kind: Piece['kind'];
  start: number;
  end: number;
}

const pieces = new WeakMap<RunbookDoc, Piece[]>();
const CHUNK_OPTIONS = { ...YAML_OPTIONS, keepSourceTokens: false } as const;

/** Offsets at which each line starts. */
function lineStarts(text: string): number[] {
  const out = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

function isTopKeyLine(text: string, at: number): boolean {
  const c = text[at];
  return c !== undefined && c !== ' ' && c !== '\t' && c !== '#' && c !== '-' && c !== '\n' && c !== '\r';
}

function blankOrComment(line: string): boolean {
  const t = line.trim();
  return t === '' || t.startsWith('#');
}

/** Where the text splits into pieces; undefined when it has a form the pieces cannot stand for. */
function cut(text: string): Cut[] | undefined {
  if (text.charCodeAt(0) === 0xfeff) return undefined;
  if (/^(%|---|\.\.\.)/m.test(text)) return undefined;
  const starts = lineStarts(text);
  const line = (i: number) => text.slice(starts[i], i + 1 < starts.length ? starts[i + 1] - 1 : text.length);
  const tops: number[] = [];
  for (let i = 0; i < starts.length; i++) if (isTopKeyLine(text, starts[i])) tops.push(i);
  if (!tops.length) return undefined;
  const out: Cut[] = [];
  for (let k = 0; k < tops.length; k++) {
    const first = k === 0 ? 0 : tops[k];
    const last = k + 1 < tops.length ? tops[k + 1] : starts.length;
    const start = starts[first];
    const end = last < starts.length ? starts[last] : text.length;
    if (!/^plays:\s*(#.*)?\r?$/.test(line(tops[k]))) {
      out.push({ kind: 'top', start, end });
      continue;
    }
    // `plays:` followed by a block sequence: one piece per play.
    let i = tops[k] + 1;
    while (i < last && blankOrComment(line(i))) i++;
    const m = i < last ? /^( *)-( |\r?$)/.exec(line(i)) : null;
    if (!m) {
      out.push({ kind: 'top', start, end });
      continue;
    }
    const itemStart = new RegExp(`^ {${m[1].length}}-( |\\r?$)`);
    out.push({ kind: 'head', start, end: starts[i] });
    let from = i;
    for (let j = i + 1; j <= last; j++) {
      if (j === last || itemStart.test(line(j))) {
        out.push({ kind: 'item', start: starts[from], end: j < starts.length ? starts[j] : text.length });
        from = j;
      }
    }
  }
  return out;
}

function shift(node: unknown, d: number): void {
  if (!node || typeof node !== 'object') return;
  if (isPair(node)) {
    shift(node.key, d);
    shift(node.value, d);
    return;
  }
  const n = node as Node;
  if (n.range) {
    n.range[0] += d;
    n.range[1] += d;
    n.range[2] += d;
  }
  if (isCollection(n)) for (const item of n.items) shift(item, d);
}

function parsePiece(c: Cut, text: string): Piece | undefined {
  const src = text.slice(c.start, c.end);
  const doc = withoutStacks(() => parseDocument(src, CHUNK_OPTIONS));
  if (doc.errors.length || doc.warnings.length) return undefined;
  const root = doc.contents;
  if (c.kind === 'item') {
    if (!isSeq(root) || root.items.length !== 1 || !root.range) return undefined;
    const node = root.items[0] as Node;
    shift(node, c.start);
    return { kind: c.kind, text: src, base: c.start, node, range: [...root.range] };
  }
  if (!isMap(root) || root.items.length !== 1 || !root.range) return undefined;
  const pair = root.items[0] as Pair;
  shift(pair, c.start);
  return { kind: c.kind, text: src, base: c.start, node: pair, range: [...root.range] };
}

function keyText(p: Pair): string | undefined {
  const k = p.key as { value?: unknown } | null;
  return k && typeof k === 'object' && 'value' in k ? String(k.value) : undefined;
}

/** The document the pieces stand for, or undefined when they cannot stand for it exactly. */
function assemble(text: string, list: Piece[]): Document.Parsed | undefined {
  const root = new YAMLMap();
  const seen = new Set<string>();
  let seq: YAMLSeq | undefined;
  let rootStart = -1;
  let rootEnd: [number, number] = [0, 0];
  for (const p of list) {
    if (p.kind === 'item') {
      if (!seq) return undefined;
      const r: [number, number, number] = [p.range[0] + p.base, p.range[1] + p.base, p.range[2] + p.base];
      if (!seq.items.length) seq.range = r;
      else seq.range = [seq.range![0], r[1], r[2]];
      seq.items.push(p.node as Node);
      rootEnd = [r[1], r[2]];
      continue;
    }
    const pair = p.node as Pair;
    const key = keyText(pair);
    if (key === undefined || seen.has(key)) return undefined;
    seen.add(key);
    if (rootStart < 0) rootStart = p.range[0] + p.base;
    rootEnd = [p.range[1] + p.base, p.range[2] + p.base];
    if (p.kind === 'head') {
      seq = new YAMLSeq();
      pair.value = seq;
    } else seq = undefined;
    root.items.push(pair);
  }
  root.range = [rootStart, rootEnd[0], rootEnd[1]];
  const doc = new Document(undefined, CHUNK_OPTIONS) as Document.Parsed;
  doc.contents = root as Document.Parsed['contents'];
  doc.range = [0, text.length, text.length];
  return doc;
}

/**
 * Parses `text`, reusing the pieces of `previous` (the same document before an edit).
 * `previous` hands its nodes over: do not use it afterwards.
 */
export function reparse(text: string, previous?: RunbookDoc): RunbookDoc {
  const cuts = cut(text);
  if (!cuts) return parseRunbook(text);
  const spare = new Map<string, Piece[]>();
  for (const p of (previous && pieces.get(previous)) ?? []) {
    const k = `${p.kind}|${p.text}`;
    const list = spare.get(k);
    if (list) list.push(p);
    else spare.set(k, [p]);
  }
  const list: Piece[] = [];
  let whole = true;
  for (const c of cuts) {
    const src = text.slice(c.start, c.end);
    const reused = spare.get(`${c.kind}|${src}`)?.shift();
    if (reused) {
      // A head's value is the sequence of the last assembly: its plays are pieces of their own.
      if (reused.kind === 'head') (reused.node as Pair).value = null;
      if (reused.base !== c.start) {
        shift(reused.node, c.start - reused.base);
        reused.base = c.start;
      }
      list.push(reused);
      continue;
    }
    const parsed = parsePiece(c, text);
    if (parsed) list.push(parsed);
    else whole = false;
  }
  const yaml = whole ? assemble(text, list) : undefined;
  let doc: RunbookDoc;
  if (yaml) {
    const lines = new LineCounter();
    for (const s of lineStarts(text)) lines.addNewLine(s);
    doc = { text, yaml, lines, syntax: [] };
  } else {
    // Not cached by text: its pieces stay with it for the next edit.
    doc = { ...parseRunbook(text) };
  }
  pieces.set(doc, list);
  return doc;
}

import { isMap, isPair, isScalar, isSeq, parseDocument, type Node, type Pair } from 'yaml';

/** A literal rename inside a copied entry; matched only where no letter, digit or _ touches it. */
export type Rename = readonly [from: string, to: string];

/**
 * Entries that exist once per broker: the innermost list entry, or mapping entry whose key
 * mentions `token`, that mentions it while none of its siblings does (the second server of a
 * backend, `broker2: ...` next to `broker1: ...`). Each `copies` item is one more entry, renamed.
 */
export interface Repeat {
  token: string;
  copies: Rename[][];
}

interface Entry {
  start: number;
  end: number;
  flow: boolean;
  seqItem: boolean;
}

const word = (literal: string, flags = '') => new RegExp(`(?<![\\w])${literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w])`, flags);

/** A list entry, or a mapping entry named after the token: the things that can be per broker. */
function candidate(item: unknown, text: string, token: RegExp): boolean {
  if (!isPair(item)) return true;
  const key = (item.key as Node | null)?.range;
  return !!key && token.test(text.slice(key[0], key[1]));
}

function span(item: unknown): [number, number] | null {
  if (isPair(item)) {
    const start = (item.key as Node | null)?.range?.[0];
    const end = ((item.value as Node | null) ?? (item.key as Node | null))?.range?.[1];
    return start === undefined || end === undefined ? null : [start, end];
  }
  const r = (item as Node | null)?.range;
  return r ? [r[0], r[1]] : null;
}

/** Collects the entries to repeat under `node`; true when any was found there. */
function collect(node: unknown, text: string, token: RegExp, out: Entry[]): boolean {
  if (!isMap(node) && !isSeq(node)) return false;
  const items = node.items as unknown[];
  const spans = items.map(span);
  const mentions = spans.map((s) => s !== null && token.test(text.slice(s[0], s[1])));
  const alone = mentions.filter(Boolean).length === 1;
  let found = false;
  items.forEach((item, i) => {
    const deeper = collect(isPair(item) ? (item as Pair).value : item, text, token, out);
    const repeated = !deeper && alone && mentions[i] && candidate(item, text, token);
    if (repeated) out.push({ start: spans[i]![0], end: spans[i]![1], flow: Boolean(node.flow), seqItem: isSeq(node) });
    found ||= deeper || repeated;
  });
  return found;
}

function renamed(text: string, renames: Rename[]): string {
  return renames.reduce((t, [from, to]) => t.replace(word(from, 'g'), to), text);
}

/** The text with each repeated entry followed by its copies; everything else stays byte for byte. */
export function repeatEntries(text: string, repeat: Repeat): string {
  if (!repeat.copies.length) return text;
  const entries: Entry[] = [];
  collect(parseDocument(text).contents, text, word(repeat.token), entries);
  let result = text;
  for (const e of entries.sort((a, b) => b.start - a.start)) {
    const body = text.slice(e.start, e.end).trimEnd();
    const end = e.start + body.length;
    if (e.flow) {
      const copies = repeat.copies.map((r) => `, ${renamed(body, r)}`).join('');
      result = result.slice(0, end) + copies + result.slice(end);
      continue;
    }
    // A block entry is copied as whole lines, with its own indentation; a trailing comment stays put.
    const lineStart = text.lastIndexOf('\n', e.start - 1) + 1;
    const prefix = text.slice(lineStart, e.start);
    const lead = e.seqItem ? prefix.replace(/[^\s-]/g, ' ').replace(/-(?=.*-)/g, ' ') : prefix.replace(/\S/g, ' ');
    const lineEnd = text.indexOf('\n', end) === -1 ? text.length : text.indexOf('\n', end);
    const copies = repeat.copies.map((r) => `\n${lead}${renamed(body, r)}`).join('');
    result = result.slice(0, lineEnd) + copies + result.slice(lineEnd);
  }
  return result;
}

/** The text with the value of a top-level scalar key replaced (it must be there). */
export function setTopLevel(text: string, key: string, value: string): string {
  const doc = parseDocument(text);
  const node = isMap(doc.contents) ? doc.contents.get(key, true) : undefined;
  if (!isScalar(node) || !node.range) throw new Error(`no top-level '${key}' to set`);
  return text.slice(0, node.range[0]) + value + text.slice(node.range[1]);
}

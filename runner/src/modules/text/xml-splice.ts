import { parseXml, XmlElement, XmlError, type XmlDocument } from '@rgrove/parse-xml';

/**
 * Editing an XML file by splicing its original text: the parser only finds where elements are;
 * every byte outside a splice stays as it was (comments, quoting, indentation, attribute order).
 */

/** The text between start and end (offsets into the original) becomes `text`. */
export interface Splice {
  start: number;
  end: number;
  text: string;
}

/** The file is not well-formed XML. */
export class XmlSyntaxError extends Error {
  constructor(
    readonly reason: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(`line ${line}, column ${column}: ${reason}`);
  }
}

/** The file is well-formed but lacks what the edit needs (no <broker>, another store). */
export class XmlLayoutError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** An edited file: its new text, what changed in words, and where (offsets of the original). */
export interface XmlEdit {
  text: string;
  details: string[];
  splices: Splice[];
}

export function parseDocument(text: string): XmlDocument {
  try {
    return parseXml(text, { includeOffsets: true, preserveComments: true });
  } catch (e) {
    if (e instanceof XmlError) {
      const reason = e.message.split('\n')[0].replace(/\s*\(line \d+, column \d+\)\s*$/, '');
      throw new XmlSyntaxError(reason, e.line, e.column);
    }
    throw e;
  }
}

/**
 * Applies splices given in offsets of the original text. Inserts at one offset keep their order.
 * New lines follow the file: CRLF in a file that uses CRLF.
 */
export function applySplices(text: string, splices: readonly Splice[]): string {
  const crlf = text.includes('\r\n');
  const sorted = splices
    .map((s, i) => ({ s, i }))
    .sort((a, b) => a.s.start - b.s.start || a.s.end - a.s.start - (b.s.end - b.s.start) || a.i - b.i)
    .map((x) => x.s);
  let out = '';
  let at = 0;
  for (const s of sorted) {
    if (s.start < at) throw new Error(`overlapping XML edits at offset ${s.start}`);
    out += text.slice(at, s.start) + (crlf ? s.text.replace(/\r?\n/g, '\r\n') : s.text);
    at = s.end;
  }
  return out + text.slice(at);
}

export const localName = (el: XmlElement): string => el.name.slice(el.name.indexOf(':') + 1);

/** `amq:` for `<amq:broker>`: new children are written in their parent's namespace. */
export const prefixOf = (el: XmlElement): string => el.name.slice(0, el.name.indexOf(':') + 1);

export function childElements(el: XmlElement | XmlDocument, name?: string): XmlElement[] {
  return el.children.filter((c): c is XmlElement => c instanceof XmlElement && (name === undefined || localName(c) === name));
}

export const firstChild = (el: XmlElement, name: string): XmlElement | undefined => childElements(el, name)[0];

/** Every element below `root`, depth first, in document order. */
export function descendants(root: XmlElement | XmlDocument, name: string): XmlElement[] {
  const out: XmlElement[] = [];
  for (const c of childElements(root)) {
    if (localName(c) === name) out.push(c);
    out.push(...descendants(c, name));
  }
  return out;
}

export interface AttrToken {
  name: string;
  /** Where the whitespace before the attribute begins. */
  gapStart: number;
  valueStart: number;
  valueEnd: number;
  quote: '"' | "'";
  /** Just after the closing quote. */
  end: number;
}

export interface StartTag {
  nameEnd: number;
  attrs: AttrToken[];
  /** Just after `>` or `/>`. */
  end: number;
  selfClosing: boolean;
}

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** The attributes of an element's start tag, with their offsets (the parser gives only the element's). */
export function startTag(text: string, el: XmlElement): StartTag {
  let i = el.start + 1;
  while (i < text.length && !isSpace(text[i]) && text[i] !== '/' && text[i] !== '>') i++;
  const nameEnd = i;
  const attrs: AttrToken[] = [];
  for (;;) {
    const gapStart = i;
    while (isSpace(text[i])) i++;
    if (text.startsWith('/>', i)) return { nameEnd, attrs, end: i + 2, selfClosing: true };
    if (text[i] === '>') return { nameEnd, attrs, end: i + 1, selfClosing: false };
    const nameStart = i;
    while (i < text.length && text[i] !== '=' && !isSpace(text[i])) i++;
    const name = text.slice(nameStart, i);
    while (isSpace(text[i])) i++;
    i++; // '='
    while (isSpace(text[i])) i++;
    const quote = text[i] as '"' | "'";
    const valueStart = i + 1;
    const valueEnd = text.indexOf(quote, valueStart);
    if (valueEnd < 0 || i >= el.end) throw new Error(`cannot read the start tag of <${el.name}>`);
    i = valueEnd + 1;
    attrs.push({ name, gapStart, valueStart, valueEnd, quote, end: i });
  }
}

export function escapeAttr(value: string, quote: '"' | "'" = '"'): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(quote === '"' ? /"/g : /'/g, quote === '"' ? '&quot;' : '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;');
}

export const attrText = (name: string, value: string) => `${name}="${escapeAttr(value)}"`;

/**
 * Sets one attribute: its value is replaced in place (same quotes), or it is added after the
 * element's last attribute, separated the way that attribute is. Undefined when it already has it.
 */
export function setAttribute(text: string, el: XmlElement, name: string, value: string, same = (cur: string) => cur === value): Splice | undefined {
  const current = el.attributes[name];
  if (current !== undefined && same(current)) return undefined;
  const tag = startTag(text, el);
  const attr = tag.attrs.find((a) => a.name === name);
  if (attr) return { start: attr.valueStart, end: attr.valueEnd, text: escapeAttr(value, attr.quote) };
  const last = tag.attrs.at(-1);
  const gap = last ? text.slice(last.gapStart, last.valueStart).replace(/\S[\s\S]*$/, '') || ' ' : ' ';
  const quote = last?.quote ?? '"';
  const at = last ? last.end : tag.nameEnd;
  return { start: at, end: at, text: `${gap}${name}=${quote}${escapeAttr(value, quote)}${quote}` };
}

/** The leading whitespace of the line that holds `offset`. */
export function lineIndent(text: string, offset: number): string {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, offset))![0];
}

const startsLine = (text: string, offset: number) => /(^|\n)[ \t]*$/.test(text.slice(Math.max(0, text.lastIndexOf('\n', offset - 1)), offset));

/** One step of indentation, as the file uses it around `el`. */
export function indentUnit(text: string, el: XmlElement): string {
  for (let node: XmlElement | null = el; node instanceof XmlElement; node = node.parent instanceof XmlElement ? node.parent : null) {
    const outer = lineIndent(text, node.start);
    for (const c of childElements(node)) {
      if (!startsLine(text, c.start)) continue;
      const inner = lineIndent(text, c.start);
      if (inner.length > outer.length && inner.startsWith(outer)) return inner.slice(outer.length);
    }
  }
  return '    ';
}

/** The indentation a child of `el` gets: that of its existing children, or one step more than `el`. */
export function childIndent(text: string, el: XmlElement): string {
  const c = childElements(el).find((x) => startsLine(text, x.start));
  return c ? lineIndent(text, c.start) : lineIndent(text, el.start) + indentUnit(text, el);
}

/** An element to create. */
export interface NewElement {
  name: string;
  attrs?: readonly (readonly [string, string])[];
  children?: readonly NewElement[];
}

/** Renders a new element; its first line has no indentation, the next ones `indent` plus steps. */
export function renderElement(el: NewElement, indent: string, unit: string, prefix = ''): string {
  const name = prefix + el.name;
  const attrs = (el.attrs ?? []).map(([k, v]) => ` ${attrText(k, v)}`).join('');
  if (!el.children?.length) return `<${name}${attrs}/>`;
  const inner = el.children.map((c) => `\n${indent}${unit}${renderElement(c, indent + unit, unit, prefix)}`).join('');
  return `<${name}${attrs}>${inner}\n${indent}</${name}>`;
}

/** Where the content of a non-empty element starts and its end tag begins. */
function innerRange(text: string, el: XmlElement, tag: StartTag): { start: number; end: number } {
  return { start: tag.end, end: text.lastIndexOf('</', el.end - 1) };
}

/** Replaces everything inside `el` with the given rendered children, one per line. */
export function replaceChildren(text: string, el: XmlElement, children: readonly string[]): Splice {
  const indent = lineIndent(text, el.start);
  const inner = childIndent(text, el);
  const body = `${children.map((c) => `\n${inner}${c}`).join('')}\n${indent}`;
  const tag = startTag(text, el);
  if (tag.selfClosing) {
    const from = tag.attrs.at(-1)?.end ?? tag.nameEnd;
    return { start: from, end: tag.end, text: `>${body}</${el.name}>` };
  }
  return { ...innerRange(text, el, tag), text: body };
}

/** Adds a new child after the last child element of `parent` (or as its first). */
export function appendChild(text: string, parent: XmlElement, child: NewElement): Splice {
  const inner = childIndent(text, parent);
  const rendered = renderElement(child, inner, indentUnit(text, parent), prefixOf(parent));
  const tag = startTag(text, parent);
  if (tag.selfClosing) {
    const from = tag.attrs.at(-1)?.end ?? tag.nameEnd;
    return { start: from, end: tag.end, text: `>\n${inner}${rendered}\n${lineIndent(text, parent.start)}</${parent.name}>` };
  }
  const last = childElements(parent).at(-1);
  if (last) return { start: last.end, end: last.end, text: `\n${inner}${rendered}` };
  const { end } = innerRange(text, parent, tag);
  const lastBreak = text.lastIndexOf('\n', end - 1);
  if (lastBreak >= tag.end && /^[ \t]*$/.test(text.slice(lastBreak + 1, end))) {
    const at = text[lastBreak - 1] === '\r' ? lastBreak - 1 : lastBreak;
    return { start: at, end: at, text: `\n${inner}${rendered}` };
  }
  return { start: end, end, text: `\n${inner}${rendered}\n${lineIndent(text, parent.start)}` };
}

/** The original text of an element with splices (in original offsets, inside it) applied. */
export function elementText(text: string, el: XmlElement, splices: readonly Splice[]): string {
  const own = text.slice(el.start, el.end);
  return applySplices(own, splices.map((s) => ({ start: s.start - el.start, end: s.end - el.start, text: s.text })));
}

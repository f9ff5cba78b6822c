import type { ExportClient } from './exports.js';

/**
 * One `EXPORT { }` block of an nfs-ganesha configuration, found by its `Export_Id`.
 * Everything outside that block is kept byte for byte.
 */

export interface GaneshaExport {
  exportId: number;
  path: string;
  pseudo: string;
  clients: readonly ExportClient[];
}

interface Token {
  kind: 'word' | 'string' | 'punct';
  text: string;
  start: number;
  end: number;
}

interface Block {
  name: string;
  start: number;
  end: number;
  /** `Key = value;` pairs directly inside the block (not in nested blocks), keys lower-cased. */
  values: Map<string, string>;
}

const PUNCT = '{}=;,';

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
    } else if (ch === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (PUNCT.includes(ch)) {
      out.push({ kind: 'punct', text: ch, start: i, end: i + 1 });
      i++;
    } else if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== ch) j += ch === '"' && text[j] === '\\' ? 2 : 1;
      const end = Math.min(j + 1, text.length);
      out.push({ kind: 'string', text: unquote(text.slice(i, end)), start: i, end });
      i = end;
    } else {
      let j = i;
      while (j < text.length && !/[\s#"']/.test(text[j]) && !PUNCT.includes(text[j])) j++;
      out.push({ kind: 'word', text: text.slice(i, j), start: i, end: j });
      i = j;
    }
  }
  return out;
}

function unquote(s: string): string {
  const body = s.slice(1, s.endsWith(s[0]) && s.length > 1 ? -1 : undefined);
  return s[0] === '"' ? body.replace(/\\(.)/g, '$1') : body;
}

/** The top-level blocks of the file, with their spans. */
function topBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'word' || tokens[i + 1]?.text !== '{' || tokens[i + 1].kind !== 'punct') continue;
    const values = new Map<string, string>();
    let depth = 0;
    let j = i + 1;
    for (; j < tokens.length; j++) {
      const u = tokens[j];
      if (u.kind === 'punct' && u.text === '{') depth++;
      else if (u.kind === 'punct' && u.text === '}') {
        if (--depth === 0) break;
      } else if (depth === 1 && u.kind === 'word' && tokens[j + 1]?.text === '=') {
        const v = tokens[j + 2];
        if (v && v.kind !== 'punct') values.set(u.text.toLowerCase(), v.text);
      }
    }
    const end = j < tokens.length ? tokens[j].end : tokens[tokens.length - 1].end;
    blocks.push({ name: t.text, start: t.start, end, values });
    i = j;
  }
  return blocks;
}

function exportBlocks(text: string, exportId: number): Block[] {
  return topBlocks(tokenize(text)).filter((b) => b.name.toLowerCase() === 'export' && Number(b.values.get('export_id')) === exportId);
}

const PLAIN_PATH = /^(\/|\/?[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*\/?)$/;
const PLAIN_CLIENT = /^[A-Za-z0-9._:/@*?[\]!-]+$/;

function value(s: string, plain: RegExp): string {
  return plain.test(s) ? s : `"${s.replace(/[\\"]/g, '\\$&')}"`;
}

export function accessType(options: readonly string[]): 'RO' | 'RW' {
  return options.includes('ro') ? 'RO' : 'RW';
}

export function squash(options: readonly string[]): 'All_Squash' | 'No_Root_Squash' | 'Root_Squash' {
  if (options.includes('all_squash')) return 'All_Squash';
  if (options.includes('no_root_squash')) return 'No_Root_Squash';
  return 'Root_Squash';
}

/**
 * The block for an export. A `*` client sets the export's own Access_Type and Squash; every
 * other client gets a CLIENT block. Without a `*` client the export itself grants no access
 * (Access_Type = None), so only the listed clients can mount it.
 */
export function renderGaneshaExport(e: GaneshaExport): string {
  const everyone = e.clients.find((c) => c.host === '*');
  const others = e.clients.filter((c) => c.host !== '*');
  const lines = [
    `Export_Id = ${e.exportId};`,
    `Path = ${value(e.path, PLAIN_PATH)};`,
    `Pseudo = ${value(e.pseudo, PLAIN_PATH)};`,
    `Access_Type = ${everyone ? accessType(everyone.options) : 'None'};`,
    `Squash = ${everyone ? squash(everyone.options) : 'Root_Squash'};`,
    'SecType = sys;',
    'Protocols = 3, 4;',
    'Transports = TCP;',
    'FSAL { Name = VFS; }',
    ...others.map((c) => `CLIENT { Clients = ${value(c.host, PLAIN_CLIENT)}; Access_Type = ${accessType(c.options)}; Squash = ${squash(c.options)}; }`),
  ];
  return `EXPORT {\n${lines.map((l) => `    ${l}\n`).join('')}}`;
}

/** The span of a block widened to its whole lines when nothing else shares them. */
function wholeLines(text: string, b: Block): [number, number] {
  const lineStart = text.lastIndexOf('\n', b.start - 1) + 1;
  const nl = text.indexOf('\n', b.end);
  const lineEnd = nl < 0 ? text.length : nl + 1;
  const alone = /^[ \t]*$/.test(text.slice(lineStart, b.start)) && /^[ \t]*\r?\n?$/.test(text.slice(b.end, lineEnd));
  return alone ? [lineStart, lineEnd] : [b.start, b.end];
}

/** The configuration with exactly one EXPORT block for `e.exportId`: replaced in place, or appended. */
export function upsertGaneshaExport(text: string, e: GaneshaExport): string {
  const wanted = renderGaneshaExport(e);
  const [first, ...dups] = exportBlocks(text, e.exportId);
  if (!first) {
    const sep = text === '' || text.endsWith('\n') ? '' : '\n';
    return `${text}${sep}${wanted}\n`;
  }
  let out = text;
  for (const d of dups.reverse()) {
    const [s, t] = wholeLines(out, d);
    out = out.slice(0, s) + out.slice(t);
  }
  return out.slice(0, first.start) + wanted + out.slice(first.end);
}

/** The configuration without any EXPORT block for `exportId`. */
export function removeGaneshaExport(text: string, exportId: number): string {
  let out = text;
  for (const b of exportBlocks(text, exportId).reverse()) {
    const [s, t] = wholeLines(out, b);
    out = out.slice(0, s) + out.slice(t);
  }
  return out;
}

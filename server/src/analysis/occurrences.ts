import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { Named, VarDefs } from '../../../runner/src/runbook/model.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import { pathsOf, type PathExpr } from './expressions.js';
import type { Span } from './types.js';

/** What can be renamed and highlighted: a name and what it names. */
export type SymbolKind = 'variable' | 'secret' | 'host' | 'group' | 'handler' | 'task';

export interface Sym {
  kind: SymbolKind;
  name: string;
  /** Handlers and tasks: the index of their play. */
  play?: number;
}

/** Where a symbol's name is written: exactly its characters, in this document (no `file`) or the inventory file. */
export interface Occurrence {
  file?: string;
  span: Span;
  definition: boolean;
}

/** The span of exactly `name` in a span that may also hold quotes or a leading `!`. */
export function exactly(text: string, span: Span, name: string): Span | undefined {
  const raw = text.slice(span.start, span.end);
  if (raw === name) return span;
  const q = raw[0];
  if ((q === '"' || q === "'") && raw.endsWith(q) && raw.slice(1, -1) === name) return { start: span.start + 1, end: span.end - 1 };
  if (raw === `!${name}`) return { start: span.start + 1, end: span.end };
  return undefined;
}

/** The segment of a path that is `hosts.NAME`, `hosts['NAME']` (host) or `groups.NAME` (group). */
function entrySeg(p: PathExpr, root: 'hosts' | 'groups', name: string) {
  const s = p.segs[0];
  return p.root === root && s && !s.ref && s.key === name ? s : undefined;
}

/** The segment of a path that names variable `name`: `host.vars.NAME`, `hosts.X.vars.NAME`. */
function varsSeg(p: PathExpr, name: string) {
  const at = p.root === 'host' ? 1 : p.root === 'hosts' ? 2 : -1;
  const s = at > 0 ? p.segs[at] : undefined;
  return s && !s.ref && s.key === name && p.segs[at - 1].key === 'vars' && !p.segs[at - 1].ref ? s : undefined;
}

/** Every variables mapping of an analysis: the playbook's, each play's, each host's and group's. */
export function varLayers(a: Analysis): VarDefs[] {
  const inv = a.inventory;
  return [a.playbook?.vars ?? new Map(), ...(a.playbook?.plays.map((p) => p.vars) ?? []), ...[...(inv?.hosts.values() ?? []), ...(inv?.groups.values() ?? [])].map((x) => x.vars)];
}

/** Uses of a symbol inside the expressions of a document. */
function inExpressions(doc: RunbookDoc, sym: Sym, file: string | undefined, out: Occurrence[]): void {
  for (const { base, path: p } of pathsOf(doc)) {
    const add = (span: Span) => {
      const s = exactly(doc.text, { start: base + span.start, end: base + span.end }, sym.name);
      if (s) out.push({ ...(file !== undefined ? { file } : {}), span: s, definition: false });
    };
    if (sym.kind === 'variable' || sym.kind === 'secret') {
      if (p.root === sym.name) add({ start: p.start, end: p.start + sym.name.length });
      const v = varsSeg(p, sym.name);
      if (v) add(v);
    } else if (sym.kind === 'host' || sym.kind === 'group') {
      const s = entrySeg(p, sym.kind === 'host' ? 'hosts' : 'groups', sym.name);
      if (s) add(s);
    }
  }
}

function definitionsIn(layers: VarDefs[], name: string, out: Occurrence[], text: (file: string | undefined) => string): void {
  for (const l of layers) {
    const d = l.get(name);
    const span = d?.keySpan && exactly(text(d.file), d.keySpan, name);
    if (span) out.push({ ...(d.file !== undefined ? { file: d.file } : {}), span, definition: true });
  }
}

function namesIn(list: readonly Named[], name: string, text: string, file: string | undefined, out: Occurrence[]): void {
  for (const n of list) {
    const span = n.name.replace(/^!/, '') === name ? exactly(text, n.span, name) : undefined;
    if (span) out.push({ ...(file !== undefined ? { file } : {}), span, definition: false });
  }
}

/**
 * Every place a symbol is written in an analysed document and, unless `ownOnly`, in the inventory
 * file it reads: definitions first, then uses, each in document order.
 */
export function occurrences(a: Analysis, sym: Sym, ownOnly = false): Occurrence[] {
  const out: Occurrence[] = [];
  const inv = a.inventory;
  // The inventory file, when it is one apart from this document.
  const invFile = inv?.file !== undefined && !ownOnly ? inv.file : undefined;
  const textOf = (file: string | undefined) => (file === undefined ? a.doc.text : inv?.doc.text ?? '');
  const keep = (o: Occurrence) => o.file === undefined || o.file === invFile;
  const play = sym.play !== undefined ? a.playbook?.plays[sym.play] : undefined;
  switch (sym.kind) {
    case 'variable':
    case 'secret': {
      definitionsIn(varLayers(a), sym.name, out, textOf);
      const secret = a.playbook?.secrets.get(sym.name);
      const span = secret && exactly(a.doc.text, secret.keySpan, sym.name);
      if (span) out.push({ span, definition: true });
      break;
    }
    case 'host': {
      const h = inv?.hosts.get(sym.name);
      const span = h && exactly(inv!.doc.text, h.keySpan, sym.name);
      if (span) out.push({ ...(inv!.file !== undefined ? { file: inv!.file } : {}), span, definition: true });
      for (const g of inv?.groups.values() ?? []) namesIn(g.hosts, sym.name, inv!.doc.text, inv!.file, out);
      break;
    }
    case 'group': {
      const g = inv?.groups.get(sym.name);
      const span = g?.keySpan && exactly(inv!.doc.text, g.keySpan, sym.name);
      if (span) out.push({ ...(inv!.file !== undefined ? { file: inv!.file } : {}), span, definition: true });
      for (const other of inv?.groups.values() ?? []) namesIn(other.children, sym.name, inv!.doc.text, inv!.file, out);
      break;
    }
    case 'handler': {
      const h = play?.handlers.find((x) => x.name === sym.name);
      const span = h?.nameSpan && exactly(a.doc.text, h.nameSpan, sym.name);
      if (span) out.push({ span, definition: true });
      for (const t of play?.tasks ?? []) namesIn(t.notify, sym.name, a.doc.text, undefined, out);
      break;
    }
    case 'task': {
      const t = play?.tasks.find((x) => x.name === sym.name);
      const span = t?.nameSpan && exactly(a.doc.text, t.nameSpan, sym.name);
      if (span) out.push({ span, definition: true });
      break;
    }
  }
  if (sym.kind === 'host' || sym.kind === 'group') for (const p of a.playbook?.plays ?? []) namesIn(p.hosts, sym.name, a.doc.text, undefined, out);
  if (sym.kind !== 'handler' && sym.kind !== 'task') {
    inExpressions(a.doc, sym, undefined, out);
    if (invFile !== undefined && a.inventoryDoc) inExpressions(a.inventoryDoc, sym, invFile, out);
  }
  const kept = out.filter(keep);
  const seen = new Set<string>();
  return kept
    .filter((o) => {
      const k = `${o.file ?? ''}|${o.span.start}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((x, y) => Number(y.definition) - Number(x.definition) || (x.file ?? '').localeCompare(y.file ?? '') || x.span.start - y.span.start);
}

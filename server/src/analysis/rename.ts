import type { Catalog } from '../../../runner/src/modules/index.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { FILTERS } from '../../../runner/src/runbook/expr.js';
import { BUILTIN_VARS } from '../../../runner/src/runbook/schema.js';
import { HOST_FIELDS } from './complete-expr.js';
import { exprTarget } from './expr-at.js';
import { locate } from './locate.js';
import { exactly, occurrences, varLayers, type Occurrence, type Sym } from './occurrences.js';
import { placeOf } from './place.js';
import { playAt } from './scopes.js';
import type { Span, TextEdit } from './types.js';

/** The symbol at an offset and the span of its name there, or why what is there cannot be renamed. */
export type SymbolAt = { sym: Sym; span: Span } | { refused: string } | undefined;

/** The names the runbook format allows (runner/src/runbook: read-playbook.ts, read-inventory.ts). */
const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

/** Variables the runner reads by name, beyond the built-ins: renaming one would change what it checks. */
const READ_BY_NAME: Readonly<Record<string, string>> = {
  root: "the cluster rules compare each host's paths below its 'root' (runner/src/runbook/activemq-rules.ts)",
};

/** A variable or a secret (the playbook's secrets decide), or why it cannot be renamed. */
function renamable(a: Analysis, name: string): Sym | { refused: string } {
  return name in READ_BY_NAME ? { refused: `'${name}' is read by name: ${READ_BY_NAME[name]}` } : variable(a, name);
}

/** A variable or a secret: the playbook's secrets decide. */
function variable(a: Analysis, name: string): Sym {
  const defined = varLayers(a).some((l) => l.has(name));
  return { kind: !defined && a.playbook?.secrets.has(name) ? 'secret' : 'variable', name };
}

function hostOrGroup(a: Analysis, name: string): Sym | { refused: string } | undefined {
  if (name === 'all') return { refused: "'all' is the group of every host: its name is fixed" };
  if (a.inventory?.hosts.has(name)) return { kind: 'host', name };
  if (a.inventory?.groups.has(name)) return { kind: 'group', name };
  if (/[*?[]/.test(name)) return { refused: `'${name}' is a pattern, not a name` };
  return undefined;
}

/** The symbol with the span of exactly its name (a span also holding quotes or `!` is narrowed). */
function found(sym: Sym | { refused: string } | undefined, text: string, span: Span): SymbolAt {
  if (!sym || 'refused' in sym) return sym;
  const exact = exactly(text, span, sym.name);
  return exact ? { sym, span: exact } : undefined;
}

/** What is at the offset, as rename, prepareRename and document highlight see it. */
export function symbolAt(a: Analysis, text: string, offset: number, catalog: Catalog): SymbolAt {
  const loc = locate(text, offset);
  if (loc.expr) {
    const t = exprTarget(text, loc.expr, offset);
    if (!t) return undefined;
    if (t.kind === 'filter') return { refused: t.name in FILTERS ? `'${t.name}' is a filter of the expression language: its name is fixed` : `'${t.name}' is not a filter` };
    const { path, seg } = t;
    if (seg === -1) {
      if (path.root in BUILTIN_VARS) return { refused: `'${path.root}' is built in: ${BUILTIN_VARS[path.root]}` };
      return found(renamable(a, path.root), text, t.span);
    }
    const key = path.segs[seg].key;
    if (typeof key !== 'string') return undefined;
    if ((path.root === 'hosts' || path.root === 'groups') && seg === 0) return found(hostOrGroup(a, key), text, t.span);
    const vars = path.root === 'hosts' ? 2 : path.root === 'host' ? 1 : -1;
    if (seg === vars && path.segs[vars - 1].key === 'vars') return found(renamable(a, key), text, t.span);
    const field = (path.root === 'host' && seg === 0) || (path.root === 'hosts' && seg === 1);
    if (field && key in HOST_FIELDS) return { refused: `'${key}' is what every host has (${HOST_FIELDS[key]}): it cannot be renamed` };
    return undefined;
  }
  if (loc.inScalar) return undefined;
  const root = a.kind === 'inventory' ? 'inventory' : 'playbook';
  const name = loc.token.text;
  if (!name) return undefined;
  const span = loc.token.span;
  if (loc.on === 'key') {
    const container = placeOf(loc.path.slice(0, -1), root, catalog);
    if (container?.map === 'vars' || container?.map === 'secrets') return found(container.map === 'secrets' ? { kind: 'secret', name } : renamable(a, name), text, span);
    if (container?.map === 'hosts' || container?.map === 'groups') return found(hostOrGroup(a, name), text, span);
    if ((container?.map === 'task' || container?.map === 'handler') && catalog.has(name)) return { refused: `'${name}' is a module of the catalog: its name is fixed` };
    if (container?.keys?.[name]) return { refused: `'${name}' is a key of the runbook format: its name is fixed` };
    return undefined;
  }
  const place = placeOf(loc.path, root, catalog);
  const play = playAt(a, offset);
  if (place?.names === 'handlers') return play ? found({ kind: 'handler', name, play: play.index }, text, span) : undefined;
  if (place?.names) return found(hostOrGroup(a, name.replace(/^!/, '')), text, span);
  const last = loc.path[loc.path.length - 1];
  const list = loc.path[loc.path.length - 3];
  if (last === 'name' && play && (list === 'tasks' || list === 'handlers')) return found({ kind: list === 'tasks' ? 'task' : 'handler', name, play: play.index }, text, span);
  return undefined;
}

/** Why a new name cannot be given to the symbol in this analysis; undefined when it can. */
export function refuseName(a: Analysis, sym: Sym, to: string): string | undefined {
  if (to === sym.name) return undefined;
  const play = sym.play !== undefined ? a.playbook?.plays[sym.play] : undefined;
  switch (sym.kind) {
    case 'variable':
    case 'secret': {
      if (!VAR_NAME.test(to)) return `'${to}' is not a valid variable name: use letters, digits and _ (not starting with a digit)`;
      if (to in BUILTIN_VARS) return `'${to}' is built in: ${BUILTIN_VARS[to]}`;
      if (to in READ_BY_NAME) return `'${to}' is read by name: ${READ_BY_NAME[to]}`;
      const taken = varLayers(a).some((l) => l.has(to)) || a.extraVars.has(to) ? 'variable' : a.playbook?.secrets.has(to) ? 'secret' : undefined;
      return taken ? `'${to}' is already a ${taken}: renaming '${sym.name}' to it would merge the two` : undefined;
    }
    case 'host':
    case 'group':
      if (!HOST_NAME.test(to)) return `'${to}' is not a valid ${sym.kind} name: use letters, digits, ., - and _`;
      if (to === 'all') return "'all' is the group of every host";
      if (a.inventory?.hosts.has(to)) return `'${to}' is already a host`;
      if (a.inventory?.groups.has(to)) return `'${to}' is already a group`;
      if (to.includes('.') && occurrences(a, sym).some((o) => inExpression(textOf(a, o), o.span.start))) return `'${to}' has a '.', which cannot follow ${sym.kind}s. in an expression`;
      return undefined;
    case 'handler':
    case 'task': {
      if (!to.trim()) return `a ${sym.kind} needs a name`;
      const list = sym.kind === 'handler' ? play?.handlers : play?.tasks;
      return list?.some((t) => t.name === to) ? `${sym.kind} names are unique in a play, and '${to}' is already one in '${play!.name}'` : undefined;
    }
  }
}

const textOf = (a: Analysis, o: Occurrence): string => (o.file === undefined ? a.doc.text : a.inventoryDoc?.text ?? '');

/** Whether the offset is inside `{{ }}` (on its line). */
function inExpression(text: string, offset: number): boolean {
  const before = text.slice(text.lastIndexOf('\n', offset - 1) + 1, offset);
  const open = before.lastIndexOf('{{');
  return open >= 0 && before.indexOf('}}', open) < 0;
}

/** YAML that a plain scalar can hold as it is: no quoting needed, and not read as a number or a boolean. */
const PLAIN_SAFE = /^[A-Za-z_][\w .\/()-]*$/;

/** The edit that writes `to` where `from` is, keeping the quotes that are there and adding them where needed. */
export function nameEdit(text: string, o: Occurrence, to: string): TextEdit {
  const q = text[o.span.start - 1];
  const quoted = (q === '"' || q === "'") && text[o.span.end] === q;
  const file = o.file !== undefined ? { file: o.file } : {};
  if (quoted) return { ...file, span: o.span, text: q === '"' ? JSON.stringify(to).slice(1, -1) : to.replace(/'/g, "''") };
  const plain = PLAIN_SAFE.test(to) && !/^(true|false|yes|no|on|off|null)$/i.test(to) && !to.endsWith(' ') && !/ #|: /.test(to);
  return { ...file, span: o.span, text: plain || inExpression(text, o.span.start) ? to : JSON.stringify(to) };
}

/** The edits renaming a symbol in the analysed document and, unless `ownOnly`, in its inventory file. */
export function renameEdits(a: Analysis, sym: Sym, to: string, ownOnly = false): TextEdit[] {
  return occurrences(a, sym, ownOnly).map((o) => nameEdit(textOf(a, o), o, to));
}

/** Whether renaming the symbol reaches beyond this runbook: it lives in (or is read by) its inventory file. */
export function reachesInventory(a: Analysis, sym: Sym): boolean {
  return a.inventoryPath !== undefined && occurrences(a, sym).some((o) => o.file !== undefined);
}

/** Document highlight: every place the symbol at the offset is written in this document. */
export function highlights(a: Analysis, text: string, offset: number, catalog: Catalog): { span: Span; write: boolean }[] {
  const at = symbolAt(a, text, offset, catalog);
  if (!at || 'refused' in at) return [];
  return occurrences(a, at.sym, true).map((o) => ({ span: o.span, write: o.definition }));
}

/** A runbook of the workspace, analysed. */
export interface RunbookAt {
  path: string;
  a: Analysis;
}

/**
 * The whole rename: in the document (no `file` on its edits), its inventory file, and every other
 * runbook of the workspace that reads that inventory, when the symbol lives there (a host, a group,
 * a variable the inventory defines or reads): `readers` lists them. `inventory` is the inventory file
 * the rename started in, when it did. Refused, with the reason, when the new name would clash in any of them.
 */
export function renameAcross(a: Analysis, sym: Sym, to: string, readers: (inventory: string) => readonly RunbookAt[], inventory?: string): { edits: TextEdit[] } | { refused: string } {
  const own = refuseName(a, sym, to);
  if (own) return { refused: own };
  const edits = renameEdits(a, sym, to);
  const shared = inventory ?? (reachesInventory(a, sym) ? a.inventoryPath : undefined);
  if (shared === undefined || sym.kind === 'handler' || sym.kind === 'task') return { edits };
  for (const r of readers(shared)) {
    if (r.a === a || r.a.inventoryPath !== shared) continue;
    const theirs: Sym = sym.kind === 'variable' || sym.kind === 'secret' ? variable(r.a, sym.name) : sym;
    const refused = refuseName(r.a, theirs, to);
    if (refused) return { refused: `in ${r.path}: ${refused}` };
    edits.push(...renameEdits(r.a, theirs, to, true).map((e) => ({ ...e, file: r.path })));
  }
  return { edits };
}

import { basename } from 'node:path';
import { isMap } from 'yaml';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { TaskModel, VarDefs } from '../../../runner/src/runbook/model.js';
import { asMap, entries, pairSpan } from '../../../runner/src/runbook/nodes.js';
import type { DocSymbol, Span } from './types.js';

function taskSymbol(t: TaskModel, kind: 'task' | 'handler'): DocSymbol {
  const name = t.name || (t.module ? `(${t.module})` : `(${kind} ${t.index + 1})`);
  return { name, ...(t.module ? { detail: t.module } : {}), kind, span: t.span, selection: t.nameSpan ?? t.span, children: [] };
}

function varSymbols(vars: VarDefs): DocSymbol[] {
  return [...vars.values()]
    .filter((d) => d.keySpan && d.file === undefined)
    .map((d) => ({ name: d.name, kind: 'variable' as const, span: d.keySpan!, selection: d.keySpan!, children: [] }));
}

/** The outline: plays with their tasks and handlers, the playbook's vars and secrets; an inventory's hosts and groups. */
export function symbols(a: Analysis): DocSymbol[] {
  const root = a.doc.yaml.contents;
  if (!root || !isMap(root)) return [];
  const section = (key: string): Span | undefined => {
    const e = entries(a.doc.yaml, root).find((x) => x.key === key);
    return e && pairSpan(e.pair);
  };
  const out: DocSymbol[] = [];
  const group = (key: string, kind: DocSymbol['kind'], children: DocSymbol[]) => {
    const span = section(key);
    if (span) out.push({ name: key, kind, span, selection: { start: span.start, end: span.start + key.length }, children });
  };
  if (a.kind === 'playbook' && a.playbook) {
    const pb = a.playbook;
    group('vars', 'vars', varSymbols(pb.vars));
    group(
      'secrets',
      'secrets',
      [...pb.secrets.values()].map((s) => ({ name: s.name, kind: 'secret' as const, span: s.keySpan, selection: s.keySpan, children: [] })),
    );
    for (const p of pb.plays) {
      out.push({
        name: p.name || `(play ${p.index + 1})`,
        detail: p.hosts.map((h) => h.name).join(', '),
        kind: 'play',
        span: p.span,
        selection: p.nameSpan ?? p.span,
        children: [...p.tasks.map((t) => taskSymbol(t, 'task')), ...p.handlers.map((h) => taskSymbol(h, 'handler'))],
      });
    }
    return out;
  }
  if (a.kind === 'inventory' && a.inventory) {
    const inv = a.inventory;
    const members = (key: string) => {
      const e = entries(a.doc.yaml, root).find((x) => x.key === key);
      return entries(a.doc.yaml, asMap(e?.value));
    };
    group(
      'hosts',
      'hosts',
      members('hosts')
        .filter((e) => inv.hosts.has(e.key))
        .map((e) => ({ name: e.key, kind: 'host' as const, span: pairSpan(e.pair), selection: e.keySpan, children: varSymbols(inv.hosts.get(e.key)!.vars) })),
    );
    group(
      'groups',
      'groups',
      members('groups')
        .filter((e) => inv.groups.has(e.key))
        .map((e) => {
          const g = inv.groups.get(e.key)!;
          return { name: e.key, detail: g.members.join(', '), kind: 'group' as const, span: pairSpan(e.pair), selection: e.keySpan, children: varSymbols(g.vars) };
        }),
    );
  }
  return out;
}

/** A symbol found across the workspace: a play, task or handler of a runbook, a host or group of an inventory. */
export interface WorkspaceSymbol {
  name: string;
  kind: 'play' | 'task' | 'handler' | 'host' | 'group';
  file: string;
  span: Span;
  /** The play, or the inventory file, it belongs to. */
  container?: string;
}

/** Whether every character of the query appears in the name, in order, ignoring case. */
export function matches(query: string, name: string): boolean {
  const n = name.toLowerCase();
  let i = 0;
  for (const c of query.toLowerCase()) {
    i = n.indexOf(c, i);
    if (i < 0) return false;
    i++;
  }
  return true;
}

/** The plays, tasks and handlers of the runbooks, and the hosts and groups of their inventories (each inventory once). */
export function workspaceSymbols(runbooks: readonly { path: string; a: Analysis }[], query: string, max = 500): WorkspaceSymbol[] {
  const out: WorkspaceSymbol[] = [];
  const inventories = new Set<string>();
  const add = (s: WorkspaceSymbol) => {
    if (out.length < max && s.name && matches(query, s.name)) out.push(s);
  };
  for (const { path, a } of runbooks) {
    for (const p of a.playbook?.plays ?? []) {
      add({ name: p.name, kind: 'play', file: path, span: p.nameSpan ?? p.span, container: basename(path) });
      for (const t of p.tasks) add({ name: t.name, kind: 'task', file: path, span: t.nameSpan ?? t.span, container: p.name });
      for (const h of p.handlers) add({ name: h.name, kind: 'handler', file: path, span: h.nameSpan ?? h.span, container: p.name });
    }
    const inv = a.inventory;
    const file = inv?.file ?? path;
    if (!inv || inventories.has(file)) continue;
    inventories.add(file);
    for (const h of inv.hosts.values()) add({ name: h.name, kind: 'host', file, span: h.keySpan, container: basename(file) });
    for (const g of inv.groups.values()) if (g.keySpan) add({ name: g.name, kind: 'group', file, span: g.keySpan, container: basename(file) });
  }
  return out;
}

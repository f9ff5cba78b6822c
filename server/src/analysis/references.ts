import { visit, type Scalar } from 'yaml';
import type { Catalog } from '../../../runner/src/modules/index.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { pathsIn, splitTemplate } from '../../../runner/src/runbook/expr.js';
import type { VarDefs } from '../../../runner/src/runbook/model.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import { innerSpan } from '../../../runner/src/runbook/placed.js';
import { exprTarget } from './expr-at.js';
import { locate } from './locate.js';
import { placeOf } from './place.js';
import { playAt } from './scopes.js';
import type { Target } from './types.js';

/** Every `{{ name }}` (and `host.vars.name`, `hosts.X.vars.name`) in a document. */
function variableUses(doc: RunbookDoc, name: string, file?: string): Target[] {
  const out: Target[] = [];
  visit(doc.yaml, {
    Scalar(_k, node: Scalar) {
      if (typeof node.value !== 'string' || !node.value.includes('{{') || !node.value.includes(name)) return;
      for (const seg of splitTemplate(node.value)) {
        if (seg.kind !== 'expr' || !seg.expr) continue;
        for (const p of pathsIn(seg.expr)) {
          const at = (start: number, end: number) => out.push({ ...(file ? { file } : {}), span: innerSpan(doc.text, node, { start, end }) });
          if (p.root === name) at(p.start, p.start + name.length);
          const vars = p.root === 'hosts' ? 2 : p.root === 'host' ? 1 : -1;
          const s = p.segs[vars];
          if (s && p.segs[vars - 1].key === 'vars' && s.key === name) at(s.start, s.end);
        }
      }
    },
  });
  return out;
}

function definitionsOf(a: Analysis, name: string): Target[] {
  const layers: VarDefs[] = [a.playbook?.vars ?? new Map(), ...(a.playbook?.plays.map((p) => p.vars) ?? [])];
  for (const h of a.inventory?.hosts.values() ?? []) layers.push(h.vars);
  for (const g of a.inventory?.groups.values() ?? []) layers.push(g.vars);
  const out: Target[] = [];
  for (const l of layers) {
    const d = l.get(name);
    if (d?.keySpan) out.push({ ...(d.file !== undefined ? { file: d.file } : {}), span: d.keySpan });
  }
  const s = a.playbook?.secrets.get(name);
  if (s) out.push({ span: s.keySpan });
  return out;
}

/** Every use of a variable in the playbook and its inventory file; with its definitions when asked. */
export function variableReferences(a: Analysis, name: string, withDefinitions: boolean): Target[] {
  const out = variableUses(a.doc, name);
  if (a.inventoryDoc && a.inventoryPath) out.push(...variableUses(a.inventoryDoc, name, a.inventoryPath));
  if (withDefinitions) out.push(...definitionsOf(a, name));
  return out;
}

/** Every `notify` naming a handler of the play, and the handler itself when asked. */
export function handlerReferences(a: Analysis, offset: number, name: string, withDefinition: boolean): Target[] {
  const play = playAt(a, offset);
  if (!play) return [];
  const out: Target[] = [];
  const h = play.handlers.find((x) => x.name === name);
  if (withDefinition && h) out.push({ span: h.nameSpan ?? h.span });
  for (const t of play.tasks) for (const n of t.notify) if (n.name === name) out.push({ span: n.span });
  return out;
}

/** References of the handler or variable at the offset. */
export function references(a: Analysis, text: string, offset: number, catalog: Catalog, withDeclaration: boolean): Target[] {
  const loc = locate(text, offset);
  if (loc.expr) {
    const t = exprTarget(text, loc.expr, offset);
    if (!t || t.kind !== 'path') return [];
    if (t.seg === -1) return variableReferences(a, t.path.root, withDeclaration);
    const vars = t.path.root === 'hosts' ? 2 : t.path.root === 'host' ? 1 : -1;
    const key = t.path.segs[t.seg].key;
    if (t.seg === vars && t.path.segs[vars - 1].key === 'vars' && typeof key === 'string') return variableReferences(a, key, withDeclaration);
    return [];
  }
  if (loc.inScalar) return [];
  const root = a.kind === 'inventory' ? 'inventory' : 'playbook';
  const name = loc.token.text;
  if (loc.on === 'key') {
    const container = placeOf(loc.path.slice(0, -1), root, catalog);
    if (container?.map === 'vars' || container?.map === 'secrets') return variableReferences(a, name, withDeclaration);
    return [];
  }
  const place = placeOf(loc.path, root, catalog);
  if (place?.names === 'handlers') return handlerReferences(a, offset, name, withDeclaration);
  // The name of a handler.
  const task = loc.path.length >= 4 && loc.path[loc.path.length - 1] === 'name' && loc.path[loc.path.length - 3] === 'handlers';
  if (task) return handlerReferences(a, offset, name, withDeclaration);
  return [];
}

import { dirname, isAbsolute, resolve } from 'node:path';
import type { Catalog } from '../../../runner/src/modules/index.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { VarDef } from '../../../runner/src/runbook/model.js';
import { exprTarget } from './expr-at.js';
import { locate } from './locate.js';
import { placeOf } from './place.js';
import { playAt, scopesAt } from './scopes.js';
import type { Target } from './types.js';

/** Modules whose `src` is a file on this machine, and what it is. */
export const LOCAL_SOURCES: Readonly<Record<string, string>> = { template: 'the template', file: 'the file uploaded' };

/** A file named in the runbook: relative to the runbook's folder. */
export function localFile(name: string, playbookPath: string | undefined): string {
  return isAbsolute(name) ? name : resolve(playbookPath ? dirname(playbookPath) : process.cwd(), name);
}

/** Where a host or a group is defined in the inventory. */
export function inventoryEntry(a: Analysis, name: string): Target | undefined {
  const inv = a.inventory;
  const span = inv?.hosts.get(name)?.keySpan ?? inv?.groups.get(name)?.keySpan;
  if (!inv || !span) return undefined;
  return { ...(inv.file !== undefined ? { file: inv.file } : {}), span };
}

function defTarget(def: VarDef): Target | undefined {
  return def.keySpan ? { ...(def.file !== undefined ? { file: def.file } : {}), span: def.keySpan } : undefined;
}

/** The definitions a variable has for the hosts at the offset (one per distinct winning definition). */
export function variableDefinitions(a: Analysis, offset: number, name: string, host?: string): Target[] {
  const out: Target[] = [];
  const seen = new Set<VarDef>();
  const scopes = host !== undefined ? [{ scope: a.scopes.scope(host, playAt(a, offset)) }] : scopesAt(a, offset);
  for (const { scope } of scopes) {
    const def = scope.definition(name);
    if (!def || seen.has(def)) continue;
    seen.add(def);
    const t = defTarget(def);
    if (t) out.push(t);
  }
  const secret = a.playbook?.secrets.get(name);
  if (!out.length && secret) out.push({ span: secret.keySpan });
  return out;
}

/** Go to definition: a variable, a handler, a host or group, a template or file `src`, the inventory file. */
export function definition(a: Analysis, text: string, offset: number, catalog: Catalog, playbookPath?: string): Target[] {
  const loc = locate(text, offset);
  if (loc.expr) {
    const t = exprTarget(text, loc.expr, offset);
    if (!t || t.kind !== 'path') return [];
    const { path, seg } = t;
    if (seg === -1) return variableDefinitions(a, offset, path.root);
    const key = path.segs[seg].key;
    if ((path.root === 'hosts' || path.root === 'groups') && seg === 0 && typeof key === 'string') {
      const e = inventoryEntry(a, key);
      return e ? [e] : [];
    }
    // hosts.broker1.vars.broker_name, host.vars.x
    const vars = path.root === 'hosts' ? 2 : path.root === 'host' ? 1 : -1;
    if (seg === vars && path.segs[vars - 1].key === 'vars' && typeof key === 'string') {
      const owner = path.root === 'hosts' ? path.segs[0].key : undefined;
      return variableDefinitions(a, offset, key, typeof owner === 'string' ? owner : undefined);
    }
    return [];
  }
  if (loc.inScalar || loc.on !== 'value' || !loc.token.text) return [];
  const root = a.kind === 'inventory' ? 'inventory' : 'playbook';
  const place = placeOf(loc.path, root, catalog);
  const name = loc.token.text;
  if (place?.names === 'handlers') {
    const h = playAt(a, offset)?.handlers.find((x) => x.name === name);
    return h ? [{ span: h.nameSpan ?? h.span }] : [];
  }
  if (place?.names) {
    const e = inventoryEntry(a, name.replace(/^!/, ''));
    return e ? [e] : [];
  }
  const key = loc.path[loc.path.length - 1];
  const fileParam = place?.module && key === 'src' && place.module.name in LOCAL_SOURCES;
  const inventoryKey = loc.path.length === 1 && key === 'inventory' && root === 'playbook';
  if ((fileParam || inventoryKey) && !name.includes('{{')) {
    if (inventoryKey && a.inventoryPath) return [{ file: a.inventoryPath, span: { start: 0, end: 0 } }];
    return [{ file: localFile(name, playbookPath), span: { start: 0, end: 0 } }];
  }
  return [];
}

import { basename } from 'node:path';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { isLazy, POISON } from '../../../runner/src/runbook/expr.js';
import type { VarDef } from '../../../runner/src/runbook/model.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import { isSecretPlaceholder } from '../../../runner/src/runbook/values.js';
import { scopesAt } from './scopes.js';

const MAX = 160;

/** A value as the editor shows it: YAML-ish, short, secrets never shown. */
export function showValue(v: unknown): string {
  if (v === POISON) return '(invalid: see its definition)';
  if (isSecretPlaceholder(v)) return '(secret)';
  if (isLazy(v)) return `{ ${v.keys().join(', ')} }`;
  if (typeof v === 'string') return v.length > MAX ? `${v.slice(0, MAX)}…` : v;
  if (v === null || v === undefined) return 'null';
  let s: string;
  try {
    s = JSON.stringify(v, (_k, x) => (isSecretPlaceholder(x) ? '(secret)' : x));
  } catch {
    s = String(v);
  }
  return s.length > MAX ? `${s.slice(0, MAX)}…` : s;
}

/** The document a definition is in. */
export function docOf(a: Analysis, def: { file?: string }): RunbookDoc | undefined {
  return def.file === undefined ? a.doc : def.file === a.inventoryPath ? a.inventoryDoc : undefined;
}

/** `playbook vars, line 7` / `host broker1 (inventory.yaml:4)`. */
export function whereDefined(a: Analysis, def: VarDef): string {
  const doc = docOf(a, def);
  const line = def.keySpan && doc ? doc.lines.linePos(def.keySpan.start).line : undefined;
  const at = line === undefined ? '' : def.file ? ` (${basename(def.file)}:${line})` : ` (line ${line})`;
  switch (def.level) {
    case 'playbook':
      return `playbook vars${at}`;
    case 'play':
      return `play vars${def.owner ? ` of '${def.owner}'` : ''}${at}`;
    case 'group':
      return `vars of group ${def.owner}${at}`;
    case 'host':
      return `vars of host ${def.owner}${at}`;
    case 'extra':
      return '-e';
    case 'secret':
      return `secrets${at}`;
  }
}

export interface VariableView {
  name: string;
  /** Per distinct (definition, value): the hosts that see it. */
  views: { hosts: string[]; def?: VarDef; value: string; secret?: string }[];
}

/** What a variable is for each host at the offset: its value and where the winning definition is. */
export function viewVariable(a: Analysis, offset: number, name: string): VariableView | undefined {
  const views: VariableView['views'] = [];
  const secret = a.playbook?.secrets.get(name);
  for (const { host, scope } of scopesAt(a, offset)) {
    const def = scope.definition(name);
    let value: string;
    if (def) {
      const got = scope.lookup(name);
      value = got.found ? showValue(got.value) : '(undefined)';
    } else if (secret) value = '(secret)';
    else continue;
    const same = views.find((v) => v.def === def && v.value === value);
    if (same) {
      if (host) same.hosts.push(host);
    } else {
      views.push({ hosts: host ? [host] : [], ...(def ? { def } : {}), value, ...(!def && secret ? { secret: secret.env ? `env ${secret.env}` : `file ${secret.file}` } : {}) });
    }
  }
  return views.length ? { name, views } : undefined;
}

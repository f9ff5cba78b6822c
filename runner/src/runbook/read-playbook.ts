import { isAlias, isMap, isPair, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { Catalog } from '../modules/index.js';
import { moveSpan, type Reporter, type Span } from './diagnostics.js';
import type { Named, PlayModel, PlaybookModel, SecretDef, TaskModel, VarDefs, VarLevel } from './model.js';
import { asMap, asScalar, asSeq, entries, kindOf, spanOf, type YNode } from './nodes.js';
import { BUILTIN_VARS, handlerKeys, playKeys, playbookKeys, secretKeys, taskKeys } from './schema.js';
import { checkKeys, headSpan, KIND_LABEL } from './structure.js';
import { closest, editDistance, listOf } from './suggest.js';

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Reads a variables mapping into definitions; reports bad names. */
export function readVars(
  doc: Document,
  node: YNode,
  level: VarLevel,
  report: Reporter,
  owner?: string,
  file?: string,
): VarDefs {
  const vars: VarDefs = new Map();
  for (const e of entries(doc, asMap(node))) {
    if (!VAR_NAME.test(e.key)) {
      report({ span: e.keySpan, code: 'bad-variable-name', message: `'${e.key}' is not a valid variable name`, hint: 'use letters, digits and _ (not starting with a digit)' });
      continue;
    }
    if (e.key in BUILTIN_VARS) {
      report({ span: e.keySpan, code: 'reserved-variable', message: `'${e.key}' is a built-in name and cannot be a variable`, hint: BUILTIN_VARS[e.key] });
      continue;
    }
    vars.set(e.key, { name: e.key, level, node: e.value, keySpan: e.keySpan, ...(owner ? { owner } : {}), ...(file ? { file } : {}) });
  }
  return vars;
}

/** A string or a list of strings, each with its span. A comma-separated string is split. */
export function readNames(doc: Document, node: YNode, report: Reporter, what: string, split = false): Named[] {
  const out: Named[] = [];
  const one = (n: YNode) => {
    const s = asScalar(n);
    if (!s || s.value == null || typeof s.value === 'object') {
      report({ span: spanOf(n), code: 'wrong-type', message: `${what} must be a name or a list of names` });
      return;
    }
    const text = String(s.value);
    const span = spanOf(s);
    const offset = s.type === 'PLAIN' ? span.start : span.start + 1;
    if (!split) {
      out.push({ name: text.trim(), span });
      return;
    }
    let at = 0;
    for (const part of text.split(',')) {
      const lead = part.length - part.trimStart().length;
      const name = part.trim();
      if (name) {
        const start = offset + at + lead;
        out.push({ name, span: s.type === 'PLAIN' || s.type === 'QUOTE_SINGLE' || s.type === 'QUOTE_DOUBLE' ? { start, end: start + name.length } : span });
      }
      at += part.length + 1;
    }
  };
  const seq = asSeq(node);
  if (seq) for (const item of seq.items) one(item as YNode);
  else one(node);
  return out;
}

function readSecrets(doc: Document, node: YNode, report: Reporter): Map<string, SecretDef> {
  const secrets = new Map<string, SecretDef>();
  for (const e of entries(doc, asMap(node))) {
    if (!VAR_NAME.test(e.key)) {
      report({ span: e.keySpan, code: 'bad-variable-name', message: `'${e.key}' is not a valid secret name`, hint: 'use letters, digits and _ (not starting with a digit)' });
      continue;
    }
    const m = asMap(e.value);
    if (!m) {
      report({ span: spanOf(e.value, e.keySpan), code: 'wrong-type', message: `secret '${e.key}' must be a mapping: { env: NAME } or { file: path }`, hint: 'secret values are never written in the runbook' });
      continue;
    }
    const list = checkKeys(doc, m, secretKeys, report, `secret '${e.key}'`);
    const env = list.find((x) => x.key === 'env');
    const file = list.find((x) => x.key === 'file');
    if (!env && !file) report({ span: e.keySpan, code: 'missing-required', message: `secret '${e.key}' needs env or file`, hint: '{ env: AMQ_ADMIN_PASSWORD }' });
    if (env && file) report({ span: file.keySpan, code: 'exclusive', message: `secret '${e.key}' takes env or file, not both` });
    secrets.set(e.key, {
      name: e.key,
      keySpan: e.keySpan,
      ...(env && isScalar(env.value) ? { env: String(env.value.value) } : {}),
      ...(file && isScalar(file.value) ? { file: String(file.value.value) } : {}),
    });
  }
  return secrets;
}

function readTask(doc: Document, node: YNode, index: number, handler: boolean, catalog: Catalog, report: Reporter): TaskModel | undefined {
  const map = asMap(node);
  const what = handler ? 'a handler' : 'a task';
  if (!map) {
    report({ span: spanOf(node), code: 'wrong-type', message: `${what} must be a mapping with a name and one module`, hint: '- name: Export the data directory\n  nfs_export: { path: /data }' });
    return undefined;
  }
  const keys = handler ? handlerKeys : taskKeys;
  const moduleKeys: { key: string; span: Span; value: YNode }[] = [];
  const unknown: { key: string; span: Span; value: YNode }[] = [];
  const list = checkKeys(doc, map, keys, report, what, {
    isExtra: () => true,
    skipRequired: true,
  });
  for (const e of list) {
    if (e.key in keys) continue;
    if (catalog.has(e.key)) moduleKeys.push({ key: e.key, span: e.keySpan, value: e.value });
    else unknown.push({ key: e.key, span: e.keySpan, value: e.value });
  }
  for (const u of unknown) {
    const nearModule = closest(u.key, catalog.keys());
    const nearKey = closest(u.key, Object.keys(keys));
    const misplaced = !handler ? undefined : u.key in taskKeys ? u.key : undefined;
    if (misplaced) {
      report({ span: u.span, code: 'unknown-key', message: `'${u.key}' is not allowed in a handler`, hint: 'handlers run when notified; remove it' });
    } else if (nearKey && (!nearModule || editDistance(u.key, nearKey) < editDistance(u.key, nearModule) || (moduleKeys.length > 0 && editDistance(u.key, nearKey) === editDistance(u.key, nearModule)))) {
      report({ span: u.span, code: 'unknown-key', message: `unknown key '${u.key}' in ${what}`, hint: `did you mean '${nearKey}'?`, data: { replace: nearKey } });
    } else if (nearModule || moduleKeys.length === 0) {
      report({
        span: u.span,
        code: 'unknown-module',
        message: `unknown module '${u.key}'`,
        hint: nearModule ? `did you mean '${nearModule}'?` : `modules: ${listOf(catalog.keys(), 15)}`,
        ...(nearModule ? { data: { replace: nearModule } } : {}),
      });
    } else {
      report({ span: u.span, code: 'unknown-key', message: `unknown key '${u.key}' in ${what}`, hint: `keys: ${listOf(Object.keys(keys))}` });
    }
  }
  const nameEntry = list.find((e) => e.key === 'name');
  const nameScalar = asScalar(nameEntry?.value);
  const name = nameScalar && nameScalar.value != null ? String(nameScalar.value) : '';
  if (!name) {
    report({ span: nameEntry ? spanOf(nameEntry.value, nameEntry.keySpan) : headSpan(map, spanOf(map)), code: 'missing-required', message: `${what} is missing 'name'`, hint: 'every task has a unique name, shown when it runs', data: { missing: ['name'] } });
  }
  for (const extra of moduleKeys.slice(1)) {
    report({ span: extra.span, code: 'two-modules', message: `${what} has exactly one module; '${moduleKeys[0].key}' and '${extra.key}' are both here`, hint: 'split it into two tasks' });
  }
  if (moduleKeys.length === 0 && !unknown.length) {
    report({
      span: nameEntry ? nameEntry.keySpan : headSpan(map, spanOf(map)),
      code: 'no-module',
      message: name ? `task '${name}' has no module` : `${what} has no module`,
      hint: `add one of: ${listOf(catalog.keys(), 15)}`,
    });
  }
  const get = (k: string) => list.find((e) => e.key === k)?.value;
  const bool = (k: string) => {
    const s = asScalar(get(k));
    return typeof s?.value === 'boolean' ? s.value : undefined;
  };
  const tagsNode = get('tags');
  return {
    index,
    name,
    ...(nameScalar ? { nameSpan: spanOf(nameScalar) } : {}),
    span: spanOf(map),
    node: map,
    ...(moduleKeys[0] ? { module: moduleKeys[0].key, moduleKeySpan: moduleKeys[0].span } : {}),
    params: moduleKeys[0]?.value,
    notify: get('notify') !== undefined && kindOf(get('notify')) !== 'null' ? readNames(doc, get('notify'), report, 'notify') : [],
    ...(get('when') !== undefined ? { when: get('when') } : {}),
    tags: tagsNode !== undefined && kindOf(tagsNode) !== 'null' ? readNames(doc, tagsNode, report, 'tags', true).map((n) => n.name) : [],
    ...(bool('become') !== undefined ? { become: bool('become') } : {}),
    ignoreErrors: bool('ignore_errors') ?? false,
    handler,
  };
}

function readTasks(doc: Document, node: YNode, handler: boolean, catalog: Catalog, report: Reporter): TaskModel[] {
  const seq = asSeq(node);
  if (!seq) return [];
  const out: TaskModel[] = [];
  seq.items.forEach((item, i) => {
    const t = readTask(doc, item as YNode, i, handler, catalog, report);
    if (t) out.push(t);
  });
  return out;
}

function readSerial(node: YNode, report: Reporter): number | string | undefined {
  const s = asScalar(node);
  if (!s || s.value == null) return undefined;
  if (typeof s.value === 'number' && Number.isInteger(s.value) && s.value >= 1) return s.value;
  if (typeof s.value === 'string' && /^(100|[1-9]\d?)%$/.test(s.value)) return s.value;
  report({ span: spanOf(s), code: 'bad-value', message: `serial must be a number of hosts (1 or more) or a percentage, not '${String(s.value)}'`, hint: 'serial: 1 changes one host at a time' });
  return undefined;
}

function readPlay(doc: Document, node: YNode, index: number, catalog: Catalog, report: Reporter): PlayModel | undefined {
  const map = asMap(node);
  if (!map) {
    report({ span: spanOf(node), code: 'wrong-type', message: `a play must be a mapping with name, hosts and tasks, not ${KIND_LABEL[kindOf(node)]}` });
    return undefined;
  }
  const list = checkKeys(doc, map, playKeys, report, 'a play');
  const get = (k: string) => list.find((e) => e.key === k);
  const name = asScalar(get('name')?.value);
  const hostsEntry = get('hosts');
  const become = asScalar(get('become')?.value);
  const tagsNode = get('tags')?.value;
  const tags = tagsNode !== undefined && kindOf(tagsNode) !== 'null' ? readNames(doc, tagsNode, report, 'tags', true).map((n) => n.name) : [];
  const inherit = (t: TaskModel): TaskModel => ({ ...t, tags: [...new Set([...tags, ...t.tags])] });
  return {
    index,
    name: name && name.value != null ? String(name.value) : '',
    ...(name ? { nameSpan: spanOf(name) } : {}),
    span: spanOf(map),
    node: map,
    hosts: hostsEntry && kindOf(hostsEntry.value) !== 'null' ? readNames(doc, hostsEntry.value, report, 'hosts', true) : [],
    ...(hostsEntry ? { hostsSpan: spanOf(hostsEntry.value, hostsEntry.keySpan) } : {}),
    become: become?.value === true,
    ...(get('serial') ? { serial: readSerial(get('serial')!.value, report) } : {}),
    tags,
    vars: readVars(doc, get('vars')?.value, 'play', report, name ? String(name.value) : undefined),
    tasks: readTasks(doc, get('tasks')?.value, false, catalog, report).map(inherit),
    handlers: readTasks(doc, get('handlers')?.value, true, catalog, report).map(inherit),
  };
}

/** The playbook's model, and every structural problem reported. */
export function readPlaybook(doc: Document, root: YAMLMap, catalog: Catalog, report: Reporter): PlaybookModel {
  const list = checkKeys(doc, root, playbookKeys, report, 'the playbook');
  const get = (k: string) => list.find((e) => e.key === k);
  const name = asScalar(get('name')?.value);
  const inv = get('inventory');
  let inventory: PlaybookModel['inventory'];
  if (inv) {
    const m = asMap(inv.value);
    const s = asScalar(inv.value);
    if (m) inventory = { inline: m, span: spanOf(m) };
    else if (s && typeof s.value === 'string' && s.value.trim()) inventory = { path: s.value, span: spanOf(s) };
  }
  const plays: PlayModel[] = [];
  const seq = asSeq(get('plays')?.value);
  seq?.items.forEach((item, i) => {
    const p = readPlayOnce(doc, item as YNode, i, catalog, report);
    if (p) plays.push(p);
  });
  if (seq && seq.items.length === 0) report({ span: spanOf(seq), code: 'empty', message: 'the playbook has no plays', severity: 'warning' });
  return {
    ...(name && name.value != null ? { name: String(name.value) } : {}),
    ...(inventory ? { inventory } : {}),
    vars: readVars(doc, get('vars')?.value, 'playbook', report),
    secrets: readSecrets(doc, get('secrets')?.value, report),
    plays,
  };
}

type Reported = Parameters<Reporter>[0];

/**
 * A play read before, with what reading it reported. An incremental parse keeps the mapping of a
 * play whose text did not change (moved, when text before it changed): its model and problems are
 * the same, moved by as much.
 */
const readBefore = new WeakMap<YAMLMap, { index: number; at: number; catalog: Catalog; model: PlayModel | undefined; reports: Reported[] }>();

function readPlayOnce(doc: Document, node: YNode, index: number, catalog: Catalog, report: Reporter): PlayModel | undefined {
  const map = asMap(node);
  const at = map?.range?.[0];
  if (!map || at === undefined) return readPlay(doc, node, index, catalog, report);
  const known = readBefore.get(map);
  if (known && known.index === index && known.catalog === catalog) {
    const by = at - known.at;
    if (by !== 0) {
      known.at = at;
      known.model = known.model && movePlay(known.model, by);
      known.reports = known.reports.map((d) => ({ ...d, span: moveSpan(d.span, by) }));
    }
    for (const d of known.reports) report(d);
    return known.model;
  }
  const reports: Reported[] = [];
  const model = readPlay(doc, map, index, catalog, (d) => {
    reports.push(d);
    report(d);
  });
  // What an alias reads lies outside the play: it may change while the play's text does not.
  if (!holdsAlias(map)) readBefore.set(map, { index, at, catalog, model, reports });
  return model;
}

function holdsAlias(node: unknown): boolean {
  if (isAlias(node)) return true;
  if (isMap(node) || isSeq(node)) return node.items.some((item) => (isPair(item) ? holdsAlias(item.key) || holdsAlias(item.value) : holdsAlias(item)));
  return false;
}

const moveNamed = (n: Named, by: number): Named => ({ ...n, span: moveSpan(n.span, by) });

function moveTask(t: TaskModel, by: number): TaskModel {
  return {
    ...t,
    span: moveSpan(t.span, by),
    ...(t.nameSpan ? { nameSpan: moveSpan(t.nameSpan, by) } : {}),
    ...(t.moduleKeySpan ? { moduleKeySpan: moveSpan(t.moduleKeySpan, by) } : {}),
    notify: t.notify.map((n) => moveNamed(n, by)),
  };
}

/** A play's model with every offset moved (its YAML nodes were moved by the parse). */
function movePlay(p: PlayModel, by: number): PlayModel {
  return {
    ...p,
    span: moveSpan(p.span, by),
    ...(p.nameSpan ? { nameSpan: moveSpan(p.nameSpan, by) } : {}),
    ...(p.hostsSpan ? { hostsSpan: moveSpan(p.hostsSpan, by) } : {}),
    hosts: p.hosts.map((h) => moveNamed(h, by)),
    vars: new Map([...p.vars].map(([k, v]) => [k, v.keySpan ? { ...v, keySpan: moveSpan(v.keySpan, by) } : v])),
    tasks: p.tasks.map((t) => moveTask(t, by)),
    handlers: p.handlers.map((t) => moveTask(t, by)),
  };
}

import type { YAMLMap } from 'yaml';
import type { Reporter } from './diagnostics.js';
import type { ConnectionFields, GroupModel, HostModel, InventoryModel, Named } from './model.js';
import type { RunbookDoc } from './parse.js';
import { asMap, entries, kindOf, spanOf, type YNode } from './nodes.js';
import { readNames, readVars } from './read-playbook.js';
import { defaultsKeys, groupKeys, hostKeys, inventoryKeys } from './schema.js';
import { checkKeys, KIND_LABEL } from './structure.js';
import { didYouMean } from './suggest.js';

const HOST_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const FIELD_NAMES = ['address', 'user', 'port', 'identity', 'password', 'become_password', 'connection', 'known_hosts', 'connect_timeout', 'become'] as const;

function readFields(doc: RunbookDoc, map: YAMLMap | undefined): ConnectionFields {
  const out: ConnectionFields = {};
  for (const e of entries(doc.yaml, map)) {
    if ((FIELD_NAMES as readonly string[]).includes(e.key) && kindOf(e.value) !== 'null') out[e.key as keyof ConnectionFields] = e.value;
  }
  return out;
}

/** The inventory's model. `file` is the inventory's path, or undefined when it is inline in the playbook. */
export function readInventory(doc: RunbookDoc, root: YAMLMap, report: Reporter, file?: string): InventoryModel {
  const list = checkKeys(doc.yaml, root, inventoryKeys, report, 'the inventory');
  const get = (k: string) => list.find((e) => e.key === k)?.value;
  const defaultsMap = asMap(get('defaults'));
  if (defaultsMap) checkKeys(doc.yaml, defaultsMap, defaultsKeys, report, 'inventory defaults', { deferExpressions: true });

  const hosts = new Map<string, HostModel>();
  for (const e of entries(doc.yaml, asMap(get('hosts')))) {
    if (!HOST_NAME.test(e.key)) {
      report({ span: e.keySpan, code: 'bad-host-name', message: `'${e.key}' is not a valid host name`, hint: 'use letters, digits, ., - and _' });
      continue;
    }
    const m = asMap(e.value);
    if (!m && kindOf(e.value) !== 'null') {
      report({ span: spanOf(e.value, e.keySpan), code: 'wrong-type', message: `host '${e.key}' must be a mapping such as { address: 192.168.10.192 }, not ${KIND_LABEL[kindOf(e.value)]}` });
    }
    if (m) checkKeys(doc.yaml, m, hostKeys, report, `host '${e.key}'`, { deferExpressions: true });
    hosts.set(e.key, {
      name: e.key,
      keySpan: e.keySpan,
      fields: readFields(doc, m),
      vars: readVars(doc.yaml, entries(doc.yaml, m).find((x) => x.key === 'vars')?.value, 'host', report, e.key, file),
      groups: ['all'],
    });
  }

  const groups = new Map<string, GroupModel>();
  const groupEntries = entries(doc.yaml, asMap(get('groups')));
  for (const e of groupEntries) {
    const m = asMap(e.value);
    if (!m && kindOf(e.value) !== 'null') {
      report({ span: spanOf(e.value, e.keySpan), code: 'wrong-type', message: `group '${e.key}' must be a mapping such as { hosts: [broker1, broker2] }` });
    }
    if (m) checkKeys(doc.yaml, m, groupKeys, report, `group '${e.key}'`);
    if (hosts.has(e.key)) report({ span: e.keySpan, code: 'name-clash', message: `'${e.key}' is both a host and a group`, hint: 'give the group another name' });
    const field = (k: string) => entries(doc.yaml, m).find((x) => x.key === k)?.value;
    const names = (k: string): Named[] => (kindOf(field(k)) === 'list' || kindOf(field(k)) === 'string' ? readNames(doc.yaml, field(k), report, `the ${k} of a group`) : []);
    groups.set(e.key, {
      name: e.key,
      keySpan: e.keySpan,
      hosts: names('hosts'),
      children: names('children'),
      vars: readVars(doc.yaml, field('vars'), 'group', report, e.key, file),
      depth: 1,
      members: [],
    });
  }
  const all = groups.get('all');
  if (all) {
    for (const h of [...all.hosts, ...all.children]) {
      report({ span: h.span, code: 'bad-value', message: "group 'all' always holds every host; list only its vars", severity: 'warning' });
    }
    all.hosts = [];
    all.children = [];
  } else groups.set('all', { name: 'all', hosts: [], children: [], vars: new Map(), depth: 0, members: [] });
  groups.get('all')!.depth = 0;

  for (const g of groups.values()) {
    for (const h of g.hosts) {
      if (!hosts.has(h.name)) {
        report({ span: h.span, code: 'undefined-host', message: `group '${g.name}' lists host '${h.name}', which is not defined`, hint: didYouMean(h.name, hosts.keys(), 'define it under hosts') });
      }
    }
    for (const c of g.children) {
      if (!groups.has(c.name) || c.name === 'all') {
        report({ span: c.span, code: 'undefined-group', message: `group '${g.name}' lists child group '${c.name}', which is not defined`, hint: didYouMean(c.name, groups.keys(), 'define it under groups') });
      }
    }
  }

  // Members through children, with cycle detection; depth = longest parent chain.
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (g: GroupModel, path: string[]): string[] => {
    if (state.get(g.name) === 'done') return g.members;
    if (state.get(g.name) === 'visiting') return [];
    state.set(g.name, 'visiting');
    const members = new Set(g.hosts.map((h) => h.name).filter((h) => hosts.has(h)));
    for (const c of g.children) {
      const child = groups.get(c.name);
      if (!child || child.name === 'all') continue;
      if (path.includes(child.name) || state.get(child.name) === 'visiting') {
        report({ span: c.span, code: 'group-cycle', message: `groups '${g.name}' and '${child.name}' contain each other`, hint: 'children must form a tree' });
        continue;
      }
      for (const m of visit(child, [...path, g.name])) members.add(m);
    }
    g.members = [...members];
    state.set(g.name, 'done');
    return g.members;
  };
  for (const g of groups.values()) if (g.name !== 'all') visit(g, []);
  groups.get('all')!.members = [...hosts.keys()];

  const depthOf = (name: string, seen: Set<string>): number => {
    let d = 1;
    for (const p of groups.values()) {
      if (p.name === 'all' || seen.has(p.name)) continue;
      if (p.children.some((c) => c.name === name)) d = Math.max(d, depthOf(p.name, new Set([...seen, p.name])) + 1);
    }
    return d;
  };
  for (const g of groups.values()) if (g.name !== 'all') g.depth = depthOf(g.name, new Set([g.name]));

  const ordered = [...groups.values()].sort((a, b) => a.depth - b.depth || a.name.localeCompare(b.name));
  for (const h of hosts.values()) h.groups = ordered.filter((g) => g.members.includes(h.name)).map((g) => g.name);

  return { ...(file !== undefined ? { file } : {}), doc, defaults: readFields(doc, defaultsMap), hosts, groups };
}

/** Hosts matched by one pattern: a host, a group, `all`, a glob with `*`, or `!pattern` to exclude. */
export function matchPattern(inv: InventoryModel, pattern: string): string[] | undefined {
  if (inv.groups.has(pattern)) return inv.groups.get(pattern)!.members;
  if (inv.hosts.has(pattern)) return [pattern];
  if (pattern.includes('*')) {
    const re = new RegExp(`^${pattern.split('*').map(escapeRe).join('.*')}$`);
    const out = new Set<string>();
    for (const h of inv.hosts.keys()) if (re.test(h)) out.add(h);
    for (const g of inv.groups.values()) if (re.test(g.name)) g.members.forEach((m) => out.add(m));
    return [...out];
  }
  return undefined;
}

function escapeRe(s: string): string {
  return s.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
}

/** Resolves patterns in inventory order; unknown patterns are returned for reporting. */
export function resolveHosts(inv: InventoryModel, patterns: Named[]): { hosts: string[]; unknown: Named[] } {
  const include = new Set<string>();
  const exclude = new Set<string>();
  const unknown: Named[] = [];
  for (const p of patterns) {
    const neg = p.name.startsWith('!');
    const name = neg ? p.name.slice(1) : p.name;
    const got = matchPattern(inv, name);
    if (!got) {
      unknown.push({ name, span: neg ? { start: p.span.start + 1, end: p.span.end } : p.span });
      continue;
    }
    for (const h of got) (neg ? exclude : include).add(h);
  }
  // Only exclusions (`!broker2`): everything else.
  const onlyExclusions = patterns.length > 0 && patterns.every((p) => p.name.startsWith('!'));
  const hosts = [...inv.hosts.keys()].filter((h) => (onlyExclusions || include.has(h)) && !exclude.has(h));
  return { hosts, unknown };
}

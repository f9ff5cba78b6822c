import { basename } from 'node:path';
import type { Catalog } from '../../../runner/src/modules/index.js';
import { renderModuleDoc, renderParamDoc } from '../../../runner/src/modules/lib/docs.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { EACH_SPECS } from '../../../runner/src/runbook/each.js';
import { FILTERS } from '../../../runner/src/runbook/expr.js';
import { BUILTIN_VARS } from '../../../runner/src/runbook/schema.js';
import { HOST_FIELDS } from './complete-expr.js';
import { exprTarget, segsOf, walkPath } from './expr-at.js';
import { locate } from './locate.js';
import { placeOf } from './place.js';
import { playAt, scopesAt } from './scopes.js';
import type { Hover, Span } from './types.js';
import { showValue, viewVariable, whereDefined } from './variables.js';
import { pushTo } from '../../../runner/src/util/multimap.js';

/** Inline code that survives backticks in the value. */
export function code(s: string): string {
  const fence = s.includes('`') ? '``' : '`';
  return `${fence}${s.includes('`') ? ` ${s} ` : s}${fence}`;
}

/** Hover text at an offset: module and parameter docs, variables, hosts, groups, handlers, filters. */
export function hover(a: Analysis, text: string, offset: number, catalog: Catalog): Hover | null {
  const loc = locate(text, offset);
  const span = loc.token.span;
  const md = (markdown: string | undefined, at: Span = span): Hover | null => (markdown ? { markdown, span: at } : null);
  if (loc.expr) return exprHover(a, text, offset, loc.expr);
  if (loc.inScalar) return null;
  const root = a.kind === 'inventory' ? 'inventory' : 'playbook';
  const name = loc.token.text;
  if (loc.on === 'key') {
    const container = placeOf(loc.path.slice(0, -1), root, catalog);
    if (!container) return null;
    if ((container.map === 'task' || container.map === 'handler') && catalog.has(name)) return md(renderModuleDoc(catalog.get(name)!));
    if (container.keys?.[name]) return md(renderParamDoc(name, container.keys[name]));
    if (container.each && name in EACH_SPECS) return md(renderParamDoc(name, EACH_SPECS[name as keyof typeof EACH_SPECS]));
    if (container.map === 'vars') return md(variableMarkdown(a, offset, name));
    if (container.map === 'hosts') return md(hostMarkdown(a, name));
    if (container.map === 'groups') return md(groupMarkdown(a, name));
    if (container.map === 'secrets') return md(secretMarkdown(a, name));
    return null;
  }
  const place = placeOf(loc.path, root, catalog);
  if (!place || !name) return null;
  if (place.names === 'handlers') return md(handlerMarkdown(a, offset, name));
  if (place.names) {
    const bare = name.replace(/^!/, '');
    return md(a.inventory?.hosts.has(bare) ? hostMarkdown(a, bare) : a.inventory?.groups.has(bare) ? groupMarkdown(a, bare) : undefined);
  }
  if (place.variable !== undefined) return null;
  const key = loc.path[loc.path.length - 1];
  if (place.spec && typeof key === 'string') return md(renderParamDoc(key, place.spec));
  return null;
}

function exprHover(a: Analysis, text: string, offset: number, expr: Span): Hover | null {
  const t = exprTarget(text, expr, offset);
  if (!t) return null;
  if (t.kind === 'filter') return FILTERS[t.name as keyof typeof FILTERS] ? { markdown: `**${t.name}** (filter): ${FILTERS[t.name as keyof typeof FILTERS]}`, span: t.span } : null;
  const { path, seg } = t;
  if (seg === -1) {
    if (path.root in BUILTIN_VARS && !scopesAt(a, offset).some((s) => s.scope.definition(path.root))) {
      return { markdown: `**${path.root}** (built-in): ${BUILTIN_VARS[path.root]}`, span: t.span };
    }
    const m = variableMarkdown(a, offset, path.root) ?? secretMarkdown(a, path.root);
    return m ? { markdown: m, span: t.span } : null;
  }
  const key = path.segs[seg].key;
  if (path.root === 'hosts' && seg === 0 && typeof key === 'string') return a.inventory?.hosts.has(key) ? { markdown: hostMarkdown(a, key)!, span: t.span } : null;
  if (path.root === 'groups' && seg === 0 && typeof key === 'string') return a.inventory?.groups.has(key) ? { markdown: groupMarkdown(a, key)!, span: t.span } : null;
  // Any other path: its value for each host.
  const rows = new Map<string, string[]>();
  for (const { host, scope } of scopesAt(a, offset)) {
    const got = walkPath(scope, path.root, segsOf(path, seg + 1));
    const v = got ? showValue(got.value) : '(undefined)';
    pushTo(rows, v, host ?? '');
  }
  const isField = (path.root === 'host' && seg === 0) || (path.root === 'hosts' && seg === 1);
  const label = `${path.root}${segsOf(path, seg + 1).map((s) => (typeof s === 'number' ? `[${s}]` : typeof s === 'object' ? '[…]' : `.${s}`)).join('')}`;
  const head = `**${label}**${isField && typeof key === 'string' && HOST_FIELDS[key] ? `: ${HOST_FIELDS[key]}` : ''}`;
  return { markdown: `${head}\n\n${valueRows(rows)}`, span: t.span };
}

function valueRows(rows: Map<string, string[]>): string {
  if (rows.size === 1) return code([...rows.keys()][0]);
  return [...rows].map(([v, hosts]) => `- ${hosts.join(', ')}: ${code(v)}`).join('\n');
}

export function variableMarkdown(a: Analysis, offset: number, name: string): string | undefined {
  const view = viewVariable(a, offset, name);
  if (!view) return undefined;
  const head = `**${name}** (variable)`;
  const line = (v: (typeof view.views)[number]) => `${code(v.value)}: ${v.def ? whereDefined(a, v.def) : `secret from ${v.secret}`}`;
  if (view.views.length === 1) return `${head}\n\n${line(view.views[0])}`;
  return `${head}, per host:\n\n${view.views.map((v) => `- ${v.hosts.join(', ')}: ${line(v)}`).join('\n')}`;
}

export function secretMarkdown(a: Analysis, name: string): string | undefined {
  const s = a.playbook?.secrets.get(name);
  if (!s) return undefined;
  return `**${name}** (secret): from ${s.env ? `the environment variable ${code(s.env)}` : `the file ${code(s.file ?? '')}`}; never shown`;
}

export function hostMarkdown(a: Analysis, name: string): string | undefined {
  const h = a.inventory?.hosts.get(name);
  if (!h) return undefined;
  const obj = a.scopes.hostObject(name, undefined);
  const field = (k: string) => {
    const got = obj.get(k);
    return got.found && got.value !== undefined ? showValue(got.value) : undefined;
  };
  const where = a.inventory?.file ? ` (${basename(a.inventory.file)}:${a.inventory.doc.lines.linePos(h.keySpan.start).line})` : '';
  const user = field('user');
  return [`**${name}** (host)${where}`, `address ${code(field('address') ?? name)}, port ${field('port') ?? 22}${user ? `, user ${code(user)}` : ''}`, `groups: ${h.groups.join(', ')}`].join('\n\n');
}

export function groupMarkdown(a: Analysis, name: string): string | undefined {
  const g = a.inventory?.groups.get(name);
  if (!g) return undefined;
  const parts = [`**${name}** (group)`, g.members.length ? `hosts: ${g.members.join(', ')}` : 'no hosts'];
  if (g.children.length) parts.push(`children: ${g.children.map((c) => c.name).join(', ')}`);
  if (g.vars.size) parts.push(`vars: ${[...g.vars.keys()].join(', ')}`);
  return parts.join('\n\n');
}

export function handlerMarkdown(a: Analysis, offset: number, name: string): string | undefined {
  const play = playAt(a, offset);
  const h = play?.handlers.find((x) => x.name === name);
  if (!play || !h) return undefined;
  const by = play.tasks.filter((t) => t.notify.some((n) => n.name === name)).map((t) => t.name);
  const line = a.doc.lines.linePos(h.span.start).line;
  return `**${name}** (handler${h.module ? `, ${h.module}` : ''}, line ${line})\n\nruns at the end of play '${play.name}' when one of these changed something: ${by.join(', ') || 'no task notifies it'}`;
}

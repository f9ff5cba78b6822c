import type { Catalog } from '../../../runner/src/modules/index.js';
import { renderModuleDoc, renderParamDoc } from '../../../runner/src/modules/lib/docs.js';
import { typeLabel, typesOf, type ParamSpec } from '../../../runner/src/modules/lib/params.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { EACH_SPECS } from '../../../runner/src/runbook/each.js';
import { completeExpression } from './complete-expr.js';
import { locate, type Location } from './locate.js';
import { placeOf, type Place } from './place.js';
import { hostsAt, playAt } from './scopes.js';
import { moduleSnippet, taskSnippet } from './snippets.js';
import type { Completion, Span } from './types.js';
import { showValue, whereDefined } from './variables.js';

/**
 * Completions at an offset of `text` (the document as it is now, possibly newer than the analysis,
 * which supplies the names: variables, hosts, handlers).
 */
export function complete(a: Analysis, text: string, offset: number, catalog: Catalog): Completion[] {
  const loc = locate(text, offset);
  if (loc.expr) return completeExpression(a, text, offset, loc.expr);
  if (loc.inScalar) return [];
  const root = a.kind === 'inventory' ? 'inventory' : 'playbook';
  if (loc.on === 'key') {
    const container = placeOf(loc.path.slice(0, -1), root, catalog);
    if (!container) return [];
    if (loc.bare && !container.map) return values(a, offset, loc, container);
    return keys(a, text, offset, loc, container, catalog);
  }
  const place = placeOf(loc.path, root, catalog);
  return place ? values(a, offset, loc, place) : [];
}

function specDetail(spec: ParamSpec): string {
  const parts = [typeLabel(spec)];
  if (spec.required) parts.push('required');
  if (spec.default !== undefined) parts.push(`default ${typeof spec.default === 'string' ? spec.default : JSON.stringify(spec.default)}`);
  return parts.join(', ');
}

/** What follows a key typed on a new line, so the value can be written straight away. */
function keyInsert(key: string, spec: ParamSpec, loc: Location): string {
  if (loc.flow) return `${key}: `;
  const pad = ' '.repeat(loc.column + 2);
  const types = typesOf(spec);
  const listOfMaps = types.includes('list') && !!spec.items?.fields && !typesOf(spec.items).includes('string');
  if (listOfMaps) return `${key}:\n${pad}- `;
  if (types.includes('map') && !types.includes('string') && !types.includes('path')) return `${key}:\n${pad}`;
  return `${key}: `;
}

function followedByColon(text: string, span: Span): boolean {
  return /^[ \t]*:/.test(text.slice(span.end, span.end + 40));
}

function keys(a: Analysis, text: string, offset: number, loc: Location, place: Place, catalog: Catalog): Completion[] {
  const replace = loc.token.span;
  const present = new Set(loc.siblings);
  const nameOnly = followedByColon(text, replace);
  const out: Completion[] = [];
  // An item written once for many: its own three keys; an empty item may start one.
  const keySpecs = place.each && present.has('for_each') ? EACH_SPECS : place.each && present.size === 0 ? { ...place.keys, for_each: EACH_SPECS.for_each } : place.keys;
  if (keySpecs) {
    for (const [key, spec] of Object.entries(keySpecs)) {
      if (present.has(key)) continue;
      const isParam = place.map === 'params';
      const listKey = !isParam && (key === 'tasks' || key === 'handlers' || key === 'plays');
      const insert = nameOnly ? key : listKey && !loc.flow ? `${key}:\n${' '.repeat(loc.column + 2)}- ` : keyInsert(key, spec, loc);
      out.push({
        label: key,
        kind: isParam ? 'param' : 'key',
        detail: specDetail(spec),
        documentation: renderParamDoc(key, spec),
        insert,
        replace,
        sort: `${spec.required ? 0 : 1}${key}`,
      });
    }
  }
  if (place.map === 'task' || place.map === 'handler') {
    const hasModule = loc.siblings.some((k) => catalog.has(k));
    if (!hasModule) {
      for (const m of catalog.values()) {
        const snippet = !nameOnly && !loc.flow;
        out.push({
          label: m.name,
          kind: 'module',
          detail: m.summary,
          documentation: renderModuleDoc(m),
          insert: snippet ? moduleSnippet(m, loc.column).text : m.name,
          ...(snippet ? { snippet: true } : {}),
          replace,
          sort: `2${m.name}`,
        });
      }
    }
    const empty = loc.siblings.length === 0;
    if (empty && !nameOnly && !loc.flow) {
      for (const m of catalog.values()) {
        out.push({ label: `${m.name} task`, kind: 'snippet', detail: `a whole task: ${m.summary}`, documentation: renderModuleDoc(m), insert: taskSnippet(m, loc.column), snippet: true, replace, sort: `3${m.name}` });
      }
    }
  }
  if (place.map === 'vars' && place.level !== 'playbook') {
    // Overriding a variable defined elsewhere: offer the names already known.
    const seen = new Set<string>();
    const { play, hosts } = hostsAt(a, offset);
    for (const host of hosts.length ? hosts : [undefined]) {
      const scope = a.scopes.scope(host, play);
      for (const name of scope.varNames()) {
        if (seen.has(name) || present.has(name)) continue;
        seen.add(name);
        const def = scope.definition(name)!;
        const got = scope.lookup(name);
        out.push({ label: name, kind: 'variable', detail: got.found ? showValue(got.value) : undefined, documentation: `defined in ${whereDefined(a, def)}`, insert: nameOnly ? name : `${name}: `, replace, sort: `1${name}` });
      }
    }
  }
  return out;
}

function values(a: Analysis, offset: number, loc: Location, place: Place): Completion[] {
  let replace = loc.token.span;
  const out: Completion[] = [];
  const add = (c: Omit<Completion, 'replace'>) => out.push({ ...c, replace });
  if (place.names) {
    if (loc.token.text.startsWith('!')) replace = { start: replace.start + 1, end: replace.end };
    const inv = a.inventory;
    if (place.names === 'hosts' || place.names === 'patterns') {
      for (const h of inv?.hosts.values() ?? []) {
        const address = a.scopes.hostObject(h.name, undefined).get('address');
        add({ label: h.name, kind: 'host', detail: address.found ? String(address.value) : undefined, documentation: `groups: ${h.groups.join(', ')}` });
      }
    }
    if (place.names === 'groups' || place.names === 'patterns') {
      for (const g of inv?.groups.values() ?? []) {
        if (place.names === 'groups' && g.name === 'all') continue;
        add({ label: g.name, kind: 'group', detail: `${g.members.length} host${g.members.length === 1 ? '' : 's'}`, documentation: g.members.length ? `hosts: ${g.members.join(', ')}` : 'no hosts' });
      }
    }
    if (place.names === 'handlers') {
      for (const h of playAt(a, offset)?.handlers ?? []) {
        if (h.name) add({ label: h.name, kind: 'handler', detail: h.module ? `handler: ${h.module}` : 'handler' });
      }
    }
    return out;
  }
  const spec = place.spec;
  if (!spec) return out;
  for (const c of spec.choices ?? []) add({ label: c, kind: 'value', detail: spec.description, sort: c === spec.default ? `0${c}` : `1${c}` });
  if (typesOf(spec).includes('bool')) {
    for (const b of ['true', 'false']) add({ label: b, kind: 'value', detail: spec.description, sort: String(spec.default) === b ? `0${b}` : `1${b}` });
  }
  return out;
}

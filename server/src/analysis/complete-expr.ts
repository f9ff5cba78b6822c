import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { FILTERS, parseExpr } from '../../../runner/src/runbook/expr.js';
import { BUILTIN_VARS, hostKeys } from '../../../runner/src/runbook/schema.js';
import { keysOf, segsOf, walkPath } from './expr-at.js';
import { scopesAt } from './scopes.js';
import type { Completion, Span } from './types.js';
import { showValue, whereDefined } from './variables.js';

/** What `host.X` and `hosts.NAME.X` hold. */
export const HOST_FIELDS: Readonly<Record<string, string>> = {
  name: 'the host name in the inventory',
  address: hostKeys.address.description,
  port: hostKeys.port.description,
  user: hostKeys.user.description,
  groups: 'the groups the host is in, all first',
  vars: 'the variables the host sees: hosts.broker1.vars.broker_name',
};

/** Completions inside `{{ }}`: variable names, paths below host/hosts/groups/maps, filters. */
export function completeExpression(a: Analysis, text: string, offset: number, expr: Span): Completion[] {
  const src = text.slice(expr.start, offset);
  let end = offset;
  while (end < expr.end && /[\w-]/.test(text[end])) end++;
  const replaceFrom = (partial: string): Span => ({ start: offset - partial.length, end });

  const filter = /\|\s*([A-Za-z_]\w*)?$/.exec(src);
  if (filter) {
    const replace = replaceFrom(filter[1] ?? '');
    return Object.entries(FILTERS).map(([name, doc]) => ({ label: name, kind: 'filter', detail: 'filter', documentation: doc, replace }));
  }

  const scopes = scopesAt(a, offset);
  const member = /([A-Za-z_][\w-]*(?:\s*\.\s*[\w-]+|\s*\[[^\]]*\])*)\s*\.\s*([\w-]*)$/.exec(src);
  if (member) {
    const parsed = parseExpr(member[1]);
    if ('code' in parsed || parsed.kind !== 'path') return [];
    const replace = replaceFrom(member[2]);
    const shape = parsed.root === 'host' ? parsed.segs.length : parsed.root === 'hosts' ? parsed.segs.length - 1 : undefined;
    const seen = new Map<string, Completion>();
    for (const { scope } of scopes) {
      const got = walkPath(scope, parsed.root, segsOf(parsed));
      if (!got) continue;
      for (const k of keysOf(got.value)) {
        if (seen.has(k)) continue;
        let c: Completion;
        if (parsed.root === 'hosts' && parsed.segs.length === 0) {
          const addr = walkPath(scope, 'hosts', [k, 'address']);
          c = { label: k, kind: 'host', detail: addr ? showValue(addr.value) : undefined, replace };
        } else if (parsed.root === 'groups' && parsed.segs.length === 0) {
          const members = walkPath(scope, 'groups', [k]);
          c = { label: k, kind: 'group', detail: members ? showValue(members.value) : undefined, replace };
        } else if (shape === 0) {
          c = { label: k, kind: 'field', detail: HOST_FIELDS[k], replace };
        } else {
          const v = walkPath(scope, parsed.root, [...segsOf(parsed), k]);
          const isVars = parsed.segs.length > 0 && parsed.segs[parsed.segs.length - 1].key === 'vars' && shape === 1;
          c = { label: k, kind: isVars ? 'variable' : 'field', detail: v ? showValue(v.value) : undefined, replace };
        }
        seen.set(k, c);
      }
    }
    return [...seen.values()];
  }

  const root = /(?:^|[^\w.\]-])([A-Za-z_][\w-]*)?$/.exec(src);
  if (!root) return [];
  const replace = replaceFrom(root[1] ?? '');
  const out = new Map<string, Completion>();
  for (const { scope } of scopes) {
    for (const name of scope.varNames()) {
      if (out.has(name)) continue;
      const def = scope.definition(name);
      const got = scope.lookup(name);
      out.set(name, {
        label: name,
        kind: 'variable',
        detail: got.found ? showValue(got.value) : undefined,
        ...(def ? { documentation: `defined in ${whereDefined(a, def)}` } : {}),
        replace,
        sort: `0${name}`,
      });
    }
  }
  for (const [name, s] of a.playbook?.secrets ?? []) {
    if (!out.has(name)) out.set(name, { label: name, kind: 'variable', detail: '(secret)', documentation: `a secret from ${s.env ? `the environment variable ${s.env}` : `the file ${s.file}`}`, replace, sort: `0${name}` });
  }
  for (const [name, doc] of Object.entries(BUILTIN_VARS)) {
    if (!out.has(name)) out.set(name, { label: name, kind: 'variable', detail: 'built-in', documentation: doc, replace, sort: `1${name}` });
  }
  return [...out.values()];
}

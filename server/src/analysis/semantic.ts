import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { Expr } from '../../../runner/src/runbook/expr.js';
import type { InventoryModel, Named } from '../../../runner/src/runbook/model.js';
import { BUILTIN_VARS } from '../../../runner/src/runbook/schema.js';
import type { TOKEN_MODIFIERS, TOKEN_TYPES } from '../capabilities.js';
import { expressionsIn, type PathExpr } from './expressions.js';
import { varLayers } from './occurrences.js';

export type TokenType = (typeof TOKEN_TYPES)[number];
export type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

/** A coloured range of one line. */
export interface Token {
  start: number;
  end: number;
  type: TokenType;
  modifiers: TokenModifier[];
}

/**
 * Semantic colours: inside `{{ }}` variables, their fields, filters and literals (secrets apart, as
 * read-only `secret` variables; host, hosts and groups as built-ins); module names; handlers in
 * `notify` and where they are named; hosts (classes) and groups (namespaces) where plays and groups
 * name them and where the inventory defines them; variable and secret definitions.
 */
export function semanticTokens(a: Analysis): Token[] {
  let kept = computed.get(a);
  if (!kept) computed.set(a, (kept = tokensOf(a)));
  return kept;
}

/** Tokens by analysis: a range request after the full one, or a second client, costs nothing. */
const computed = new WeakMap<Analysis, Token[]>();

function tokensOf(a: Analysis): Token[] {
  const text = a.doc.text;
  const out: Token[] = [];
  const add = (start: number, end: number, type: TokenType, modifiers: TokenModifier[] = []) => {
    if (end > start) {
      const nl = text.indexOf('\n', start);
      if (nl < 0 || nl >= end) out.push({ start, end, type, modifiers });
    }
  };
  const secrets = a.playbook?.secrets;
  const variables = new Set([...varLayers(a).flatMap((l) => [...l.keys()]), ...a.extraVars.keys()]);
  const isVariable = (name: string) => variables.has(name);
  const rootModifiers = (name: string): TokenModifier[] =>
    name in BUILTIN_VARS ? ['defaultLibrary'] : secrets?.has(name) && !isVariable(name) ? ['readonly', 'secret'] : [];
  const inv = a.inventory;
  // Offsets inside an expression are relative to its scalar: `b` is where that starts.
  const path = (p: PathExpr, b: number) => {
    add(b + p.start, b + p.start + p.root.length, 'variable', rootModifiers(p.root));
    p.segs.forEach((s, i) => {
      if (s.ref) return expr(s.ref, b);
      if (typeof s.key === 'number') return add(b + s.start, b + s.end, 'number');
      const entry = i === 0 && (p.root === 'hosts' || p.root === 'groups');
      const isVar = (p.root === 'host' && i === 1) || (p.root === 'hosts' && i === 2);
      if (entry) add(b + s.start, b + s.end, p.root === 'hosts' ? 'class' : 'namespace');
      else if (isVar && p.segs[i - 1].key === 'vars') add(b + s.start, b + s.end, 'variable', rootModifiers(String(s.key)));
      else add(b + s.start, b + s.end, 'property');
    });
  };
  const expr = (e: Expr, b: number): void => {
    switch (e.kind) {
      case 'path':
        return path(e, b);
      case 'literal':
        return add(b + e.start, b + e.end, typeof e.value === 'string' ? 'string' : typeof e.value === 'number' ? 'number' : 'keyword');
      case 'filter':
        expr(e.input, b);
        add(b + e.nameStart, b + e.nameStart + e.name.length, 'function', ['defaultLibrary']);
        return e.args.forEach((x) => expr(x, b));
    }
  };
  for (const x of expressionsIn(a.doc)) if (x.expr) expr(x.expr, x.base);

  const hostOrGroup = (n: Named, inventory: InventoryModel | undefined) => {
    const name = n.name.replace(/^!/, '');
    const start = n.span.end - name.length;
    if (inventory?.hosts.has(name)) add(start, n.span.end, 'class');
    else if (inventory?.groups.has(name)) add(start, n.span.end, 'namespace');
  };
  const definition = (span: { start: number; end: number } | undefined, type: TokenType, modifiers: TokenModifier[] = []) => span && add(span.start, span.end, type, ['declaration', ...modifiers]);
  for (const play of a.playbook?.plays ?? []) {
    for (const n of play.hosts) hostOrGroup(n, inv);
    for (const t of [...play.tasks, ...play.handlers]) {
      if (t.moduleKeySpan) add(t.moduleKeySpan.start, t.moduleKeySpan.end, 'type', ['defaultLibrary']);
      for (const n of t.notify) add(n.span.start, n.span.end, 'event');
    }
    for (const h of play.handlers) definition(h.nameSpan, 'event');
    for (const d of play.vars.values()) definition(d.keySpan, 'variable');
  }
  for (const d of a.playbook?.vars.values() ?? []) definition(d.keySpan, 'variable');
  for (const s of secrets?.values() ?? []) definition(s.keySpan, 'variable', ['readonly', 'secret']);
  // The inventory, when it is written in this document (inline, or the document is one).
  if (inv && inv.doc === a.doc) {
    for (const h of inv.hosts.values()) {
      definition(h.keySpan, 'class');
      for (const d of h.vars.values()) definition(d.keySpan, 'variable');
    }
    for (const g of inv.groups.values()) {
      definition(g.keySpan, 'namespace');
      for (const d of g.vars.values()) definition(d.keySpan, 'variable');
      for (const n of [...g.hosts, ...g.children]) hostOrGroup(n, inv);
    }
  }
  out.sort((x, y) => x.start - y.start || y.end - x.end);
  // No overlaps: the first of two that overlap stays.
  const kept: Token[] = [];
  for (const t of out) if (!kept.length || t.start >= kept[kept.length - 1].end) kept.push(t);
  return kept;
}

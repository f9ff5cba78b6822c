import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import type { Expr } from '../../../runner/src/runbook/expr.js';
import type { YAMLMap } from 'yaml';
import type { InventoryModel, Named, PlayModel } from '../../../runner/src/runbook/model.js';
import { BUILTIN_VARS } from '../../../runner/src/runbook/schema.js';
import type { TOKEN_MODIFIERS, TOKEN_TYPES } from '../capabilities.js';
import { expressionsIn, playExpressions, type PathExpr } from './expressions.js';
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

/**
 * A play's tokens, by its node: an incremental parse keeps the node of a play whose text did not
 * change, so after an edit only the edited play is coloured again (the others are moved). `names`
 * is what else decides the colours: the secrets, variables, hosts and groups there are.
 */
const byPlay = new WeakMap<YAMLMap, { length: number; start: number; names: string; tokens: Token[] }>();

/** What decides colours beyond the text: which names are secrets, variables, hosts and groups. */
interface Names {
  secrets: ReadonlySet<string>;
  variables: ReadonlySet<string>;
  inventory?: InventoryModel;
  /** All of it as one string, to tell whether a play's remembered tokens still hold. */
  key: string;
}

/** Tokens of a part of the document, in order and without overlaps. */
class Colours {
  readonly out: Token[] = [];

  constructor(
    private readonly text: string,
    private readonly names: Names,
  ) {}

  add(start: number, end: number, type: TokenType, modifiers: readonly TokenModifier[] = NONE): void {
    if (end <= start) return;
    const nl = this.text.indexOf('\n', start);
    if (nl < 0 || nl >= end) this.out.push({ start, end, type, modifiers: modifiers as TokenModifier[] });
  }

  private rootModifiers(name: string): readonly TokenModifier[] {
    return name in BUILTIN_VARS ? LIBRARY : this.names.secrets.has(name) && !this.names.variables.has(name) ? SECRET : NONE;
  }

  /** Offsets inside an expression are relative to its scalar: `b` is where that starts. */
  expr(e: Expr, b: number): void {
    switch (e.kind) {
      case 'path':
        return this.path(e, b);
      case 'literal':
        return this.add(b + e.start, b + e.end, typeof e.value === 'string' ? 'string' : typeof e.value === 'number' ? 'number' : 'keyword');
      case 'filter':
        this.expr(e.input, b);
        this.add(b + e.nameStart, b + e.nameStart + e.name.length, 'function', LIBRARY);
        for (const x of e.args) this.expr(x, b);
    }
  }

  private path(p: PathExpr, b: number): void {
    this.add(b + p.start, b + p.start + p.root.length, 'variable', this.rootModifiers(p.root));
    p.segs.forEach((s, i) => {
      if (s.ref) return this.expr(s.ref, b);
      if (typeof s.key === 'number') return this.add(b + s.start, b + s.end, 'number');
      const entry = i === 0 && (p.root === 'hosts' || p.root === 'groups');
      const isVar = (p.root === 'host' && i === 1) || (p.root === 'hosts' && i === 2);
      if (entry) this.add(b + s.start, b + s.end, p.root === 'hosts' ? 'class' : 'namespace');
      else if (isVar && p.segs[i - 1].key === 'vars') this.add(b + s.start, b + s.end, 'variable', this.rootModifiers(String(s.key)));
      else this.add(b + s.start, b + s.end, 'property');
    });
  }

  hostOrGroup(n: Named): void {
    const name = n.name.replace(/^!/, '');
    const start = n.span.end - name.length;
    if (this.names.inventory?.hosts.has(name)) this.add(start, n.span.end, 'class');
    else if (this.names.inventory?.groups.has(name)) this.add(start, n.span.end, 'namespace');
  }

  definition(span: { start: number; end: number } | undefined, type: TokenType, modifiers: readonly TokenModifier[] = DECLARATION): void {
    if (span) this.add(span.start, span.end, type, modifiers);
  }

  play(play: PlayModel): void {
    for (const n of play.hosts) this.hostOrGroup(n);
    for (const t of [...play.tasks, ...play.handlers]) {
      if (t.moduleKeySpan) this.add(t.moduleKeySpan.start, t.moduleKeySpan.end, 'type', LIBRARY);
      for (const n of t.notify) this.add(n.span.start, n.span.end, 'event');
    }
    for (const h of play.handlers) this.definition(h.nameSpan, 'event');
    for (const d of play.vars.values()) this.definition(d.keySpan, 'variable');
  }

  /** The tokens in order; of two that overlap, the first stays. */
  sorted(): Token[] {
    this.out.sort((x, y) => x.start - y.start || y.end - x.end);
    const kept: Token[] = [];
    for (const t of this.out) if (!kept.length || t.start >= kept[kept.length - 1].end) kept.push(t);
    return kept;
  }
}

const NONE: readonly TokenModifier[] = [];
const LIBRARY: readonly TokenModifier[] = ['defaultLibrary'];
const SECRET: readonly TokenModifier[] = ['readonly', 'secret'];
const DECLARATION: readonly TokenModifier[] = ['declaration'];
const SECRET_DECLARATION: readonly TokenModifier[] = ['declaration', 'readonly', 'secret'];

/** A play's tokens: remembered by its node while it and the names are unchanged. */
function playTokens(a: Analysis, play: PlayModel, names: Names): Token[] {
  const node = play.node;
  const [start, end] = node.range!;
  const known = byPlay.get(node);
  if (known && known.length === end - start && known.names === names.key) {
    if (known.start !== start) {
      const by = start - known.start;
      known.tokens = known.tokens.map((t) => ({ ...t, start: t.start + by, end: t.end + by }));
      known.start = start;
    }
    return known.tokens;
  }
  const c = new Colours(a.doc.text, names);
  for (const x of playExpressions(a.doc.text, node)) if (x.expr) c.expr(x.expr, x.base);
  c.play(play);
  const tokens = c.sorted();
  byPlay.set(node, { length: end - start, start, names: names.key, tokens });
  return tokens;
}

function tokensOf(a: Analysis): Token[] {
  const secrets = new Set(a.playbook?.secrets.keys() ?? []);
  const variables = new Set([...varLayers(a).flatMap((l) => [...l.keys()]), ...a.extraVars.keys()]);
  const inv = a.inventory;
  const key = [[...secrets], [...variables], [...(inv?.hosts.keys() ?? [])], [...(inv?.groups.keys() ?? [])]].map((l) => l.join(',')).join('|');
  const names: Names = { secrets, variables, ...(inv ? { inventory: inv } : {}), key };
  const plays = a.playbook?.plays.filter((p) => p.node.range) ?? [];
  // Outside the plays: the expressions there, the definitions of variables and secrets, an inline inventory.
  const outside = new Colours(a.doc.text, names);
  let j = 0;
  for (const x of expressionsIn(a.doc)) {
    while (j < plays.length && plays[j].node.range![1] <= x.base) j++;
    const inPlay = j < plays.length && plays[j].node.range![0] <= x.base;
    if (x.expr && !inPlay) outside.expr(x.expr, x.base);
  }
  for (const d of a.playbook?.vars.values() ?? []) outside.definition(d.keySpan, 'variable');
  for (const s of a.playbook?.secrets.values() ?? []) outside.definition(s.keySpan, 'variable', SECRET_DECLARATION);
  if (inv && inv.doc === a.doc) {
    for (const h of inv.hosts.values()) {
      outside.definition(h.keySpan, 'class');
      for (const d of h.vars.values()) outside.definition(d.keySpan, 'variable');
    }
    for (const g of inv.groups.values()) {
      outside.definition(g.keySpan, 'namespace');
      for (const d of g.vars.values()) outside.definition(d.keySpan, 'variable');
      for (const n of [...g.hosts, ...g.children]) outside.hostOrGroup(n);
    }
  }
  // Merged in order: the plays follow one another; what is outside them falls between.
  const rest = outside.sorted();
  const out: Token[] = [];
  let i = 0;
  for (const p of plays) {
    const start = p.node.range![0];
    while (i < rest.length && rest[i].start < start) out.push(rest[i++]);
    for (const t of playTokens(a, p, names)) out.push(t);
  }
  while (i < rest.length) out.push(rest[i++]);
  return out;
}

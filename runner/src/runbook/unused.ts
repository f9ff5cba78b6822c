import { isAlias, isMap, isScalar, isSeq, type Document, type YAMLMap } from 'yaml';
import type { Reporter } from './diagnostics.js';
import { hasExpr, parsedTemplate, pathsIn } from './expr.js';
import type { PlaybookModel } from './model.js';
import { deref, type YNode } from './nodes.js';
import { closest } from './suggest.js';

/** Names the engine reads besides expressions: `root` moves every path of a host (the cluster rules compare paths below it). */
const READ_BY_THE_ENGINE = new Set(['root']);

/** Every variable name an expression in the text reads (the first name of each path). */
export function namesReadIn(text: string, into: Set<string> = new Set()): Set<string> {
  if (!hasExpr(text)) return into;
  for (const seg of parsedTemplate(text)) {
    if (seg.kind !== 'expr') continue;
    if (seg.expr) for (const p of pathsIn(seg.expr)) into.add(p.root);
    // An expression that does not parse (reported where it is) may still mean to read these names.
    else for (const m of seg.source.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) into.add(m[0]);
  }
  return into;
}

/** Names read below a mapping that held no alias: an incremental parse keeps an unedited play's mapping. */
const readBelow = new WeakMap<YAMLMap, Set<string>>();

/** Returns whether an alias was met (what it reads can change without this node changing). */
function walk(doc: Document, node: YNode, into: Set<string>): boolean {
  if (!node) return false;
  if (isAlias(node)) {
    walk(doc, deref(doc, node), into);
    return true;
  }
  if (isScalar(node)) {
    if (typeof node.value === 'string') namesReadIn(node.value, into);
    return false;
  }
  let aliased = false;
  if (isSeq(node)) for (const item of node.items) aliased = walk(doc, item as YNode, into) || aliased;
  else if (isMap(node)) {
    const known = readBelow.get(node);
    if (known) {
      for (const n of known) into.add(n);
      return false;
    }
    const own = new Set<string>();
    for (const p of node.items) {
      if (isAlias(p.key)) aliased = true;
      aliased = walk(doc, p.value as YNode, own) || aliased;
    }
    if (!aliased) readBelow.set(node, own);
    for (const n of own) into.add(n);
  }
  return aliased;
}

export interface UsageInput {
  playbook: PlaybookModel;
  docs: Document[];
  /** The text of every template a task renders (read from the controller). */
  templates: string[];
}

/** Variables and secrets the playbook declares but nothing reads: warnings, with did-you-mean toward a name that is read. */
export function checkUnused(u: UsageInput, report: Reporter): void {
  const read = new Set<string>(READ_BY_THE_ENGINE);
  for (const d of u.docs) walk(d, d.contents as YNode, read);
  for (const t of u.templates) namesReadIn(t, read);
  const declared: (readonly [{ name: string; keySpan?: { start: number; end: number } }, 'variable' | 'secret'])[] = [
    ...[...u.playbook.vars.values()].map((v) => [v, 'variable'] as const),
    ...u.playbook.plays.flatMap((p) => [...p.vars.values()].map((v) => [v, 'variable'] as const)),
    ...[...u.playbook.secrets.values()].map((s) => [s, 'secret'] as const),
  ];
  const names = new Set(declared.map(([d]) => d.name));
  // A misspelt read of a declared name is reported as undefined, with the declared name as the fix.
  const undeclared = [...read].filter((n) => !names.has(n));
  for (const [d, what] of declared) {
    if (read.has(d.name) || !d.keySpan) continue;
    if (undeclared.length && closest(d.name, undeclared)) continue;
    const near = closest(d.name, [...read]);
    report({
      span: d.keySpan,
      code: what === 'secret' ? 'unused-secret' : 'unused-variable',
      severity: 'warning',
      message: `${what} '${d.name}' is never used`,
      hint: near ? `did you mean '${near}'?` : `remove it, or use it as "{{ ${d.name} }}"`,
    });
  }
}

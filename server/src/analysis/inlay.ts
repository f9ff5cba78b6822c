import type { Catalog } from '../../../runner/src/modules/index.js';
import type { ParamSpec } from '../../../runner/src/modules/lib/params.js';
import type { Analysis } from '../../../runner/src/runbook/analyze.js';
import { evaluate, isLazy, POISON } from '../../../runner/src/runbook/expr.js';
import { asMap, entries } from '../../../runner/src/runbook/nodes.js';
import { expressionsIn, exprSpan } from './expressions.js';
import { scopesAt } from './scopes.js';
import type { Span } from './types.js';
import { pushTo } from '../../../runner/src/util/multimap.js';

export interface Hint {
  /** Offset the hint is shown at. */
  at: number;
  label: string;
  /** Markdown. */
  tooltip: string;
  kind: 'value' | 'default';
}

const WIDTH = 40;
const MAX_VALUES = 4;
const SECRET = /\uE000secret:[A-Za-z_][A-Za-z0-9_]*\uE000/g;

const cut = (s: string, width = WIDTH) => (s.length > width ? `${s.slice(0, width - 1)}…` : s);

/** A value on one short line; secrets as dots. */
export function hintValue(v: unknown): string {
  if (v === POISON) return '?';
  let s: string;
  if (typeof v === 'string') s = v === '' ? '""' : v;
  else if (v === null || v === undefined) s = 'null';
  else if (typeof v === 'object') {
    try {
      s = isLazy(v) ? '{…}' : JSON.stringify(v);
    } catch {
      s = String(v);
    }
  } else s = String(v);
  return cut(s.replace(SECRET, '••••').replace(/\s*\n\s*/g, ' '));
}

/** What each host of the play makes of the expressions in the range, after each `}}`. */
function valueHints(a: Analysis, range: Span): Hint[] {
  const out: Hint[] = [];
  for (const x of expressionsIn(a.doc)) {
    const span = exprSpan(x);
    if (span.start < range.start || span.start > range.end || !x.expr) continue;
    const byValue = new Map<string, string[]>();
    for (const { host, scope } of scopesAt(a, span.start)) {
      let got: ReturnType<typeof evaluate>;
      try {
        got = evaluate(x.expr, scope);
      } catch {
        continue;
      }
      if (!got.ok) continue;
      const shown = hintValue(got.value);
      pushTo(byValue, shown, host ?? '');
    }
    if (!byValue.size) continue;
    const values = [...byValue.keys()];
    const label = values.length > MAX_VALUES ? `${values.slice(0, MAX_VALUES - 1).join(' · ')} · …` : values.join(' · ');
    const tooltip = values.length === 1 ? `\`${values[0]}\`${byValue.get(values[0])![0] ? ` on ${byValue.get(values[0])!.join(', ')}` : ''}` : [...byValue].map(([v, hosts]) => `- ${hosts.join(', ')}: \`${v}\``).join('\n');
    out.push({ at: span.end, label, tooltip, kind: 'value' });
  }
  return out;
}

/** A default worth showing: a concrete address, port, path or size (not a choice, a flag or an empty list). */
function shownDefault(spec: ParamSpec): string | undefined {
  const d = spec.default;
  if (spec.choices || (typeof d !== 'string' && typeof d !== 'number') || d === '' || d === 0) return undefined;
  return String(d);
}

/** The defaults of the parameters a task leaves out, at the end of its module's line. */
function defaultHints(a: Analysis, range: Span, catalog: Catalog): Hint[] {
  const out: Hint[] = [];
  const text = a.doc.text;
  for (const play of a.playbook?.plays ?? []) {
    for (const t of [...play.tasks, ...play.handlers]) {
      const mod = t.module ? catalog.get(t.module) : undefined;
      if (!mod || !t.moduleKeySpan || t.moduleKeySpan.start < range.start || t.moduleKeySpan.start > range.end) continue;
      const given = new Set(entries(a.doc.yaml, asMap(t.params)).map((e) => e.key));
      const shown = Object.entries(mod.params as Record<string, ParamSpec>)
        .filter(([k]) => !given.has(k))
        .map(([k, spec]) => [k, shownDefault(spec)] as const)
        .filter((x): x is readonly [string, string] => x[1] !== undefined);
      if (!shown.length) continue;
      let at = text.indexOf('\n', t.moduleKeySpan.end);
      if (at < 0) at = text.length;
      while (at > t.moduleKeySpan.end && /\s/.test(text[at - 1])) at--;
      out.push({
        at,
        label: cut(shown.map(([k, v]) => `${k}: ${v}`).join(' · '), 2 * WIDTH),
        tooltip: `Defaults of the parameters left out:\n\n${shown.map(([k, v]) => `- ${k}: \`${v}\``).join('\n')}`,
        kind: 'default',
      });
    }
  }
  return out;
}

/** Inlay hints in a range of a runbook: values after expressions, defaults after module keys. */
export function inlayHints(a: Analysis, range: Span, catalog: Catalog): Hint[] {
  if (a.kind !== 'playbook') return [];
  return [...valueHints(a, range), ...defaultHints(a, range, catalog)].sort((x, y) => x.at - y.at);
}

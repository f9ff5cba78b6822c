import type { AnyModule } from '../../../runner/src/modules/lib/define.js';
import { typesOf, type ParamSpec } from '../../../runner/src/modules/lib/params.js';

/** Required parameters in declaration order. */
export function requiredParams(m: AnyModule): string[] {
  return Object.entries(m.params as Record<string, ParamSpec>)
    .filter(([, s]) => s.required)
    .map(([k]) => k);
}

/** `$` and `}` in literal snippet text. */
function esc(s: string): string {
  return s.replace(/[$}\\]/g, (c) => `\\${c}`);
}

/** The placeholder a required parameter starts with. */
function placeholder(name: string, spec: ParamSpec, n: number): string {
  const types = typesOf(spec);
  if (spec.choices?.length) return `\${${n}|${spec.choices.map(esc).join(',')}|}`;
  if (types.includes('list') && !types.includes('string')) return `[\${${n}}]`;
  return `\${${n}:${esc(name)}}`;
}

/** `nfs_export:` and its required parameters below it, as a snippet; `indent` is the module key's column. */
export function moduleSnippet(m: AnyModule, indent: number, first = 1): { text: string; next: number } {
  const pad = ' '.repeat(indent + 2);
  const req = requiredParams(m);
  if (!req.length) return { text: `${m.name}:\n${pad}$${first}`, next: first + 1 };
  let n = first;
  const lines = req.map((k) => `${pad}${k}: ${placeholder(k, (m.params as Record<string, ParamSpec>)[k], n++)}`);
  return { text: `${m.name}:\n${lines.join('\n')}`, next: n };
}

/** A whole task: its name, then the module and its required parameters. `indent` is the task's key column. */
export function taskSnippet(m: AnyModule, indent: number): string {
  const body = moduleSnippet(m, indent, 2);
  return `name: \${1:${esc(m.summary)}}\n${' '.repeat(indent)}${body.text}`;
}

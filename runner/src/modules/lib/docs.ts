import type { AnyModule } from './define.js';
import { typeLabel, type ParamSpec } from './params.js';

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** One parameter in one paragraph: type, required or default, allowed values, description. */
export function renderParamDoc(name: string, spec: ParamSpec): string {
  const facts = [typeLabel(spec)];
  if (spec.required) facts.push('required');
  if (spec.default !== undefined) facts.push(`default ${show(spec.default)}`);
  if (spec.secret) facts.push('from a secret');
  let out = `**${name}** (${facts.join(', ')}): ${spec.description}`;
  if (spec.choices) out += `\n\none of: ${spec.choices.map((c) => `\`${c}\``).join(', ')}`;
  if (spec.fields) {
    out += '\n\nfields:\n' + Object.entries(spec.fields).map(([k, f]) => `- ${renderParamLine(k, f)}`).join('\n');
  } else if (spec.items?.fields) {
    out += '\n\neach item:\n' + Object.entries(spec.items.fields).map(([k, f]) => `- ${renderParamLine(k, f)}`).join('\n');
  }
  return out;
}

function renderParamLine(name: string, spec: ParamSpec): string {
  const facts = [typeLabel(spec)];
  if (spec.required) facts.push('required');
  if (spec.default !== undefined) facts.push(`default ${show(spec.default)}`);
  if (spec.choices) facts.push(`one of ${spec.choices.join(', ')}`);
  return `\`${name}\` (${facts.join(', ')}): ${spec.description}`;
}

/** A module's whole documentation, in markdown: the editor's hover and `amq-run modules NAME`. */
function renderParamTree(params: Record<string, ParamSpec>, indent: string): string[] {
  return Object.entries(params)
    .sort(([, a], [, b]) => Number(!!b.required) - Number(!!a.required))
    .flatMap(([k, s]) => {
      const nested = s.fields ?? s.items?.fields;
      return [`${indent}- ${renderParamLine(k, s)}`, ...(nested ? renderParamTree(nested, `${indent}  `) : [])];
    });
}

export function renderModuleDoc(m: AnyModule): string {
  const params = renderParamTree(m.params as Record<string, ParamSpec>, '').join('\n');
  return `## ${m.name}\n\n${m.summary}\n\n${m.docs}\n\n### Parameters\n\n${params}\n\n### Example\n\n\`\`\`yaml\n${m.examples.trimEnd()}\n\`\`\`\n`;
}

import type { AnyModule } from './define.js';
import { typeLabel, whenText, type ParamSpec, type ParamSpecs } from './params.js';

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** What a spec says beside its description: type, required, default, limits, conditions. */
function facts(spec: ParamSpec, withChoices: boolean): string[] {
  const out = [typeLabel(spec)];
  if (spec.required) out.push('required');
  if (spec.requiredWhen) out.push(`required when ${whenText(spec.requiredWhen)}`);
  if (spec.onlyWhen) out.push(`only when ${whenText(spec.onlyWhen)}`);
  if (spec.default !== undefined) out.push(`default ${show(spec.default)}`);
  if (spec.min !== undefined) out.push(spec.items || typeLabel(spec).startsWith('list') ? `at least ${spec.min} items` : `at least ${spec.min}`);
  if (spec.singleLine) out.push('one line');
  if (spec.uniqueBy !== undefined) out.push(spec.uniqueBy === '.' ? 'no repeats' : `${spec.uniqueBy} unique`);
  if (spec.secret) out.push('from a secret');
  if (withChoices && spec.choices) out.push(`one of ${spec.choices.join(', ')}`);
  return out;
}

/** One parameter in one paragraph: type, required or default, allowed values, description. */
export function renderParamDoc(name: string, spec: ParamSpec): string {
  let out = `**${name}** (${joinFacts(facts(spec, false))}): ${spec.description}`;
  if (spec.choices) out += `\n\none of: ${spec.choices.map((c) => `\`${c}\``).join(', ')}`;
  if (spec.fields) {
    out += '\n\nfields:\n' + Object.entries(spec.fields).map(([k, f]) => `- ${renderParamLine(k, f)}`).join('\n');
  } else if (spec.items?.fields) {
    out += '\n\neach item:\n' + Object.entries(spec.items.fields).map(([k, f]) => `- ${renderParamLine(k, f)}`).join('\n');
  }
  return out;
}

function renderParamLine(name: string, spec: ParamSpec): string {
  return `\`${name}\` (${joinFacts(facts(spec, true))}): ${spec.description}`;
}

/** Facts joined by commas; a condition, which may hold commas itself, is set off by semicolons. */
function joinFacts(list: string[]): string {
  const conditional = (f: string) => f.startsWith('required when') || f.startsWith('only when');
  return list.reduce((acc, f, i) => (i === 0 ? f : `${acc}${conditional(f) || conditional(list[i - 1]) ? '; ' : ', '}${f}`), '');
}

function renderParamTree(params: ParamSpecs, indent: string): string[] {
  return Object.entries(params)
    .sort(([, a], [, b]) => Number(!!b.required) - Number(!!a.required))
    .flatMap(([k, s]) => {
      const nested = s.fields ?? s.items?.fields;
      return [`${indent}- ${renderParamLine(k, s)}`, ...(nested ? renderParamTree(nested, `${indent}  `) : [])];
    });
}

/** The rules between a module's parameters, one line each. */
function renderRules(m: AnyModule): string[] {
  const either = (keys: readonly string[]) => (keys.length > 1 ? `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}` : keys[0]);
  return [
    ...(m.oneOf ?? []).map((o) => `- one of ${either(o.params)} is needed${o.when ? ` when ${whenText(o.when)}` : ''}`),
    ...(m.exclusive ?? []).map((g) => `- ${either(g)}: at most one of them`),
  ];
}

/** A module's whole documentation, in markdown: the editor's hover and `amq-run modules NAME`. */
export function renderModuleDoc(m: AnyModule): string {
  const params = renderParamTree(m.params as ParamSpecs, '').join('\n');
  const rules = renderRules(m);
  const ruleText = rules.length ? `\n\n### Rules\n\n${rules.join('\n')}` : '';
  return `## ${m.name}\n\n${m.summary}\n\n${m.docs}\n\n### Parameters\n\n${params}${ruleText}\n\n### Example\n\n\`\`\`yaml\n${m.examples.trimEnd()}\n\`\`\`\n`;
}

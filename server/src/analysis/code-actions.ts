import { isMap, isPair, isScalar, visit, type Node, type Pair, type YAMLMap } from 'yaml';
import type { Catalog } from '../../../runner/src/modules/index.js';
import { typesOf, type ParamSpec } from '../../../runner/src/modules/lib/params.js';
import type { RunbookDoc } from '../../../runner/src/runbook/parse.js';
import { playbookKeys, playKeys, taskKeys } from '../../../runner/src/runbook/schema.js';
import type { QuickFix, Span, TextEdit } from './types.js';

/** What a quick fix needs of a diagnostic (as the client sends it back). */
export interface FixableDiagnostic {
  code: string;
  span: Span;
  message: string;
  hint?: string;
  data?: { replace?: string; missing?: string[] };
}

const WORD = /^!?[\w.-]+$/;

/** "did you mean 'X'?": replace the misspelled word (a key, module, parameter, value, variable, host, handler). */
function replaceFix(text: string, d: FixableDiagnostic): QuickFix | undefined {
  const to = d.data?.replace ?? /did you mean '([^']+)'\?/.exec(d.hint ?? '')?.[1];
  if (!to) return undefined;
  let span = d.span;
  let current = text.slice(span.start, span.end);
  const q = current[0];
  if ((q === '"' || q === "'") && current.endsWith(q) && current.length >= 2) {
    span = { start: span.start + 1, end: span.end - 1 };
    current = current.slice(1, -1);
  }
  // A replacement guessed from the hint only replaces a single word.
  if ((!d.data?.replace && !WORD.test(current)) || current === to || current.includes('{{')) return undefined;
  return { title: `Change '${current}' to '${to}'`, edits: [{ span, text: to }], fixes: { code: d.code, span: d.span }, preferred: true };
}

function nullish(node: unknown): boolean {
  return node == null || (isScalar(node) && node.value == null);
}

function columnOf(text: string, offset: number): number {
  return offset - (text.lastIndexOf('\n', offset - 1) + 1);
}

function lineEndAfter(text: string, offset: number): number {
  let end = offset;
  while (end > 0 && /\s/.test(text[end - 1])) end--;
  const nl = text.indexOf('\n', end);
  return nl < 0 ? text.length : nl;
}

/** An entry to add: a key and the YAML of its value. */
type Entry = readonly [key: string, value: string];

/** Edits that add entries to a mapping, block or flow. */
function addToMap(text: string, map: YAMLMap, add: readonly Entry[]): TextEdit[] {
  const items = map.items.filter(isPair) as Pair[];
  if (map.flow) {
    const end = map.range![1];
    const close = text.lastIndexOf('}', end - 1);
    const last = items[items.length - 1];
    const flow = ([k, v]: Entry) => `${k}:${v ? ` ${v}` : ''}`;
    if (!last) return [{ span: { start: close, end: close }, text: `${add.map((e) => ` ${flow(e)}`).join(',')} ` }];
    const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
    return [{ span: { start: lastEnd, end: lastEnd }, text: add.map((e) => `, ${flow(e)}`).join('') }];
  }
  const first = (items[0].key as Node).range![0];
  const pad = ' '.repeat(columnOf(text, first));
  const last = items[items.length - 1];
  const lastEnd = ((last.value as Node | null)?.range ?? (last.key as Node).range!)[1];
  const at = lineEndAfter(text, lastEnd);
  return [{ span: { start: at, end: at }, text: add.map(([k, v]) => `\n${pad}${k}: ${v}`).join('') }];
}

/** Edits that give an empty `key:` a block mapping of the entries. */
function addUnder(text: string, pair: Pair, add: readonly Entry[]): TextEdit[] {
  const key = (pair.key as Node).range!;
  const pad = ' '.repeat(columnOf(text, key[0]) + 2);
  const value = pair.value as Node | null;
  if (value && isMap(value) && value.flow) return addToMap(text, value, add);
  const edits: TextEdit[] = [];
  let at = lineEndAfter(text, key[1] + 1);
  if (value?.range && value.range[1] > value.range[0]) {
    edits.push({ span: { start: value.range[0], end: value.range[1] }, text: '' });
    at = lineEndAfter(text, value.range[1]);
  }
  edits.push({ span: { start: at, end: at }, text: add.map(([k, v]) => `\n${pad}${k}: ${v}`).join('') });
  return edits;
}

/**
 * YAML for a required value: the default or first choice where the spec has one, an empty list or
 * mapping, `0` for a number (a port refuses it); a string or a path stays empty, with what it is as a
 * comment after it (block mappings), so that it is still reported until written.
 */
export function placeholder(spec: ParamSpec | undefined, block: boolean): string {
  const d = spec?.default;
  if (d !== undefined && (typeof d !== 'object' || d === null)) return typeof d === 'string' ? JSON.stringify(d) : String(d);
  if (spec?.choices?.length) return spec.choices[0];
  const types = spec ? typesOf(spec) : [];
  if (!types.includes('string') && !types.includes('path')) {
    if (types.includes('bool')) return 'false';
    if (types.includes('int') || types.includes('port')) return '0';
    if (types.includes('list')) return '[]';
    if (types.includes('map')) return '{}';
  }
  return block && spec?.description ? ` # ${spec.description}` : '';
}

/** A top-level section of the playbook: its mapping, or where a new one goes (before the first of `before`, else at the end). */
function section(doc: RunbookDoc, key: string, before: readonly string[]): { map?: YAMLMap; pair?: Pair; at: number } {
  const root = doc.yaml.contents;
  const pairs = root && isMap(root) ? (root.items.filter(isPair) as Pair[]) : [];
  const named = (k: string) => pairs.find((p) => isScalar(p.key) && p.key.value === k);
  const pair = named(key);
  if (pair) return { pair, ...(isMap(pair.value) ? { map: pair.value } : {}), at: (pair.key as Node).range![0] };
  const next = before.map(named).find((p) => p !== undefined);
  const text = doc.text;
  return { at: next ? (next.key as Node).range![0] : text.length + (text.endsWith('\n') || !text ? 0 : 1) };
}

/** Edits that add entries to a top-level section, creating it where it is missing. */
function addToSection(doc: RunbookDoc, key: string, before: readonly string[], add: readonly Entry[]): TextEdit[] {
  const s = section(doc, key, before);
  if (s.map && s.map.items.length) return addToMap(doc.text, s.map, add);
  if (s.pair) return addUnder(doc.text, s.pair, add);
  const lead = s.at === doc.text.length + 1 ? '\n' : '';
  return [{ span: { start: Math.min(s.at, doc.text.length), end: Math.min(s.at, doc.text.length) }, text: `${lead}${key}:\n${add.map(([k, v]) => `  ${k}: ${v}\n`).join('')}` }];
}

/** "is missing 'a', 'b'": add the required keys where they belong, each with a placeholder value. */
function missingFix(doc: RunbookDoc, d: FixableDiagnostic, catalog: Catalog): QuickFix | undefined {
  const keys = d.data?.missing;
  if (!keys?.length || d.code !== 'missing-required') return undefined;
  let edits: TextEdit[] | undefined;
  const module = /^module '([^']+)'/.exec(d.message)?.[1];
  const specs = (module ? catalog.get(module)?.params : { ...playbookKeys, ...playKeys, ...taskKeys }) as Record<string, ParamSpec> | undefined;
  const entriesFor = (ks: string[], block: boolean) => ks.map((k) => [k, placeholder(specs?.[k], block)] as const);
  visit(doc.yaml, {
    Pair(_k, pair: Pair) {
      const k = pair.key as Node | null;
      if (!k?.range || k.range[0] !== d.span.start) return undefined;
      if (module && isScalar(k) && k.value === module && (nullish(pair.value) || (isMap(pair.value) && pair.value.items.length === 0))) {
        edits = addUnder(doc.text, pair, entriesFor(keys, !(isMap(pair.value) && pair.value.flow)));
        return visit.BREAK;
      }
      return undefined;
    },
    Map(_k, map: YAMLMap) {
      if (edits) return visit.BREAK;
      const first = map.items[0] as Pair | undefined;
      const k = first?.key as Node | null | undefined;
      if (k?.range && k.range[0] === d.span.start && !(module && isScalar(k) && k.value === module && nullish(first!.value))) {
        const absent = keys.filter((x) => !map.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === x));
        if (absent.length) edits = addToMap(doc.text, map, entriesFor(absent, !map.flow));
        return visit.BREAK;
      }
      return undefined;
    },
  });
  if (!edits) return undefined;
  const title = keys.length === 1 ? `Add the missing '${keys[0]}'` : `Add the missing '${keys.join("', '")}'`;
  return { title, edits, fixes: { code: d.code, span: d.span }, preferred: true };
}

/** A mode written as a number: the same digits in quotes, as the hint says. */
function modeFix(text: string, d: FixableDiagnostic): QuickFix | undefined {
  const to = /write "([0-7]{3,4})" in quotes/.exec(d.hint ?? '')?.[1];
  if (d.code !== 'mode-not-octal' || !to || !/^\d+$/.test(text.slice(d.span.start, d.span.end))) return undefined;
  return { title: `Quote the mode: "${to}"`, edits: [{ span: d.span, text: `"${to}"` }], fixes: { code: d.code, span: d.span }, preferred: true };
}

const VAR_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The names the playbook already gives variables and secrets (top-level vars and secrets, every play's vars). */
function namesTaken(doc: RunbookDoc): Set<string> {
  const taken = new Set<string>();
  visit(doc.yaml, {
    Pair(_k, pair: Pair, path) {
      const parent = path[path.length - 2];
      if (isPair(parent) && isScalar(parent.key) && (parent.key.value === 'vars' || parent.key.value === 'secrets') && isScalar(pair.key)) taken.add(String(pair.key.value));
      return undefined;
    },
  });
  return taken;
}

/** A name for the secret holding the value at `span`: the entry's `name` or the owner's key, then the key (`admin_password`). */
function secretName(doc: RunbookDoc, span: Span): string | undefined {
  let name: string | undefined;
  visit(doc.yaml, {
    Pair(_k, pair: Pair, path) {
      const v = pair.value as Node | null;
      if (!v?.range || v.range[0] !== span.start || !isScalar(pair.key)) return undefined;
      const key = String(pair.key.value);
      const map = path[path.length - 1];
      const owner = isMap(map) ? (map.items as Pair[]).find((p) => isScalar(p.key) && p.key.value === 'name' && isScalar(p.value)) : undefined;
      const above = path[path.length - 2];
      const ownerName = owner ? String((owner.value as Node & { value: unknown }).value) : isPair(above) && isScalar(above.key) ? String(above.key.value) : '';
      name = `${ownerName ? `${ownerName}_` : ''}${key}`.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=\d)/, '_');
      return visit.BREAK;
    },
  });
  return name && VAR_NAME.test(name) ? name : undefined;
}

/**
 * A password written in the runbook (or in an inventory file): moved to `secrets:`, read from an
 * environment variable, and referred to. In an inventory file the secret is declared in the runbooks
 * that read it (`secret` on the fix: see declareSecret).
 */
function secretFix(doc: RunbookDoc, d: FixableDiagnostic): QuickFix | undefined {
  const written = doc.text.slice(d.span.start, d.span.end);
  const where = /never be written in the (runbook|inventory)/.exec(d.message)?.[1];
  if (d.code !== 'secret-required' || written.includes('{{') || !where) return undefined;
  const base = secretName(doc, d.span);
  if (!base) return undefined;
  const taken = namesTaken(doc);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
  const env = `AMQ_${name.toUpperCase()}`;
  const use = { span: d.span, text: `"{{ ${name} }}"` };
  const fixes = { code: d.code, span: d.span };
  if (where === 'inventory') return { title: `Move it to the secrets: of the runbooks reading this inventory as '${name}', read from the environment variable ${env}`, edits: [use], fixes, preferred: true, secret: { name, env } };
  return { title: `Move it to secrets: as '${name}', read from the environment variable ${env}`, edits: [use, ...declareSecret(doc, name, env)], fixes, preferred: true };
}

/** The edits declaring a secret read from an environment variable in a runbook (none when it has one of that name). */
export function declareSecret(doc: RunbookDoc, name: string, env: string): TextEdit[] {
  const secrets = section(doc, 'secrets', ['plays']).map;
  if (secrets?.items.some((p) => isPair(p) && isScalar(p.key) && p.key.value === name)) return [];
  return addToSection(doc, 'secrets', ['plays'], [[name, `{ env: ${env} }`]]);
}

/** An undefined variable: declared under the playbook's `vars:` with an empty value to fill in. */
function declareFix(doc: RunbookDoc, d: FixableDiagnostic): QuickFix | undefined {
  const name = /^undefined variable '([A-Za-z_][A-Za-z0-9_]*)'$/.exec(d.message)?.[1];
  if (d.code !== 'undefined-variable' || !name) return undefined;
  return { title: `Declare '${name}' in vars:`, edits: addToSection(doc, 'vars', ['secrets', 'plays'], [[name, '""']]), fixes: { code: d.code, span: d.span } };
}

/**
 * Quick fixes for the diagnostics at a range: did-you-mean replacements, missing required keys, a
 * mode in quotes, a password moved to a secret, an undefined variable declared.
 */
export function quickFixes(doc: RunbookDoc, diagnostics: FixableDiagnostic[], catalog: Catalog): QuickFix[] {
  const out: QuickFix[] = [];
  for (const d of diagnostics) {
    const fixes = [replaceFix(doc.text, d) ?? missingFix(doc, d, catalog), modeFix(doc.text, d), secretFix(doc, d), declareFix(doc, d)];
    for (const f of fixes) if (f) out.push(f);
  }
  return out;
}

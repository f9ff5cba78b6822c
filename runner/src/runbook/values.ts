import { meets, typesOf, whenText, type ParamSpec, type ParamSpecs, type ParamType, type When } from '../modules/lib/params.js';
import type { Span } from './diagnostics.js';
import type { RuleId } from './rules.js';
import { hasExpr } from './expr.js';
import type { YNode } from './nodes.js';
import { childOf, INVALID, isWritten, place, type PlaceCtx, type Placed } from './placed.js';
import { closest, listOf } from './suggest.js';

export { INVALID } from './placed.js';
export type Checked = unknown | typeof INVALID;

/**
 * The one checker of values against specs: module parameters, runbook and inventory keys,
 * whether written out or computed by an expression. A value is placed first (rendered, with
 * where each part is written), then walked once.
 */
export interface ValueCtx extends PlaceCtx {
  /**
   * Validation resolves secrets to placeholders, so a `secret` parameter can be checked to hold one,
   * however many variables it went through. A run resolves real values and skips the check.
   */
  checkSecrets: boolean;
  /** Without a resolver: leave a value holding `{{ }}` to the check where it is rendered. */
  deferExpressions?: boolean;
}

const PLACEHOLDER = /^\uE000secret:[A-Za-z_][A-Za-z0-9_]*\uE000$/;

/** What a secret's value is at validation time: recognisable, never a real value. */
export function secretPlaceholder(name: string): string {
  return `\uE000secret:${name}\uE000`;
}

export function isSecretPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}

function kindOfValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${v}`;
  return `'${String(v)}'`;
}

const HOSTPORT = /^(\*|\[[^\]]+\]|[^\s:[\]]*):(\d+)$/;
const DURATION = /^\d+(us|ms|s|m|h|d)?$/;
const NO = Symbol('no');

function coerce(t: ParamType, v: unknown): unknown {
  switch (t) {
    case 'any':
      return v;
    case 'string':
    case 'regex':
      return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : NO;
    case 'path':
      return typeof v === 'string' && v !== '' && !v.includes('\0') ? v : NO;
    case 'int':
    case 'port':
      if (typeof v === 'number' && Number.isInteger(v)) return v;
      if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
      return NO;
    case 'bool':
      return typeof v === 'boolean' ? v : NO;
    case 'mode':
      return typeof v === 'string' && /^[0-7]{3,4}$/.test(v) ? v.padStart(4, '0') : NO;
    case 'hostport':
      return typeof v === 'string' && HOSTPORT.test(v) ? v : NO;
    case 'duration':
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return String(v);
      return typeof v === 'string' && DURATION.test(v) ? v : NO;
    case 'list':
      return Array.isArray(v) ? v : NO;
    case 'map':
      return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : NO;
  }
}

export function article(t: ParamType): string {
  switch (t) {
    case 'int':
      return 'a whole number';
    case 'port':
      return 'a port number';
    case 'list':
      return 'a list';
    case 'map':
      return 'a mapping';
    case 'bool':
      return 'true or false';
    case 'mode':
      return 'a quoted octal mode';
    case 'hostport':
      return 'host:port';
    case 'duration':
      return 'a duration';
    case 'path':
      return 'a path';
    case 'regex':
      return 'a regular expression';
    case 'any':
      return 'a value';
    default:
      return 'a string';
  }
}

/** Checks and coerces a placed value against a spec; returns the value (defaults filled in) or INVALID after reporting. */
export function checkValue(ctx: ValueCtx, p: Placed, spec: ParamSpec, label: string): Checked {
  if (spec.scalarField && spec.fields && p.value !== null && typeof p.value !== 'object') {
    // The shorthand: the value of the one field it stands for.
    return checkMapping(ctx, { value: { [spec.scalarField]: p.value }, span: p.span, head: p.span, entries: [{ key: spec.scalarField, keySpan: p.span, value: p }] }, spec.fields, { label, unknownCode: 'unknown-param' }).value;
  }
  const value = p.value;
  if (value === null || value === undefined) return null;
  if (ctx.deferExpressions && typeof value === 'string' && hasExpr(value)) return value;
  const types = typesOf(spec);
  const fail = (code: RuleId, message: string, hint?: string, span: Span = p.span): typeof INVALID => {
    ctx.report({ span, code, message, ...(hint ? { hint } : {}) });
    return INVALID;
  };
  if (spec.secret && ctx.checkSecrets && !isSecretPlaceholder(value)) {
    return fail(
      'secret-required',
      `${label} must come from a secret, never be written in the runbook`,
      'declare it under secrets:, e.g. admin_password: { env: AMQ_ADMIN_PASSWORD }, and write "{{ admin_password }}"',
    );
  }
  for (const t of types) {
    const got = coerce(t, value);
    if (got === NO) continue;
    if (t === 'port' || t === 'hostport') {
      const port = t === 'port' ? (got as number) : Number(HOSTPORT.exec(String(got))![2]);
      if (port < 1 || port > 65535) return fail('port-range', `${label === 'port' ? '' : `${label}: `}port ${port} is outside 1-65535`, spec.description);
    }
    if (t === 'list') return checkList(ctx, p, got as unknown[], spec, label);
    if (t === 'map' && spec.fields) return checkMapping(ctx, { ...p, value: got }, spec.fields, { label, unknownCode: 'unknown-param' }).value;
    if (t === 'string' && spec.choices && !spec.choices.includes(got as string)) {
      const near = closest(String(got), spec.choices);
      ctx.report({
        span: p.span,
        code: 'bad-choice',
        message: `${label}: '${String(got)}' is not one of ${spec.choices.join(', ')}`,
        hint: near ? `did you mean '${near}'?` : spec.description,
        ...(near ? { data: { replace: near } } : {}),
      });
      return INVALID;
    }
    if ((t === 'int' || t === 'port') && spec.min !== undefined && (got as number) < spec.min) {
      return fail('bad-value', `${label} must be at least ${spec.min}, not ${String(got)}`, spec.description);
    }
    if (spec.singleLine && typeof got === 'string' && got.includes('\n')) {
      return fail('bad-value', `${label} must be a single line`, 'use one line task per line, or a file or template task');
    }
    if (t === 'regex') {
      try {
        new RegExp(got as string);
      } catch (e) {
        return fail('bad-regex', `${label} is not a valid regular expression: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
      }
    }
    return got;
  }
  // No type fits: say what was expected, with the hint that fits the mistake.
  if (types.includes('mode')) {
    const shown = p.source ?? String(value);
    if (typeof value === 'number') return fail('mode-not-octal', `${label}: a file mode must be a quoted octal string, not the number ${shown}`, `write "${shown.padStart(4, '0').replace(/^0*(?=\d{4})/, '')}" in quotes: YAML reads unquoted ${shown} as a decimal number`);
    return fail('mode-not-octal', `${label}: '${shown}' is not an octal file mode`, 'a mode is 3 or 4 octal digits in quotes, e.g. "0644"');
  }
  if (types.includes('bool') && typeof value === 'string' && /^(yes|no|on|off|y|n|true|false)$/i.test(value)) {
    return fail('wrong-type', `${label} must be true or false, not '${value}'`, 'YAML 1.2 reads yes/no/on/off as strings: write true or false');
  }
  if (types.includes('hostport') && typeof value === 'string') {
    return fail('bad-hostport', `${label}: '${value}' is not host:port`, 'e.g. "192.168.10.192:61616" or "*:61616"');
  }
  if (types.includes('duration') && typeof value === 'string') {
    return fail('bad-value', `${label}: '${value}' is not a duration`, 'a number with a unit: 500ms, 3s, 1m');
  }
  if ((types.includes('int') || types.includes('port')) && typeof value === 'number') {
    return fail('wrong-type', `${label} must be a whole number, not ${value}`);
  }
  return fail('wrong-type', `${label} must be ${types.map(article).join(' or ')}, not ${kindOfValue(value)}`, spec.description);
}

function checkList(ctx: ValueCtx, p: Placed, list: unknown[], spec: ParamSpec, label: string): Checked {
  if (spec.min !== undefined && list.length < spec.min) {
    ctx.report({ span: p.span, code: 'bad-value', message: `${label} needs at least ${spec.min} item${spec.min === 1 ? '' : 's'}`, hint: spec.description });
    return INVALID;
  }
  if (!spec.items) return list;
  const out = list.map((v, i) => {
    const item = childOf(p, i, v);
    const itemLabel = `${label}[${item.fromTemplate ? 'for_each' : i}]`;
    // An empty item (a dash with nothing after it) is no value of the list, not an unset one.
    if (item.value === null) {
      ctx.report({ span: item.span, code: 'wrong-type', message: `${itemLabel} is empty`, hint: spec.items!.description });
      return INVALID;
    }
    return checkValue(ctx, item, spec.items!, itemLabel);
  });
  if (out.includes(INVALID)) return INVALID;
  if (spec.uniqueBy !== undefined) {
    const seen = new Set<unknown>();
    for (const [i, v] of out.entries()) {
      const key = spec.uniqueBy === '.' || typeof v !== 'object' || v === null ? v : (v as Record<string, unknown>)[spec.uniqueBy];
      if (seen.has(key)) {
        ctx.report({ span: childOf(p, i, v).span, code: 'duplicate-item', message: `${label}: '${String(key)}' is listed twice`, hint: spec.description });
        return INVALID;
      }
      seen.add(key);
    }
  }
  return out;
}

export interface MappingRules {
  /** How the mapping is named in messages: `module 'mount'`, `a play`, `servers[1]`. */
  label: string;
  /** Code and message of an unknown key. */
  unknownCode: RuleId;
  unknownMessage?(key: string): string;
  /** Keys that are not fields yet not unknown (a task's module key). */
  isExtra?(key: string): boolean;
  skipRequired?: boolean;
  /** Where "missing" is reported instead of the mapping's first key. */
  anchor?: Span;
  /** Where a broken rule between fields is reported (the module key); the mapping's first key by default. */
  ruleAnchor?: Span;
  /** The subject of "needs a or b": the module's name. */
  subject?: string;
  exclusive?: readonly (readonly string[])[];
  oneOf?: readonly { params: readonly string[]; when?: When }[];
}

/** A default value that the caller may change: objects are copied. */
function copyDefault(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? structuredClone(v) : v;
}

function either(keys: readonly string[]): string {
  return keys.length > 1 ? `${keys.slice(0, -1).join(', ')} or ${keys[keys.length - 1]}` : keys[0];
}

/**
 * Checks a placed mapping against field specs: unknown keys, each value, required fields,
 * defaults, and the rules between fields (required or allowed only when, exclusive, one of).
 * Returns the checked value and where each given field's key is written.
 */
export function checkMapping(ctx: ValueCtx, p: Placed, fields: ParamSpecs, r: MappingRules): { value: Record<string, unknown> | typeof INVALID; given: Map<string, Span> } {
  const obj = (p.value ?? {}) as Record<string, unknown>;
  const list = p.entries ?? Object.entries(obj).map(([key, value]) => ({ key, keySpan: p.span, value: { value, span: p.span } }));
  const exact = isWritten(p);
  const head = r.anchor ?? p.head ?? p.span;
  const out: Record<string, unknown> = {};
  const given = new Map<string, Span>();
  const invalid = new Set<string>();
  let bad = false;
  for (const e of list) {
    const f = fields[e.key];
    if (!f) {
      if (r.isExtra?.(e.key)) continue;
      const near = closest(e.key, Object.keys(fields));
      ctx.report({
        span: e.keySpan,
        code: r.unknownCode,
        message: r.unknownMessage ? r.unknownMessage(e.key) : `unknown field '${e.key}' in ${r.label}`,
        hint: near ? `did you mean '${near}'?` : `expected: ${listOf(Object.keys(fields), 12)}`,
        ...(near && exact ? { data: { replace: near } } : {}),
      });
      bad = true;
      continue;
    }
    given.set(e.key, e.keySpan);
    const v = checkValue(ctx, e.value, f, e.key);
    if (v === INVALID) {
      bad = true;
      invalid.add(e.key);
    } else if (v !== null && v !== undefined) out[e.key] = v;
  }
  const missing: string[] = [];
  for (const [k, f] of Object.entries(fields)) {
    if (k in out || invalid.has(k)) continue;
    if (f.required) missing.push(k);
    else if (f.default !== undefined) out[k] = copyDefault(f.default);
  }
  if (missing.length && !r.skipRequired) {
    ctx.report({ span: head, code: 'missing-required', message: `${r.label} is missing '${missing.join("', '")}'`, hint: fields[missing[0]].description, data: { missing } });
    bad = true;
  }
  if (!bad) bad = !checkRules(ctx, out, given, fields, r, r.ruleAnchor ?? head);
  return { value: bad ? INVALID : out, given };
}

/** The rules between fields; false after reporting a broken one. */
function checkRules(ctx: ValueCtx, out: Record<string, unknown>, given: Map<string, Span>, fields: ParamSpecs, r: MappingRules, head: Span): boolean {
  let ok = true;
  const written = (when: When) => Object.keys(when).some((k) => given.has(k));
  const present = (k: string) => given.has(k) && out[k] !== undefined;
  for (const [k, f] of Object.entries(fields)) {
    if (f.requiredWhen && out[k] === undefined && meets(f.requiredWhen, out)) {
      ctx.report({ span: head, code: 'missing-required', message: `${k} is required when ${whenText(f.requiredWhen)}`, hint: f.description, data: { missing: [k] } });
      ok = false;
    }
    if (f.onlyWhen && present(k) && !meets(f.onlyWhen, out)) {
      const [wk, wv] = Object.entries(f.onlyWhen)[0];
      ctx.report({ span: given.get(k)!, code: 'bad-value', message: `${k} is only used when ${whenText(f.onlyWhen)}`, hint: `set ${wk}: ${String(Array.isArray(wv) ? wv[0] : wv)}, or remove it` });
      ok = false;
    }
  }
  for (const group of r.exclusive ?? []) {
    const both = group.filter(present);
    if (both.length > 1) {
      ctx.report({ span: given.get(both[1])!, code: 'exclusive', message: `'${both.join("' and '")}' cannot be used together`, hint: `give only one of ${group.join(', ')}` });
      ok = false;
    }
  }
  for (const { params, when } of r.oneOf ?? []) {
    if (params.some((k) => out[k] !== undefined) || (when && !meets(when, out))) continue;
    const condition = when && written(when) ? ` when ${whenText(when)}` : '';
    ctx.report({ span: head, code: 'missing-required', message: `${r.subject ?? r.label} needs ${either(params)}${condition}`, hint: fields[params[0]].description, data: { missing: [params[0]] } });
    ok = false;
  }
  return ok;
}

/** A node checked against a spec: placed (rendered), then checked. */
export function checkNode(ctx: ValueCtx, node: YNode, spec: ParamSpec, label: string, anchor?: Span): Checked {
  const p = place(ctx, node, anchor);
  return p === INVALID ? INVALID : checkValue(ctx, p, spec, label);
}

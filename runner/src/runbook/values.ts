import { isMap, isScalar, isSeq, type Document, type Scalar } from 'yaml';
import { typesOf, type ParamSpec, type ParamType } from '../modules/lib/params.js';
import type { Reporter, Span } from './diagnostics.js';
import { hasExpr, render, splitTemplate, type ExprError, type Resolver } from './expr.js';
import { deref, entries, spanOf, type YNode } from './nodes.js';
import { article, headSpan } from './structure.js';
import { closest, listOf } from './suggest.js';

export const INVALID = Symbol('invalid');
export type Checked = unknown | typeof INVALID;

export interface ValueCtx {
  /** The text of the document the nodes belong to. */
  text: string;
  doc: Document;
  resolver: Resolver;
  report: Reporter;
  /**
   * Validation resolves secrets to placeholders, so a `secret` parameter can be checked to hold one,
   * however many variables it went through. A run resolves real values and skips the check.
   */
  checkSecrets: boolean;
}

const PLACEHOLDER = /^\uE000secret:[A-Za-z_][A-Za-z0-9_]*\uE000$/;

/** What a secret's value is at validation time: recognisable, never a real value. */
export function secretPlaceholder(name: string): string {
  return `\uE000secret:${name}\uE000`;
}

export function isSecretPlaceholder(v: unknown): boolean {
  return typeof v === 'string' && PLACEHOLDER.test(v);
}

/** Maps a range inside a scalar's value to document offsets (exact when the source is not escaped). */
export function innerSpan(text: string, node: Scalar, rel: Span): Span {
  const span = spanOf(node);
  const value = String(node.value);
  const raw = text.slice(span.start, span.end);
  let base: number | undefined;
  if (raw === value) base = span.start;
  else if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && raw.slice(1, -1) === value) base = span.start + 1;
  else {
    const piece = value.slice(rel.start, rel.end);
    const at = piece ? raw.indexOf(piece) : -1;
    if (at >= 0 && raw.indexOf(piece, at + 1) < 0) return { start: span.start + at, end: span.start + at + piece.length };
  }
  if (base === undefined) return span;
  return { start: base + rel.start, end: base + Math.max(rel.end, rel.start) };
}

function reportExprErrors(ctx: ValueCtx, node: Scalar, errors: ExprError[]): void {
  for (const e of errors) {
    if (e.code === 'poisoned') continue;
    ctx.report({
      span: innerSpan(ctx.text, node, { start: e.start, end: e.end }),
      code: e.code,
      message: e.message,
      ...(e.hint ? { hint: e.hint } : {}),
      ...(e.replace ? { data: { replace: e.replace } } : {}),
    });
  }
}

/** Reports the syntax errors of every `{{ }}` in a node, without evaluating anything. */
export function checkExpressionSyntax(doc: { text: string; yaml: Document }, node: YNode, report: ValueCtx['report']): void {
  node = deref(doc.yaml, node);
  if (!node) return;
  if (isScalar(node)) {
    if (typeof node.value !== 'string' || !hasExpr(node.value)) return;
    for (const seg of splitTemplate(node.value)) {
      if (seg.kind === 'expr' && seg.error) {
        const e = seg.error;
        report({ span: innerSpan(doc.text, node, { start: e.start, end: e.end }), code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) });
      }
    }
  } else if (isSeq(node)) for (const item of node.items) checkExpressionSyntax(doc, item as YNode, report);
  else if (isMap(node)) for (const e of entries(doc.yaml, node)) checkExpressionSyntax(doc, e.value, report);
}

/** A node's value with every `{{ }}` rendered; INVALID (after reporting) when an expression fails. */
export function renderNode(ctx: ValueCtx, node: YNode): Checked {
  node = deref(ctx.doc, node);
  if (node == null) return null;
  if (isScalar(node)) {
    if (typeof node.value === 'string' && hasExpr(node.value)) {
      const { value, errors } = render(node.value, ctx.resolver);
      if (errors.length) {
        reportExprErrors(ctx, node, errors);
        return INVALID;
      }
      return value;
    }
    return node.value ?? null;
  }
  if (isSeq(node)) {
    const out = node.items.map((i) => renderNode(ctx, i as YNode));
    return out.includes(INVALID) ? INVALID : out;
  }
  if (isMap(node)) {
    const out: Record<string, unknown> = {};
    let bad = false;
    for (const e of entries(ctx.doc, node)) {
      const v = renderNode(ctx, e.value);
      if (v === INVALID) bad = true;
      else out[e.key] = v;
    }
    return bad ? INVALID : out;
  }
  return null;
}

function kindOfValue(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null || v === undefined) return 'empty';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'boolean') return `the boolean ${v}`;
  if (typeof v === 'number') return `the number ${v}`;
  return `'${String(v)}'`;
}

interface Where {
  span: Span;
  /** The source text of a plain scalar, to quote it as written (0755). */
  source?: string;
  label: string;
}

const HOSTPORT = /^(\*|\[[^\]]+\]|[^\s:[\]]*):(\d+)$/;
const DURATION = /^\d+(us|ms|s|m|h|d)?$/;

/** Checks and coerces a plain (rendered) value against a spec, reporting at `where`. */
function checkPlain(ctx: ValueCtx, value: unknown, spec: ParamSpec, where: Where): Checked {
  const types = typesOf(spec);
  const fail = (code: string, message: string, hint?: string): typeof INVALID => {
    ctx.report({ span: where.span, code, message, ...(hint ? { hint } : {}) });
    return INVALID;
  };
  if (spec.secret && ctx.checkSecrets && !isSecretPlaceholder(value)) {
    return fail(
      'secret-required',
      `${where.label} must come from a secret, never be written in the runbook`,
      'declare it under secrets:, e.g. admin_password: { env: AMQ_ADMIN_PASSWORD }, and write "{{ admin_password }}"',
    );
  }
  for (const t of types) {
    const got = coerce(t, value);
    if (got === NO) continue;
    if (t === 'port' || t === 'hostport') {
      const port = t === 'port' ? (got as number) : Number(HOSTPORT.exec(String(got))![2]);
      if (port < 1 || port > 65535) return fail('port-range', `${where.label === 'port' ? '' : `${where.label}: `}port ${port} is outside 1-65535`, spec.description);
    }
    if (t === 'list') {
      if (!spec.items) return got;
      const arr = got as unknown[];
      const out = arr.map((item, i) => checkPlain(ctx, item, spec.items!, { span: where.span, label: `${where.label}[${i}]` }));
      return out.includes(INVALID) ? INVALID : out;
    }
    if (t === 'map' && spec.fields) return checkFieldsPlain(ctx, got as Record<string, unknown>, spec, where);
    if (t === 'string' && spec.choices && !spec.choices.includes(got as string)) {
      const near = closest(String(got), spec.choices);
      ctx.report({
        span: where.span,
        code: 'bad-choice',
        message: `${where.label}: '${String(got)}' is not one of ${spec.choices.join(', ')}`,
        hint: near ? `did you mean '${near}'?` : spec.description,
        ...(near ? { data: { replace: near } } : {}),
      });
      return INVALID;
    }
    return got;
  }
  // No type fits: say what was expected, with the hint that fits the mistake.
  if (types.includes('mode')) {
    const shown = where.source ?? String(value);
    if (typeof value === 'number') return fail('mode-not-octal', `${where.label}: a file mode must be a quoted octal string, not the number ${shown}`, `write "${shown.padStart(4, '0').replace(/^0*(?=\d{4})/, '')}" in quotes: YAML reads unquoted ${shown} as a decimal number`);
    return fail('mode-not-octal', `${where.label}: '${shown}' is not an octal file mode`, 'a mode is 3 or 4 octal digits in quotes, e.g. "0644"');
  }
  if (types.includes('bool') && typeof value === 'string' && /^(yes|no|on|off|y|n|true|false)$/i.test(value)) {
    return fail('wrong-type', `${where.label} must be true or false, not '${value}'`, 'YAML 1.2 reads yes/no/on/off as strings: write true or false');
  }
  if (types.includes('hostport') && typeof value === 'string') {
    return fail('bad-hostport', `${where.label}: '${value}' is not host:port`, 'e.g. "192.168.10.192:61616" or "*:61616"');
  }
  if (types.includes('duration') && typeof value === 'string') {
    return fail('bad-value', `${where.label}: '${value}' is not a duration`, 'a number with a unit: 500ms, 3s, 1m');
  }
  if ((types.includes('int') || types.includes('port')) && typeof value === 'number') {
    return fail('wrong-type', `${where.label} must be a whole number, not ${value}`);
  }
  return fail('wrong-type', `${where.label} must be ${types.map((t) => article(t as ParamType)).join(' or ')}, not ${kindOfValue(value)}`, spec.description);
}

const NO = Symbol('no');

function coerce(t: ParamType, v: unknown): unknown {
  switch (t) {
    case 'any':
      return v;
    case 'string':
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

function checkFieldsPlain(ctx: ValueCtx, obj: Record<string, unknown>, spec: ParamSpec, where: Where): Checked {
  const fields = spec.fields!;
  const out: Record<string, unknown> = {};
  let bad = false;
  for (const [k, v] of Object.entries(obj)) {
    const f = fields[k];
    if (!f) {
      ctx.report({ span: where.span, code: 'unknown-param', message: `${where.label}: unknown field '${k}'`, hint: closest(k, Object.keys(fields)) ? `did you mean '${closest(k, Object.keys(fields))}'?` : `fields: ${listOf(Object.keys(fields))}` });
      bad = true;
      continue;
    }
    if (v === null || v === undefined) continue;
    const c = checkPlain(ctx, v, f, { span: where.span, label: `${where.label}.${k}` });
    if (c === INVALID) bad = true;
    else out[k] = c;
  }
  for (const [k, f] of fieldList(fields)) {
    if (k in out || (obj[k] !== undefined && obj[k] !== null)) continue;
    if (f.required) {
      ctx.report({ span: where.span, code: 'missing-required', message: `${where.label} is missing '${k}'`, hint: f.description });
      bad = true;
    } else if (f.default !== undefined) out[k] = copyDefault(f.default);
  }
  return bad ? INVALID : out;
}

/** Checks a node against a spec; returns the coerced value (defaults filled in) or INVALID after reporting. */
export function checkNode(ctx: ValueCtx, node: YNode, spec: ParamSpec, label: string, anchor?: Span): Checked {
  node = deref(ctx.doc, node);
  const span = spanOf(node, anchor);
  if (node && isScalar(node)) {
    if (node.value == null) return null;
    if (typeof node.value === 'string' && hasExpr(node.value)) {
      const v = renderNode(ctx, node);
      if (v === INVALID) return INVALID;
      if (v === null || v === undefined) return null;
      return checkPlain(ctx, v, spec, { span, label });
    }
    return checkPlain(ctx, node.value, spec, { span, label, source: node.source });
  }
  const types = typesOf(spec);
  if (node && isSeq(node) && types.includes('list')) {
    if (!spec.items) return renderNode(ctx, node);
    const out = node.items.map((item, i) => checkNode(ctx, item as YNode, spec.items!, `${label}[${i}]`, span));
    return out.includes(INVALID) ? INVALID : out;
  }
  if (node && isMap(node) && types.includes('map')) {
    if (!spec.fields) return renderNode(ctx, node);
    return checkFields(ctx, node, spec.fields, label, 'unknown-param').value;
  }
  if (node == null) return null;
  const kind = isSeq(node) ? 'a list' : isMap(node) ? 'a mapping' : 'this';
  ctx.report({ span, code: 'wrong-type', message: `${label} must be ${types.map((t) => article(t)).join(' or ')}, not ${kind}`, hint: spec.description });
  return INVALID;
}

const fieldLists = new WeakMap<object, [string, ParamSpec][]>();

/** The fields of a spec as a list, made once per spec: checked for every task of every host. */
function fieldList(fields: Readonly<Record<string, ParamSpec>>): [string, ParamSpec][] {
  let list = fieldLists.get(fields);
  if (!list) fieldLists.set(fields, (list = Object.entries(fields)));
  return list;
}

/** A default value that the caller may change: objects are copied. */
function copyDefault(v: unknown): unknown {
  return v !== null && typeof v === 'object' ? structuredClone(v) : v;
}

/** Checks a mapping node against field specs: unknown keys, required, each value; fills defaults. */
export function checkFields(
  ctx: ValueCtx,
  map: import('yaml').YAMLMap,
  fields: Readonly<Record<string, ParamSpec>>,
  label: string,
  unknownCode: string,
  unknownMessage?: (key: string) => string,
): { value: Checked; keySpans: Map<string, Span> } {
  const out: Record<string, unknown> = {};
  const keySpans = new Map<string, Span>();
  const invalid = new Set<string>();
  let bad = false;
  for (const e of entries(ctx.doc, map)) {
    keySpans.set(e.key, e.keySpan);
    const f = fields[e.key];
    if (!f) {
      const near = closest(e.key, Object.keys(fields));
      ctx.report({
        span: e.keySpan,
        code: unknownCode,
        message: unknownMessage ? unknownMessage(e.key) : `unknown field '${e.key}' in ${label}`,
        hint: near ? `did you mean '${near}'?` : `expected: ${listOf(Object.keys(fields), 12)}`,
        ...(near ? { data: { replace: near } } : {}),
      });
      bad = true;
      continue;
    }
    const v = checkNode(ctx, e.value, f, e.key, e.keySpan);
    if (v === INVALID) {
      bad = true;
      invalid.add(e.key);
    } else if (v !== null && v !== undefined) out[e.key] = v;
  }
  const required: string[] = [];
  for (const [k, f] of fieldList(fields)) {
    if (k in out || invalid.has(k)) continue;
    if (f.required) required.push(k);
    else if (f.default !== undefined) out[k] = copyDefault(f.default);
  }
  if (required.length) {
    ctx.report({
      span: headSpan(map, spanOf(map)),
      code: 'missing-required',
      message: `${label} is missing '${required.join("', '")}'`,
      hint: fields[required[0]].description,
      data: { missing: required },
    });
    bad = true;
  }
  return { value: bad ? INVALID : out, keySpans };
}

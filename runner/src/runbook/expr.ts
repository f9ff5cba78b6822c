import { closest } from './suggest.js';

/**
 * The `{{ }}` expression language: variable paths, list indexing, string/number/bool
 * literals and a few filters. An expression is data: nothing else is evaluated.
 */

export type Expr =
  | { kind: 'path'; root: string; segs: PathSeg[]; start: number; end: number }
  | { kind: 'literal'; value: string | number | boolean | null; start: number; end: number }
  | { kind: 'filter'; input: Expr; name: string; args: Expr[]; start: number; end: number; nameStart: number };

export interface PathSeg {
  /** A name, a list index, or a path whose value is the key: `hosts[peer]`. */
  key: string | number;
  ref?: Extract<Expr, { kind: 'path' }>;
  start: number;
  end: number;
}

export interface ExprError {
  /** `poisoned`: a variable it reads failed to evaluate; that failure was reported where it is defined. */
  code: 'expression-syntax' | 'undefined-variable' | 'unknown-filter' | 'filter-type' | 'bad-path' | 'poisoned';
  message: string;
  hint?: string;
  /** Offsets relative to the start of the template string. */
  start: number;
  end: number;
  /** For did-you-mean quick fixes. */
  replace?: string;
}

export type Segment =
  | { kind: 'text'; text: string; start: number; end: number }
  | { kind: 'expr'; source: string; start: number; end: number; expr?: Expr; error?: ExprError };

export const FILTERS = {
  default: 'the value, or the argument when the value is undefined: `{{ port | default(61616) }}`',
  join: 'a list joined into a string with the separator: `{{ groups.brokers | join(",") }}`',
  upper: 'the string in upper case',
  lower: 'the string in lower case',
  not: 'true for false and false for true: `{{ loop.first | not }}`',
  without: 'the list without the items equal to the argument: `{{ groups.brokers | without(host.name) }}`',
  if: 'the list when the argument is true, an empty list when it is false: `{{ tls_frontends | if(tls) }}`',
} as const;

export function hasExpr(s: string): boolean {
  return s.includes('{{');
}

/** Splits a string into text and `{{ }}` parts, parsing each expression. */
export function splitTemplate(s: string): Segment[] {
  const out: Segment[] = [];
  let i = 0;
  while (i < s.length) {
    const open = s.indexOf('{{', i);
    if (open < 0) {
      out.push({ kind: 'text', text: s.slice(i), start: i, end: s.length });
      break;
    }
    if (open > i) out.push({ kind: 'text', text: s.slice(i, open), start: i, end: open });
    const close = findClose(s, open + 2);
    if (close < 0) {
      out.push({
        kind: 'expr',
        source: s.slice(open + 2),
        start: open,
        end: s.length,
        error: { code: 'expression-syntax', message: "unclosed '{{'", hint: "end the expression with '}}'", start: open, end: s.length },
      });
      break;
    }
    const source = s.slice(open + 2, close);
    const parsed = parseExpr(source, open + 2);
    out.push(
      'code' in parsed
        ? { kind: 'expr', source, start: open, end: close + 2, error: parsed }
        : { kind: 'expr', source, start: open, end: close + 2, expr: parsed },
    );
    i = close + 2;
  }
  return out;
}

/** Index of the `}}` closing an expression opened before `from`, skipping quoted strings. */
function findClose(s: string, from: number): number {
  let quote: string | null = null;
  for (let i = from; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}' && s[i + 1] === '}') return i;
  }
  return -1;
}

/** A whole-string expression keeps its type: `"{{ port }}"` is a number. */
export function isWholeExpr(segs: readonly Segment[]): boolean {
  const nonBlank = segs.filter((x) => x.kind === 'expr' || x.text.trim() !== '');
  return nonBlank.length === 1 && nonBlank[0].kind === 'expr';
}

type Tok =
  | { t: 'ident'; v: string; start: number; end: number }
  | { t: 'str'; v: string; start: number; end: number }
  | { t: 'num'; v: number; start: number; end: number }
  | { t: 'punct'; v: '.' | '[' | ']' | '|' | '(' | ')' | ','; start: number; end: number }
  | { t: 'bad'; v: string; start: number; end: number };

function tokenize(src: string, base: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = base + i;
    if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < src.length && /[A-Za-z0-9_-]/.test(src[j])) j++;
      toks.push({ t: 'ident', v: src.slice(i, j), start, end: base + j });
      i = j;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(src[i + 1] ?? ''))) {
      let j = i + 1;
      while (j < src.length && /[0-9.]/.test(src[j])) j++;
      const text = src.slice(i, j);
      const v = Number(text);
      toks.push(Number.isFinite(v) ? { t: 'num', v, start, end: base + j } : { t: 'bad', v: text, start, end: base + j });
      i = j;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      let v = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\' && j + 1 < src.length) {
          const n = src[j + 1];
          v += n === 'n' ? '\n' : n === 't' ? '\t' : n;
          j += 2;
        } else v += src[j++];
      }
      if (j >= src.length) {
        toks.push({ t: 'bad', v: src.slice(i), start, end: base + src.length });
        i = src.length;
      } else {
        toks.push({ t: 'str', v, start, end: base + j + 1 });
        i = j + 1;
      }
    } else if ('.[]|(),'.includes(c)) {
      toks.push({ t: 'punct', v: c as '.', start, end: start + 1 });
      i++;
    } else {
      let j = i + 1;
      while (j < src.length && !/[\sA-Za-z0-9_.[\]|(),'"]/.test(src[j])) j++;
      toks.push({ t: 'bad', v: src.slice(i, j), start, end: base + j });
      i = j;
    }
  }
  return toks;
}

const NOT_CODE_HINT = 'expressions hold variable paths, [index], literals and the filters default, join, upper, lower; nothing else is evaluated';

/** Parses the inside of `{{ }}`; offsets in the result are `base`-relative. */
export function parseExpr(src: string, base = 0): Expr | ExprError {
  const toks = tokenize(src, base);
  let p = 0;
  const end = base + src.length;
  const fail = (message: string, at?: Tok, hint = NOT_CODE_HINT): ExprError => ({
    code: 'expression-syntax',
    message,
    hint,
    start: at?.start ?? Math.max(base - 2, 0),
    end: at?.end ?? end + 2,
  });
  const peek = () => toks[p];
  const isP = (v: string) => toks[p]?.t === 'punct' && toks[p].v === v;

  function primary(): Expr | ExprError {
    const t = toks[p];
    if (!t) return fail('empty expression', undefined, 'write a variable name between {{ and }}');
    if (t.t === 'str' || t.t === 'num') {
      p++;
      return { kind: 'literal', value: t.v, start: t.start, end: t.end };
    }
    if (t.t === 'ident') {
      p++;
      if (t.v === 'true' || t.v === 'false') return { kind: 'literal', value: t.v === 'true', start: t.start, end: t.end };
      if (t.v === 'null' || t.v === 'none') return { kind: 'literal', value: null, start: t.start, end: t.end };
      const segs: PathSeg[] = [];
      let last = t.end;
      for (;;) {
        if (isP('.')) {
          const dot = toks[p++];
          const name = toks[p];
          if (!name || (name.t !== 'ident' && name.t !== 'num')) return fail("expected a name after '.'", name ?? dot);
          p++;
          segs.push({ key: String(name.v), start: name.start, end: name.end });
          last = name.end;
        } else if (isP('[')) {
          const open = toks[p++];
          const idx = toks[p];
          if (idx?.t === 'ident') {
            const ref = primary();
            if ('code' in ref) return ref;
            if (ref.kind !== 'path') return fail('expected a number, a quoted key or a variable inside [ ]', idx);
            if (!isP(']')) return fail("expected ']'", toks[p] ?? open);
            const close = toks[p++];
            segs.push({ key: '', ref, start: ref.start, end: ref.end });
            last = close.end;
            continue;
          }
          if (!idx || (idx.t !== 'num' && idx.t !== 'str')) return fail('expected a number, a quoted key or a variable inside [ ]', idx ?? open);
          if (idx.t === 'num' && (!Number.isInteger(idx.v) || idx.v < 0)) return fail('a list index is a whole number from 0', idx);
          p++;
          if (!isP(']')) return fail("expected ']'", toks[p] ?? open);
          const close = toks[p++];
          segs.push({ key: idx.v, start: idx.start, end: idx.end });
          last = close.end;
        } else break;
      }
      return { kind: 'path', root: t.v, segs, start: t.start, end: last };
    }
    return fail(`unexpected '${t.v}'`, t);
  }

  let expr = primary();
  if ('code' in expr) return expr;
  while (isP('|')) {
    const bar = toks[p++];
    const name = toks[p];
    if (!name || name.t !== 'ident') return fail("expected a filter name after '|'", name ?? bar, `filters: ${Object.keys(FILTERS).join(', ')}`);
    p++;
    const args: Expr[] = [];
    let last = name.end;
    if (isP('(')) {
      const open = toks[p++];
      if (!isP(')')) {
        for (;;) {
          const a = primary();
          if ('code' in a) return a;
          args.push(a);
          if (isP(',')) {
            p++;
            continue;
          }
          break;
        }
      }
      if (!isP(')')) return fail("expected ')'", toks[p] ?? open);
      last = toks[p++].end;
    }
    expr = { kind: 'filter', input: expr, name: name.v, args, start: expr.start, end: last, nameStart: name.start };
  }
  const rest = peek();
  if (rest) {
    const text = src.slice(rest.start - base).trim();
    const looksLikeCode = /^(==|!=|<|>|\+|-|\*|\/|and\b|or\b|not\b|if\b|\()/.test(text);
    return fail(
      looksLikeCode ? `operators are not supported: '${text.split(/\s+/)[0]}'` : `unexpected '${rest.t === 'punct' ? rest.v : String(rest.v)}'`,
      rest,
    );
  }
  return expr;
}

/** Values behind which variables are computed on demand (host scopes, `hosts.X.vars`). */
export interface Lazy {
  readonly lazy: true;
  get(key: string): { found: true; value: unknown } | { found: false };
  keys(): string[];
}

export function isLazy(v: unknown): v is Lazy {
  return typeof v === 'object' && v !== null && (v as Lazy).lazy === true;
}

export interface Resolver {
  lookup(name: string): { found: true; value: unknown } | { found: false };
  names(): string[];
}

/** Unwinds a failed evaluation to evaluate(); not an Error, so no stack trace is captured for it. */
class Fail {
  constructor(readonly err: ExprError) {}
}

/** Where a path stopped: `at` is the index of the segment not found (-1: the root variable), `container` what it was looked up in. */
class Missing {
  constructor(
    readonly path: Extract<Expr, { kind: 'path' }>,
    readonly at: number,
    readonly container: unknown,
  ) {}
}

/** The value of a variable whose own definition failed to evaluate. */
export const POISON = Symbol('poison');

function describe(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  if (isLazy(v) || typeof v === 'object') return 'a mapping';
  return `a ${typeof v === 'number' ? 'number' : typeof v === 'boolean' ? 'boolean' : 'string'}`;
}

function keysOf(v: unknown): string[] {
  if (isLazy(v)) return v.keys();
  if (v && typeof v === 'object' && !Array.isArray(v)) return Object.keys(v);
  return [];
}

function pathText(root: string, segs: PathSeg[], n: number): string {
  let s = root;
  for (const seg of segs.slice(0, n)) s += typeof seg.key === 'number' ? `[${seg.key}]` : `.${seg.key}`;
  return s;
}

/** A path with every `[variable]` index replaced by its value. */
function bindRefs(e: Extract<Expr, { kind: 'path' }>, r: Resolver): Extract<Expr, { kind: 'path' }> {
  if (!e.segs.some((s) => s.ref)) return e;
  const segs = e.segs.map((seg) => {
    if (!seg.ref) return seg;
    const v = strict(seg.ref, r);
    if (typeof v !== 'string' && !(typeof v === 'number' && Number.isInteger(v) && v >= 0)) {
      throw new Fail({ code: 'bad-path', message: `an index must be a name or a whole number, and ${pathText(seg.ref.root, seg.ref.segs, seg.ref.segs.length)} is ${describe(v)}`, start: seg.start, end: seg.end });
    }
    return { key: v, start: seg.start, end: seg.end };
  });
  return { ...e, segs };
}

function evalPath(e: Extract<Expr, { kind: 'path' }>, r: Resolver): unknown {
  const root = r.lookup(e.root);
  if (!root.found) return new Missing(e, -1, undefined);
  let v = root.value;
  const poisoned = () => new Fail({ code: 'poisoned', message: 'a variable it reads is invalid', start: e.start, end: e.end });
  if (v === POISON) throw poisoned();
  for (let i = 0; i < e.segs.length; i++) {
    const seg = e.segs[i];
    if (isLazy(v)) {
      const got = v.get(String(seg.key));
      if (!got.found) return new Missing(e, i, v);
      if (got.value === POISON) throw poisoned();
      v = got.value;
    } else if (Array.isArray(v)) {
      if (typeof seg.key !== 'number') {
        throw new Fail({ code: 'bad-path', message: `${pathText(e.root, e.segs, i)} is a list; index it with [n]`, start: seg.start, end: seg.end });
      }
      if (seg.key >= v.length) {
        throw new Fail({
          code: 'bad-path',
          message: `index ${seg.key} is out of range: ${pathText(e.root, e.segs, i)} has ${v.length} item${v.length === 1 ? '' : 's'}`,
          start: seg.start,
          end: seg.end,
        });
      }
      v = v[seg.key];
    } else if (v && typeof v === 'object') {
      const key = String(seg.key);
      if (!Object.prototype.hasOwnProperty.call(v, key)) return new Missing(e, i, v);
      v = (v as Record<string, unknown>)[key];
    } else {
      throw new Fail({
        code: 'bad-path',
        message: `${pathText(e.root, e.segs, i)} is ${describe(v)}; it has no '${seg.key}'`,
        start: seg.start,
        end: seg.end,
      });
    }
  }
  return v;
}

function undefinedError(m: Missing, r: Resolver): ExprError {
  const e = m.path;
  if (m.at < 0) {
    const near = closest(e.root, r.names());
    return {
      code: 'undefined-variable',
      message: `undefined variable '${e.root}'`,
      hint: near ? `did you mean '${near}'?` : 'define it in vars, the inventory, or with -e; or use | default(...)',
      start: e.start,
      end: e.start + e.root.length,
      ...(near ? { replace: near } : {}),
    };
  }
  const seg = e.segs[m.at];
  const keys = keysOf(m.container);
  const near = closest(String(seg.key), keys);
  return {
    code: 'undefined-variable',
    message: `undefined: '${pathText(e.root, e.segs, m.at + 1)}' (${pathText(e.root, e.segs, m.at)} has no '${seg.key}')`,
    hint: near ? `did you mean '${near}'?` : keys.length ? `it has: ${keys.slice(0, 8).join(', ')}` : undefined,
    start: seg.start,
    end: seg.end,
    ...(near ? { replace: near } : {}),
  };
}

function evalExpr(e: Expr, r: Resolver): unknown {
  switch (e.kind) {
    case 'literal':
      return e.value;
    case 'path':
      return evalPath(bindRefs(e, r), r);
    case 'filter': {
      const input = evalExpr(e.input, r);
      const args = e.args.map((a) => strict(a, r));
      const nameSpan = { start: e.nameStart, end: e.nameStart + e.name.length };
      switch (e.name) {
        case 'default':
          if (args.length !== 1) throw new Fail({ code: 'filter-type', message: 'default takes one argument: default(value)', ...nameSpan });
          return input instanceof Missing || input === null ? args[0] : input;
        case 'join': {
          const v = need(input, r);
          if (args.length > 1) throw new Fail({ code: 'filter-type', message: 'join takes one argument: join(separator)', ...nameSpan });
          const sep = args.length ? args[0] : ',';
          if (!Array.isArray(v)) throw new Fail({ code: 'filter-type', message: `join needs a list, got ${describe(v)}`, ...nameSpan });
          if (typeof sep !== 'string') throw new Fail({ code: 'filter-type', message: 'the separator of join must be a string', ...nameSpan });
          return v.map((x) => stringify(x)).join(sep);
        }
        case 'not': {
          const v = need(input, r);
          if (args.length) throw new Fail({ code: 'filter-type', message: 'not takes no argument', ...nameSpan });
          if (typeof v !== 'boolean') throw new Fail({ code: 'filter-type', message: `not needs true or false, got ${describe(v)}`, ...nameSpan });
          return !v;
        }
        case 'without': {
          const v = need(input, r);
          if (args.length !== 1) throw new Fail({ code: 'filter-type', message: 'without takes one argument: without(value)', ...nameSpan });
          if (!Array.isArray(v)) throw new Fail({ code: 'filter-type', message: `without needs a list, got ${describe(v)}`, ...nameSpan });
          return v.filter((x) => x !== args[0]);
        }
        case 'if': {
          const v = need(input, r);
          if (args.length !== 1 || typeof args[0] !== 'boolean') throw new Fail({ code: 'filter-type', message: 'if takes one argument, true or false: if(tls)', ...nameSpan });
          if (!Array.isArray(v)) throw new Fail({ code: 'filter-type', message: `if needs a list, got ${describe(v)}`, ...nameSpan });
          return args[0] ? v : [];
        }
        case 'upper':
        case 'lower': {
          const v = need(input, r);
          if (args.length) throw new Fail({ code: 'filter-type', message: `${e.name} takes no argument`, ...nameSpan });
          if (typeof v !== 'string') throw new Fail({ code: 'filter-type', message: `${e.name} needs a string, got ${describe(v)}`, ...nameSpan });
          return e.name === 'upper' ? v.toUpperCase() : v.toLowerCase();
        }
        default: {
          const near = closest(e.name, Object.keys(FILTERS));
          throw new Fail({
            code: 'unknown-filter',
            message: `unknown filter '${e.name}'`,
            hint: near ? `did you mean '${near}'?` : `filters: ${Object.keys(FILTERS).join(', ')}`,
            ...nameSpan,
            ...(near ? { replace: near } : {}),
          });
        }
      }
    }
  }
}

function need(v: unknown, r: Resolver): unknown {
  if (v instanceof Missing) throw new Fail(undefinedError(v, r));
  return v;
}

function strict(e: Expr, r: Resolver): unknown {
  return need(evalExpr(e, r), r);
}

/** Evaluates one parsed expression. Undefined values are errors unless caught by `default`. */
export function evaluate(e: Expr, r: Resolver): { ok: true; value: unknown } | { ok: false; error: ExprError } {
  try {
    return { ok: true, value: resolveLazy(strict(e, r)) };
  } catch (err) {
    if (err instanceof Fail) return { ok: false, error: err.err };
    throw err;
  }
}

/** A lazy mapping reached as a value becomes a plain object (its keys evaluated). */
function resolveLazy(v: unknown): unknown {
  if (isLazy(v)) {
    const out: Record<string, unknown> = {};
    for (const k of v.keys()) {
      const got = v.get(k);
      if (got.found) out[k] = resolveLazy(got.value);
    }
    return out;
  }
  return v;
}

export function stringify(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

const templates = new Map<string, readonly Segment[]>();
const TEMPLATES_KEPT = 20_000;

/**
 * splitTemplate, remembered: the same strings are rendered for every host of every play, and read
 * again after every edit. Shared: read-only.
 */
export function parsedTemplate(s: string): readonly Segment[] {
  let segs = templates.get(s);
  if (!segs) {
    if (templates.size >= TEMPLATES_KEPT) templates.clear();
    segs = splitTemplate(s);
    templates.set(s, segs);
  }
  return segs;
}

/** Renders a template string: a whole-string expression keeps its type; otherwise the parts are joined as text. */
export function render(s: string, r: Resolver): { value: unknown; errors: ExprError[] } {
  if (!hasExpr(s)) return { value: s, errors: [] };
  const segs = parsedTemplate(s);
  const errors: ExprError[] = [];
  const parts: unknown[] = [];
  for (const seg of segs) {
    if (seg.kind === 'text') {
      parts.push(seg.text);
      continue;
    }
    if (seg.error) {
      errors.push(seg.error);
      continue;
    }
    const got = evaluate(seg.expr!, r);
    if (got.ok) parts.push(got.value);
    else errors.push(got.error);
  }
  if (errors.length) return { value: undefined, errors };
  if (isWholeExpr(segs)) return { value: parts.find((_, i) => segs[i].kind === 'expr'), errors };
  return { value: parts.map(stringify).join(''), errors };
}

/** Every variable path an expression reads (for definitions, references and dependency tracking). */
export function pathsIn(e: Expr): Extract<Expr, { kind: 'path' }>[] {
  switch (e.kind) {
    case 'literal':
      return [];
    case 'path':
      return [e, ...e.segs.flatMap((s) => (s.ref ? pathsIn(s.ref) : []))];
    case 'filter':
      return [...pathsIn(e.input), ...e.args.flatMap(pathsIn)];
  }
}

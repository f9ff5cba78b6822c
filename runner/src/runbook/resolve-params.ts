import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { AnyModule, ParamProblem } from '../modules/lib/define.js';
import type { Span } from './diagnostics.js';
import type { TaskModel } from './model.js';
import { deref, entries, spanOf, type YNode } from './nodes.js';
import { checkFields, checkNode, INVALID, type Checked, type ValueCtx } from './values.js';

/** Resolved, typed parameters of a task for one host (defaults filled in), or INVALID after reporting. */
export function resolveParams(ctx: ValueCtx, task: TaskModel, mod: AnyModule): Checked {
  const anchor: Span = task.moduleKeySpan ?? task.span;
  const node = deref(ctx.doc, task.params);
  let params: Checked;
  let keySpans = new Map<string, Span>();
  if (node && isMap(node)) {
    const got = checkFields(ctx, node, mod.params, `module '${mod.name}'`, 'unknown-param', (k) => `unknown parameter '${k}' for module '${mod.name}'`);
    params = got.value;
    keySpans = got.keySpans;
    if (params === INVALID) return INVALID;
  } else if (node && isScalar(node) && node.value != null && mod.freeForm) {
    const v = checkNode(ctx, node, mod.params[mod.freeForm], mod.freeForm);
    if (v === INVALID) return INVALID;
    params = { [mod.freeForm]: v };
    for (const [k, spec] of Object.entries(mod.params)) {
      if (k !== mod.freeForm && spec.default !== undefined) (params as Record<string, unknown>)[k] = structuredClone(spec.default);
    }
    keySpans.set(mod.freeForm, spanOf(node));
    const missing = Object.entries(mod.params).filter(([k, s]) => s.required && k !== mod.freeForm).map(([k]) => k);
    if (missing.length) {
      ctx.report({ span: anchor, code: 'missing-required', message: `module '${mod.name}' is missing '${missing.join("', '")}'`, hint: mod.params[missing[0]].description, data: { missing } });
      return INVALID;
    }
  } else if (node == null || (isScalar(node) && node.value == null)) {
    const required = Object.entries(mod.params).filter(([, s]) => s.required).map(([k]) => k);
    if (required.length) {
      ctx.report({ span: anchor, code: 'missing-required', message: `module '${mod.name}' is missing '${required.join("', '")}'`, hint: mod.params[required[0]].description, data: { missing: required } });
      return INVALID;
    }
    params = Object.fromEntries(Object.entries(mod.params).filter(([, s]) => s.default !== undefined).map(([k, s]) => [k, structuredClone(s.default)]));
  } else {
    ctx.report({
      span: spanOf(node, anchor),
      code: 'wrong-type',
      message: `module '${mod.name}' takes a mapping of parameters${mod.freeForm ? ` or a ${mod.freeForm}` : ''}`,
      hint: `e.g. ${mod.name}: { ${Object.keys(mod.params)[0]}: ... }`,
    });
    return INVALID;
  }
  const p = params as Record<string, unknown>;
  const at = (param?: string) => (param && keySpans.get(param)) || anchor;
  const where = (pr: ParamProblem) => (pr.path ? spanAtPath(ctx.doc, task, pr.path) : at(pr.param));
  let bad = false;
  for (const group of mod.exclusive ?? []) {
    const given = group.filter((k) => p[k] !== undefined && keySpans.has(k));
    if (given.length > 1) {
      ctx.report({ span: at(given[1]), code: 'exclusive', message: `'${given.join("' and '")}' cannot be used together`, hint: `give only one of ${group.join(', ')}` });
      bad = true;
    }
  }
  for (const group of mod.oneOf ?? []) {
    if (!group.some((k) => p[k] !== undefined)) {
      ctx.report({ span: anchor, code: 'missing-required', message: `module '${mod.name}' needs one of '${group.join("', '")}'`, data: { missing: [group[0]] } });
      bad = true;
    }
  }
  if (bad) return INVALID;
  const problems = mod.validate?.(p) ?? [];
  for (const pr of problems) {
    ctx.report({ span: where(pr), code: pr.code ?? 'bad-value', message: pr.message, ...(pr.hint ? { hint: pr.hint } : {}) });
  }
  return problems.length ? INVALID : p;
}

/** The span of a value inside a task's parameters, by path (['backends', 0, 'servers', 1, 'address']); the nearest found. */
export function spanAtPath(doc: Document, task: TaskModel, path: readonly (string | number)[]): Span {
  let node: YNode = deref(doc, task.params);
  let best: Span = task.moduleKeySpan ?? task.span;
  for (const seg of path) {
    if (typeof seg === 'string' && node && isMap(node)) {
      const e = entries(doc, node).find((x) => x.key === seg);
      if (!e) return best;
      best = spanOf(e.value, e.keySpan);
      node = e.value;
    } else if (typeof seg === 'number' && node && isSeq(node)) {
      const item = deref(doc, node.items[seg] as YNode);
      if (!item) return best;
      best = spanOf(item, best);
      node = item;
    } else return best;
  }
  return best;
}

/** `when`: true, false, or an expression giving one of them. */
export function resolveWhen(ctx: ValueCtx, task: TaskModel): boolean | typeof INVALID {
  if (task.when === undefined) return true;
  const v = checkNode(ctx, task.when, { type: 'bool', description: 'the condition' }, 'when');
  if (v === INVALID) return INVALID;
  return v === null ? true : (v as boolean);
}

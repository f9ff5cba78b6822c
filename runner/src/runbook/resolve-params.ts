import { isMap, isScalar, isSeq, type Document } from 'yaml';
import type { AnyModule } from '../modules/lib/define.js';
import type { ParamSpecs } from '../modules/lib/params.js';
import type { Span } from './diagnostics.js';
import type { TaskModel } from './model.js';
import { isEach } from './each.js';
import { deref, entries, isNullish, spanOf, type YNode } from './nodes.js';
import { INVALID, place, type Placed } from './placed.js';
import { checkMapping, checkNode, type Checked, type ValueCtx } from './values.js';

/** A task's module value as a placed mapping of parameters: a mapping, a free-form scalar, or nothing. */
function placeParams(ctx: ValueCtx, task: TaskModel, mod: AnyModule, anchor: Span): Placed | typeof INVALID | undefined {
  const node = deref(ctx.doc, task.params);
  if (node && isMap(node)) return place(ctx, node);
  if (isNullish(node)) return { value: {}, span: anchor, entries: [], head: anchor };
  if (node && isScalar(node) && mod.freeForm) {
    const p = place(ctx, node);
    if (p === INVALID) return INVALID;
    return { value: { [mod.freeForm]: p.value }, span: anchor, entries: [{ key: mod.freeForm, keySpan: p.span, value: p }], head: anchor };
  }
  return undefined;
}

/** Resolved, typed parameters of a task for one host (defaults filled in), or INVALID after reporting. */
export function resolveParams(ctx: ValueCtx, task: TaskModel, mod: AnyModule): Checked {
  const anchor: Span = task.moduleKeySpan ?? task.span;
  const placed = placeParams(ctx, task, mod, anchor);
  if (placed === INVALID) return INVALID;
  if (placed === undefined) {
    ctx.report({
      span: spanOf(deref(ctx.doc, task.params), anchor),
      code: 'wrong-type',
      message: `module '${mod.name}' takes a mapping of parameters${mod.freeForm ? ` or a ${mod.freeForm}` : ''}`,
      hint: `e.g. ${mod.name}: { ${Object.keys(mod.params)[0]}: ... }`,
    });
    return INVALID;
  }
  const { value } = checkMapping(ctx, placed, mod.params as ParamSpecs, {
    label: `module '${mod.name}'`,
    subject: mod.name,
    unknownCode: 'unknown-param',
    unknownMessage: (k) => `unknown parameter '${k}' for module '${mod.name}'`,
    ruleAnchor: anchor,
    ...(mod.exclusive ? { exclusive: mod.exclusive } : {}),
    ...(mod.oneOf ? { oneOf: mod.oneOf } : {}),
  });
  if (value === INVALID) return INVALID;
  const problems = mod.validate?.(value) ?? [];
  for (const pr of problems) {
    const path = pr.path ?? (pr.param ? [pr.param] : []);
    ctx.report({ span: path.length ? spanAtPath(ctx.doc, task, path, true) : anchor, code: pr.code ?? 'bad-value', message: pr.message, ...(pr.hint ? { hint: pr.hint } : {}) });
  }
  return problems.length ? INVALID : value;
}

/**
 * The span of a value inside a task's parameters, by path (['backends', 0, 'servers', 1, 'address']);
 * the nearest found. With `keyOfLast`, a top-level parameter is named by its key.
 */
export function spanAtPath(doc: Document, task: TaskModel, path: readonly (string | number)[], keyOfLast = false): Span {
  let node: YNode = deref(doc, task.params);
  let best: Span = task.moduleKeySpan ?? task.span;
  for (const [i, seg] of path.entries()) {
    if (typeof seg === 'string' && node && isMap(node)) {
      const e = entries(doc, node).find((x) => x.key === seg);
      if (!e) return best;
      best = keyOfLast && i === 0 && path.length === 1 ? e.keySpan : spanOf(e.value, e.keySpan);
      node = e.value;
    } else if (typeof seg === 'number' && node && isSeq(node)) {
      // A list made by one for_each item: every index is written in its template.
      const only = node.items.length === 1 ? deref(doc, node.items[0] as YNode) : undefined;
      const template = isEach(only) ? entries(doc, only).find((e) => e.key === 'item')?.value : undefined;
      const item = template ?? deref(doc, node.items[seg] as YNode);
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

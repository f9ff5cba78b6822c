import type { AnyModule, ClusterProblem, HostTask, Listener, ModuleDef, PlayRule, RunbookView } from '../modules/lib/define.js';
import type { ParamSpecs, ParamsOf } from '../modules/lib/params.js';
import type { Catalog } from '../modules/index.js';
import type { Reporter } from './diagnostics.js';
import type { PlayModel, TaskModel } from './model.js';
import type { RunbookDoc } from './parse.js';
import { spanAtPath } from './resolve-params.js';
import type { Scope } from './scope.js';
import { pushTo } from '../util/multimap.js';

/** A task's validated parameters on one host. */
export interface ResolvedTask {
  play: PlayModel;
  task: TaskModel;
  host: string;
  params: Record<string, unknown>;
  vars: Scope;
  /** Its `when` holds on this host. */
  runs: boolean;
}

function groupByTask(tasks: readonly ResolvedTask[]): ResolvedTask[][] {
  const groups = new Map<string, ResolvedTask[]>();
  for (const t of tasks) {
    const key = `${t.play.index}|${t.task.handler ? 'h' : 't'}${t.task.index}`;
    pushTo(groups, key, t);
  }
  return [...groups.values()];
}

/** Runs every module's cluster rule on the hosts of each of its tasks, then the rules that span modules. */
export function checkCluster(doc: RunbookDoc, tasks: readonly ResolvedTask[], catalog: Catalog, rules: readonly PlayRule[], report: Reporter, hostAt: (addressOrName: string) => string | undefined): void {
  const hostTask = <P>(t: ResolvedTask, params: P): HostTask<P> => ({
    host: t.host,
    task: t.task.name,
    play: t.play.name,
    runs: t.runs,
    params,
    at: (path = []) => spanAtPath(doc.yaml, t.task, path),
    variable: (name) => {
      const r = t.vars.lookup(name);
      return r.found ? r.value : undefined;
    },
  });
  const toReport = (p: ClusterProblem) => report({ span: p.at, code: p.code, message: p.message, ...(p.hint ? { hint: p.hint } : {}), ...(p.severity ? { severity: p.severity } : {}) });
  const groups = groupByTask(tasks);
  for (const group of groups) {
    const mod: AnyModule | undefined = catalog.get(group[0].task.module ?? '');
    mod?.cluster?.(group.map((t) => hostTask(t, t.params)), toReport);
  }
  let listeners: { task: HostTask<unknown>; listener: Listener }[] | undefined;
  const view: RunbookView = {
    tasksOf: <S extends ParamSpecs>(m: ModuleDef<S>) =>
      // The parameters were validated against this module's specs, so they have its parameter type.
      groups.filter((g) => g[0].task.module === m.name).map((g) => g.map((t) => hostTask(t, t.params as ParamsOf<S>))),
    listeners: () =>
      (listeners ??= tasks
        .filter((t) => t.runs && !t.task.handler)
        .flatMap((t) => listenersOf(catalog, t).map((listener: Listener) => ({ task: hostTask(t, t.params as unknown), listener })))),
    hostAt,
  };
  for (const rule of rules) rule.check(view, toReport);
}

/** Validated parameters are not changed after, and a play not edited keeps its objects: its listeners are read once. */
const listening = new WeakMap<object, readonly Listener[]>();

function listenersOf(catalog: Catalog, t: ResolvedTask): readonly Listener[] {
  let got = listening.get(t.params);
  if (!got) listening.set(t.params, (got = catalog.get(t.task.module ?? '')?.listens?.(t.params) ?? []));
  return got;
}

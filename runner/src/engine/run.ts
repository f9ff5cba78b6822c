import type { Analysis } from '../runbook/analyze.js';
import { taskKey } from '../runbook/analyze.js';
import type { PlayModel, TaskModel } from '../runbook/model.js';
import { catalog as defaultCatalog, type Catalog } from '../modules/index.js';
import type { ChangePlan, Plan } from '../modules/lib/plan.js';
import { CheckFailed, Unknowable } from '../modules/lib/context.js';
import { DryRunTransport } from '../transport/dry-run.js';
import { UnreachableError, type Transport } from '../transport/transport.js';
import { applyPlan } from './apply.js';
import { checkContext, hostProbe } from './context.js';
import { EXIT } from './exit-codes.js';
import { planCommands, planDetails, planDiff } from './describe.js';
import { emptyRecap, type CommandFailure, type CommandRun, type HostStatus, type RunEvent, type TaskResultEvent, type TaskResultFields } from './events.js';
import { Recorder } from './recorder.js';
import { batches, mapLimit } from './concurrency.js';
import { Overlay } from './overlay.js';
import { selectRun, type Selection } from './select.js';
import type { Ask, StepAnswer } from './step.js';

export interface RunOptions {
  dryRun: boolean;
  selection: Selection;
  /** Hosts worked on at once; all when undefined. */
  forks?: number;
  playbookName: string;
  playbookDir: string;
  inventory?: string;
  /** Stop after the running task. */
  stop: AbortSignal;
  /** Stop now: the commands running on every host are stopped (with their process groups). */
  abort?: AbortSignal;
  /** Keep every command each task ran, with its output, in its result. */
  verbose?: boolean;
  /** --step: asked before each change. */
  ask?: Ask;
  /** Masks secret values in everything emitted or asked. */
  mask: <T>(v: T) => T;
  detailedExitcode?: boolean;
  catalog?: Catalog;
  /**
   * Applying a saved plan: a change the check found is made only when this approves it; otherwise
   * it returns why not, and the task fails on that host with nothing changed.
   */
  approve?(result: TaskResultEvent): string | undefined;
}

export interface RunIO {
  connect(host: string): Promise<Transport>;
  emit(e: RunEvent): void;
}

interface HostState {
  transport?: Promise<Transport>;
  facts: Map<string, unknown>;
  overlay?: Overlay;
  /** Unreachable or failed: no further tasks. */
  out?: 'failed' | 'unreachable';
  /** The handlers notified in the current batch, each with the step of its latest notice. */
  notices: Map<string, number>;
  /** Services the run (re)started (or would), each with the task and step that did. */
  starts: Map<string, { task: string; step: number }>;
}

interface Outcome {
  host: string;
  status: HostStatus;
  message: string;
  plan?: ChangePlan;
  /** Why a dry-run cannot know the outcome. */
  unknown?: string;
  failure?: CommandFailure;
  ran?: CommandRun[];
  ms: number;
}

/** Output kept of a failing command: the faces show its end (all of it with --verbose). */
const OUTPUT_KEPT = 1000;

function kept(text: string): string {
  return text.trimEnd().split('\n').slice(-OUTPUT_KEPT).join('\n');
}

/**
 * A path, and the forms another host may know it by when they share a disk that each mounts at a
 * folder of its own (/net/nfs1/data/x here is /data/x there): its tails of two components or more.
 */
export function sharedForms(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return [path, ...parts.slice(1, -1).map((_, i) => `/${parts.slice(i + 1).join('/')}`)];
}

/** Runs the selected plays: check, show, ask, apply, per task and host. Returns the exit code. */
export async function runPlaybook(a: Analysis, opts: RunOptions, io: RunIO): Promise<number> {
  const started = Date.now();
  const catalog = opts.catalog ?? defaultCatalog;
  const { plays } = selectRun(a, opts.selection);
  const allHosts = [...new Set(plays.flatMap((p) => p.hosts))];
  const recap = emptyRecap(allHosts);
  const hosts = new Map<string, HostState>(allHosts.map((h) => [h, { facts: new Map(), notices: new Map(), starts: new Map(), ...(opts.dryRun ? { overlay: new Overlay() } : {}) }]));
  const emit = (e: RunEvent) => io.emit(opts.mask(e));
  let stopped = false;
  let stepAll = false;
  let failedTasks = 0;
  /** Counts the tasks and handlers run, so notices and starts can be ordered. */
  let step = 0;

  emit({
    type: 'run_start',
    playbook: opts.playbookName,
    ...(opts.inventory ? { inventory: opts.inventory } : {}),
    dry_run: opts.dryRun,
    hosts: allHosts,
    plays: plays.map((p) => ({ name: p.play.name, hosts: p.hosts, tasks: p.tasks.map((t) => t.name) })),
  });

  const transportOf = (host: string): Promise<Transport> => {
    const s = hosts.get(host)!;
    s.transport ??= io.connect(host);
    return s.transport;
  };

  // Stop now: every command running on any host is stopped; the run then ends as after a stop.
  let aborted = false;
  opts.abort?.addEventListener('abort', () => {
    aborted = true;
    for (const s of hosts.values()) void s.transport?.then((t) => t.abort()).catch(() => undefined);
  });
  const failure = (e: unknown, state: HostState, dryRun: boolean) => {
    const o = failureOutcome(e, state, dryRun);
    return aborted && o.status === 'failed' ? { ...o, message: `stopped by the abort: ${o.message}` } : o;
  };

  const checkOne = async (play: PlayModel, task: TaskModel, host: string): Promise<Outcome> => {
    const t0 = Date.now();
    const done = (o: Omit<Outcome, 'host' | 'ms'>): Outcome => ({ host, ms: Date.now() - t0, ...o });
    const key = taskKey(play, task, host);
    if (a.whens.get(key) === false) return done({ status: 'skipped', message: 'condition is false' });
    const mod = catalog.get(task.module ?? '');
    const params = a.params.get(key);
    if (!mod?.check || params === undefined) return done({ status: 'failed', message: `module '${task.module}' cannot run here` });
    const state = hosts.get(host)!;
    let recorder: Recorder | undefined;
    const ran = () => (recorder ? { ran: recorder.ran } : {});
    try {
      const raw = await transportOf(host);
      if (opts.verbose) recorder = new Recorder(raw);
      const transport = opts.dryRun ? new DryRunTransport(recorder ?? raw) : (recorder ?? raw);
      const ctx = checkContext({
        host: { name: host, address: a.scopes.address(host, play) },
        transport,
        become: task.become ?? play.become,
        dryRun: opts.dryRun,
        ...(state.overlay ? { overlay: state.overlay, plannedOn: (path: string) => sharedForms(path).map((p) => [...hosts].find(([h, s]) => h !== host && s.overlay?.makes(p))?.[0]).find(Boolean) } : {}),
        facts: state.facts,
        ...(task.handler ? { startedAfterNotice: (service: string) => startedAfterNotice(state, task.name, service) } : {}),
        playbookDir: opts.playbookDir,
        vars: a.scopes.scope(host, play),
        signal: opts.stop,
      });
      const plan: Plan = await mod.check(ctx, params);
      if (plan.status === 'ok') return done({ status: 'ok', message: plan.note, ...(opts.dryRun && plan.unknown ? { unknown: plan.unknown } : {}), ...ran() });
      const below = state.overlay && plan.changes.map((c) => (c.kind === 'remove' || (c.kind === 'attrs' && c.recurse) ? state.overlay!.unknownBelow(c.path) : undefined)).find(Boolean);
      const why = plan.unknown ?? (below !== undefined ? `what is below it depends on what an earlier step does (${below})` : undefined);
      const unknown = opts.dryRun && why ? { unknown: why } : {};
      return done({ status: opts.dryRun ? 'would_change' : 'changed', message: plan.summary, plan, ...unknown, ...ran() });
    } catch (e) {
      return done({ ...failure(e, state, opts.dryRun), ...ran() });
    }
  };

  const applyOne = async (play: PlayModel, task: TaskModel, o: Outcome): Promise<Outcome> => {
    const t0 = Date.now();
    const state = hosts.get(o.host)!;
    let recorder: Recorder | undefined;
    const ran = () => (o.ran || recorder ? { ran: [...(o.ran ?? []), ...(recorder?.ran ?? [])] } : {});
    try {
      const raw = await transportOf(o.host);
      if (opts.verbose) recorder = new Recorder(raw);
      await applyPlan(recorder ?? raw, o.plan!, task.become ?? play.become);
      state.facts.clear();
      return { ...o, status: 'changed', ms: o.ms + Date.now() - t0, ...ran() };
    } catch (e) {
      state.facts.clear();
      return { ...o, ...failure(e, state, false), ms: o.ms + Date.now() - t0, ...ran() };
    }
  };

  /** In a dry-run, what a planned change would do becomes what later checks read. */
  const record = async (play: PlayModel, task: TaskModel, o: Outcome) => {
    const overlay = hosts.get(o.host)!.overlay;
    if (!overlay || !o.plan) return;
    const transport = new DryRunTransport(await transportOf(o.host));
    await overlay.record(o.plan.changes, hostProbe({ transport, become: task.become ?? play.become, facts: hosts.get(o.host)!.facts }));
  };

  const result = (play: PlayModel, task: TaskModel, module: string, o: Outcome): TaskResultFields => {
    const fields: TaskResultFields = { play: play.name, host: o.host, module, status: o.status, message: o.message, ms: o.ms };
    if (o.plan) {
      const diff = planDiff(o.plan);
      const details = planDetails(o.plan);
      const commands = planCommands(o.plan);
      if (diff) fields.diff = diff;
      if (details.length) fields.details = details;
      if (commands.length) fields.commands = commands;
    }
    if (o.unknown) {
      fields.unknown = true;
      fields.unknown_reason = o.unknown;
    }
    if (o.failure) fields.failure = o.failure;
    if (o.ran) fields.ran = o.ran;
    if ((o.status === 'failed' || o.status === 'would_fail') && task.ignoreErrors) fields.message += ' (ignored)';
    return fields;
  };

  const count = (play: PlayModel, o: Outcome, task: TaskModel) => {
    recap[o.host][o.status]++;
    const state = hosts.get(o.host)!;
    if (o.status === 'unreachable' && state.out !== 'unreachable') {
      state.out = 'unreachable';
      emit({ type: 'host_unreachable', play: play.name, host: o.host, message: o.message });
    }
    if (o.status === 'failed' || o.status === 'would_fail') {
      if (!task.ignoreErrors) {
        failedTasks++;
        state.out = 'failed';
      }
    }
  };

  /** One task (or handler) on a set of hosts: check all, ask once if needed, apply, report. Returns the hosts it changed (or would). */
  const runTask = async (play: PlayModel, task: TaskModel, targets: string[]): Promise<string[]> => {
    const module = task.module ?? '';
    const at = ++step;
    const report = (o: Outcome) => {
      if ((o.status === 'changed' || o.status === 'would_change') && o.plan?.starts !== undefined) hosts.get(o.host)!.starts.set(o.plan.starts, { task: task.name, step: at });
      const fields = result(play, task, module, o);
      emit(task.handler ? { type: 'handler_result', handler: task.name, ...fields } : { type: 'task_result', task: task.name, ...fields });
      count(play, o, task);
    };
    const pending: Outcome[] = [];
    const wouldChange: string[] = [];
    const refusal = (o: Outcome) => {
      const fields = opts.mask(result(play, task, module, o));
      return opts.approve?.(task.handler ? { type: 'handler_result', handler: task.name, ...fields } : { type: 'task_result', task: task.name, ...fields });
    };
    await mapLimit(targets, opts.forks ?? Infinity, async (host) => {
      const o = await checkOne(play, task, host);
      const refused = o.status === 'changed' ? refusal(o) : undefined;
      if (refused !== undefined) {
        const { plan: _, ...rest } = o;
        report({ ...rest, status: 'failed', message: `not applied: ${refused}` });
      } else if (o.status === 'changed') pending.push(o);
      else {
        if (o.status === 'would_change') {
          await record(play, task, o);
          wouldChange.push(host);
        }
        report(o);
      }
    });
    const changed = opts.dryRun ? [] : pending.sort((x, y) => targets.indexOf(x.host) - targets.indexOf(y.host));
    let answer: StepAnswer = 'yes';
    if (changed.length && opts.ask && !stepAll) {
      answer = await opts.ask(
        opts.mask({
          play: play.name,
          task: task.name,
          module,
          plans: changed.map((o) => {
            const f = result(play, task, module, o);
            return { host: o.host, message: f.message, ...(f.diff ? { diff: f.diff } : {}), ...(f.details ? { details: f.details } : {}), ...(f.commands ? { commands: f.commands } : {}) };
          }),
        }),
      );
      if (answer === 'all') stepAll = true;
    }
    if (answer === 'no' || answer === 'quit') {
      for (const { plan: _, ...o } of changed) report({ ...o, status: 'skipped', message: answer === 'no' ? `skipped at the prompt: ${o.message}` : `not applied (quit): ${o.message}` });
      if (answer === 'quit') stopped = true;
      return wouldChange;
    }
    const applied = await mapLimit(changed, opts.forks ?? Infinity, (o) => applyOne(play, task, o));
    for (const o of applied) report(o);
    return [...wouldChange, ...applied.filter((o) => o.status === 'changed').map((o) => o.host)];
  };

  // Connect to every host at once, at the start; a host that cannot be reached shows when it is first used.
  for (const h of allHosts) transportOf(h).catch(() => undefined);
  try {
    for (const { play, hosts: playHosts, tasks, handlers } of plays) {
      if (stopped || opts.stop.aborted) break;
      const live = playHosts.filter((h) => !hosts.get(h)!.out);
      emit({ type: 'play_start', play: play.name, hosts: live, ...(typeof play.serial === 'number' ? { serial: play.serial } : {}) });
      for (const batch of batches(live, play.serial)) {
        for (const h of batch) hosts.get(h)!.notices.clear();
        const notify = (task: TaskModel, changedHosts: string[]) => {
          for (const h of changedHosts) for (const n of task.notify) hosts.get(h)!.notices.set(n.name, step);
        };
        for (const task of tasks) {
          if (stopped || opts.stop.aborted) break;
          const targets = batch.filter((h) => !hosts.get(h)!.out);
          if (!targets.length) break;
          emit({ type: 'task_start', play: play.name, task: task.name, module: task.module ?? '', hosts: targets });
          notify(task, await runTask(play, task, targets));
        }
        if (stopped || opts.stop.aborted) break;
        for (const handler of handlers) {
          if (stopped || opts.stop.aborted) break;
          const targets = batch.filter((h) => !hosts.get(h)!.out && hosts.get(h)!.notices.has(handler.name));
          if (!targets.length) continue;
          emit({ type: 'handler_start', play: play.name, handler: handler.name, module: handler.module ?? '', hosts: targets });
          await runTask(play, handler, targets);
        }
      }
      emit({ type: 'play_end', play: play.name });
    }
  } finally {
    await Promise.all([...hosts.values()].map(async (s) => (await s.transport?.catch(() => undefined))?.close().catch(() => undefined)));
  }

  const interrupted = stopped || opts.stop.aborted || aborted;
  if (interrupted) emit({ type: 'interrupted', message: aborted ? 'aborted: the commands that were running were stopped' : stopped ? 'stopped at the prompt' : 'stopped after the running task' });
  const anyUnreachable = allHosts.some((h) => recap[h].unreachable > 0);
  const anyWould = allHosts.some((h) => recap[h].would_change > 0);
  const exit = interrupted ? EXIT.interrupted : anyUnreachable ? EXIT.unreachable : failedTasks > 0 ? EXIT.taskFailed : opts.dryRun && opts.detailedExitcode && anyWould ? EXIT.drift : EXIT.ok;
  emit({ type: 'run_end', recap, exit_code: exit, ms: Date.now() - started });
  return exit;
}

function failureOutcome(e: unknown, state: HostState, dryRun: boolean): Omit<Outcome, 'host' | 'ms'> {
  if (e instanceof UnreachableError) return { status: 'unreachable', message: e.message };
  if (e instanceof Unknowable) return { status: 'would_change', message: e.message, unknown: e.message };
  const opaque = state.overlay?.pending.at(-1);
  if (dryRun && opaque !== undefined && e instanceof CheckFailed) {
    return { status: 'would_change', unknown: `an earlier command (${opaque}) may change what this check found`, message: e.message };
  }
  if (e instanceof CheckFailed) {
    const c = e.command;
    return { status: dryRun ? 'would_fail' : 'failed', message: e.message, ...(c ? { failure: { cmd: c.cmd, exit_code: c.code, stdout: kept(c.stdout), stderr: kept(c.stderr) } } : {}) };
  }
  return { status: 'failed', message: (e as Error)?.message ?? String(e) };
}

/** The task that (re)started the service at or after the latest change that notified the handler. */
function startedAfterNotice(state: HostState, handler: string, service: string): string | undefined {
  const notice = state.notices.get(handler);
  const start = state.starts.get(service);
  return notice !== undefined && start !== undefined && start.step >= notice ? start.task : undefined;
}

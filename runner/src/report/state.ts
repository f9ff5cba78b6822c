/** What the interactive view knows about a run: a pure fold of the event stream. */
import { addResult, findPlay, finishRows, replaceAt, settleRows, startRow, updatePlay, withProgress } from './state-rows.js';
import type { Header, LogEntry, PlayState, RunAction, RunEnd, RunState, TaskRow } from './state-types.js';

export type * from './state-types.js';

export const initialState: RunState = {
  header: null,
  plays: [],
  log: [],
  progress: { done: 0, total: 0 },
  startedAt: null,
  step: null,
  stepPrinted: false,
  interrupting: false,
  aborted: false,
  end: null,
  nextRowId: 0,
};

/** `at` is the clock time of the action (used by run_start for the elapsed time). */
export function reduceRun(state: RunState, e: RunAction, at?: number): RunState {
  switch (e.type) {
    case 'run_start': {
      const header: Header = { playbook: e.playbook, dryRun: e.dry_run, hosts: e.hosts, ...(e.inventory !== undefined ? { inventory: e.inventory } : {}) };
      const plays = e.plays.map((p): PlayState => ({
        name: p.name, hosts: p.hosts, tasks: p.tasks, started: false, ended: false, rows: [], unreachable: {}, done: 0,
      }));
      const next = { ...state, header, plays, startedAt: at ?? state.startedAt, log: [...state.log, { kind: 'header' as const, header }] };
      return withProgress(next);
    }
    case 'play_start': {
      const idx = state.plays.findIndex((p) => p.name === e.play && !p.started);
      const base: PlayState = idx >= 0 ? state.plays[idx]! : { name: e.play, hosts: e.hosts, tasks: [], started: false, ended: false, rows: [], unreachable: {}, done: 0 };
      const play: PlayState = { ...base, hosts: e.hosts, started: true, ...(e.serial !== undefined ? { serial: e.serial } : {}) };
      const plays = idx >= 0 ? replaceAt(state.plays, idx, play) : [...state.plays, play];
      const entry: LogEntry = { kind: 'play', name: e.play, hosts: e.hosts, ...(e.serial !== undefined ? { serial: e.serial } : {}) };
      return withProgress({ ...state, plays, log: [...state.log, entry] });
    }
    case 'host_unreachable': {
      const play = findPlay(state, e.play);
      if (play?.unreachable[e.host] !== undefined) return state;
      const next = updatePlay(state, e.play, (p) => {
        const finishedTasks = new Set(p.rows.filter((r) => r.kind === 'task' && r.results[e.host]).map((r) => r.name));
        const remaining = p.tasks.filter((t) => !finishedTasks.has(t)).length;
        return { ...p, unreachable: { ...p.unreachable, [e.host]: e.message }, done: Math.min(p.tasks.length * p.hosts.length, p.done + remaining) };
      });
      // A task result already said so, with the same words: no second line.
      const told = play?.rows.some((r) => r.results[e.host]?.status === 'unreachable' && r.results[e.host]?.message === e.message);
      const log: LogEntry[] = told ? next.log : [...next.log, { kind: 'unreachable', play: e.play, host: e.host, message: e.message }];
      return settleRows(withProgress({ ...next, log }), e.play);
    }
    case 'task_start':
      return startRow(state, 'task', e.play, e.task, e.module, e.hosts);
    case 'handler_start':
      return startRow(state, 'handler', e.play, e.handler, e.module, e.hosts);
    case 'task_result':
      return addResult(state, 'task', e.task, e);
    case 'handler_result':
      return addResult(state, 'handler', e.handler, e);
    case 'play_end': {
      const closed = finishRows(state, (r) => r.play === e.play);
      return withProgress(updatePlay(closed, e.play, (p) => ({ ...p, ended: true, done: p.tasks.length * p.hosts.length })));
    }
    case 'interrupted':
      return { ...state, interrupting: true, log: [...state.log, { kind: 'interrupted', message: e.message }] };
    case 'run_end': {
      const closed = finishRows(state, () => true);
      const end: RunEnd = { recap: e.recap, exitCode: e.exit_code, ms: e.ms };
      return { ...closed, step: null, end, log: [...closed.log, { kind: 'recap', end }] };
    }
    case 'ui_step':
      return { ...state, step: e.question, stepPrinted: false };
    case 'ui_step_done':
      return { ...state, step: null, stepPrinted: false };
    case 'ui_step_print':
      if (!state.step || state.stepPrinted) return state;
      return { ...state, stepPrinted: true, log: [...state.log, { kind: 'plan', question: state.step }] };
    case 'ui_stop':
      return { ...state, interrupting: true };
    case 'ui_abort':
      return { ...state, interrupting: true, aborted: true };
    default: {
      // A missing case fails to compile here; an event from a newer engine is ignored at run time.
      const unknown: never = e;
      void unknown;
      return state;
    }
  }
}

/** Rows still running, in start order: the live part of the view. */
export function liveRows(state: RunState): TaskRow[] {
  return state.plays.flatMap((p) => p.rows.filter((r) => !r.finished));
}

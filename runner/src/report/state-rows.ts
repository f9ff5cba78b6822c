/** Plays and task rows inside the run state: finding, starting, filling and closing them. */
import type { TaskResultEvent } from '../engine/events.js';
import type { HostResult, LogEntry, PlayState, RunState, TaskRow } from './state-types.js';

export function startRow(state: RunState, kind: TaskRow['kind'], play: string, name: string, module: string, hosts: string[]): RunState {
  // Tasks of a play run one after another: a new one means the previous rows are final.
  const closed = finishRows(state, (r) => r.play === play);
  const row: TaskRow = { id: closed.nextRowId, kind, play, name, module, hosts, results: {}, finished: false };
  const withRow = ensurePlay(closed, play, hosts);
  return updatePlay({ ...withRow, nextRowId: withRow.nextRowId + 1 }, play, (p) => ({ ...p, rows: [...p.rows, row] }));
}

export function addResult(state: RunState, kind: TaskRow['kind'], name: string, e: TaskResultEvent): RunState {
  const result: HostResult = {
    status: e.status, message: e.message, ms: e.ms,
    ...(e.diff !== undefined ? { diff: e.diff } : {}),
    ...(e.details !== undefined ? { details: e.details } : {}),
    ...(e.commands !== undefined ? { commands: e.commands } : {}),
    ...(e.unknown !== undefined ? { unknown: e.unknown } : {}),
    ...(e.unknown_reason !== undefined ? { unknown_reason: e.unknown_reason } : {}),
    ...(e.failure !== undefined ? { failure: e.failure } : {}),
    ...(e.ran !== undefined ? { ran: e.ran } : {}),
  };
  let s = ensurePlay(state, e.play, [e.host]);
  if (!findRow(findPlay(s, e.play)!, kind, name, e.host)) s = startRow(s, kind, e.play, name, e.module, [e.host]);
  const play = findPlay(s, e.play)!;
  const row = findRow(play, kind, name, e.host)!;
  const counts = kind === 'task' && !row.results[e.host] && play.unreachable[e.host] === undefined;
  const updated: TaskRow = {
    ...row,
    hosts: row.hosts.includes(e.host) ? row.hosts : [...row.hosts, e.host],
    results: { ...row.results, [e.host]: result },
  };
  s = updatePlay(s, e.play, (p) => ({
    ...p,
    rows: p.rows.map((r) => (r.id === row.id ? updated : r)),
    done: counts ? Math.min(p.tasks.length * p.hosts.length, p.done + 1) : p.done,
  }));
  return settleRows(withProgress(s), e.play);
}

/** Moves rows whose every host has answered (or was dropped) to the log. */
export function settleRows(state: RunState, play: string): RunState {
  const p = findPlay(state, play);
  if (!p) return state;
  return finishRows(state, (r) => r.play === play && r.hosts.every((h) => r.results[h] !== undefined || p.unreachable[h] !== undefined));
}

export function finishRows(state: RunState, which: (r: TaskRow) => boolean): RunState {
  const done: LogEntry[] = [];
  const plays = state.plays.map((p) => {
    if (!p.rows.some((r) => !r.finished && which(r))) return p;
    const rows = p.rows.map((r) => {
      if (r.finished || !which(r)) return r;
      const finished = { ...r, finished: true };
      done.push({ kind: 'row', row: finished });
      return finished;
    });
    return { ...p, rows };
  });
  if (!done.length) return state;
  done.sort((a, b) => (a.kind === 'row' && b.kind === 'row' ? a.row.id - b.row.id : 0));
  return { ...state, plays, log: [...state.log, ...done] };
}

export function ensurePlay(state: RunState, name: string, hosts: string[]): RunState {
  if (findPlay(state, name)) return state;
  const play: PlayState = { name, hosts, tasks: [], started: true, ended: false, rows: [], unreachable: {}, done: 0 };
  return { ...state, plays: [...state.plays, play] };
}

/** The latest started play of that name (names may repeat), else the first pending one. */
export function findPlay(state: RunState, name: string): PlayState | undefined {
  const started = [...state.plays].reverse().find((p) => p.name === name && p.started);
  return started ?? state.plays.find((p) => p.name === name);
}

export function updatePlay(state: RunState, name: string, f: (p: PlayState) => PlayState): RunState {
  const target = findPlay(state, name);
  if (!target) return state;
  return { ...state, plays: state.plays.map((p) => (p === target ? f(p) : p)) };
}

/** The latest row of that name holding the host; else the latest of that name still open. */
function findRow(play: PlayState, kind: TaskRow['kind'], name: string, host: string): TaskRow | undefined {
  const rows = play.rows.filter((r) => r.kind === kind && r.name === name).reverse();
  return rows.find((r) => r.hosts.includes(host) && !r.results[host]) ?? rows.find((r) => !r.finished) ?? rows.find((r) => r.hosts.includes(host));
}

export function withProgress(state: RunState): RunState {
  const total = state.plays.reduce((n, p) => n + p.tasks.length * p.hosts.length, 0);
  const done = state.plays.reduce((n, p) => n + p.done, 0);
  return { ...state, progress: { done: Math.min(done, total), total } };
}

export function replaceAt<T>(list: T[], i: number, item: T): T[] {
  return list.map((x, j) => (j === i ? item : x));
}

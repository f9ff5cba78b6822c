import type { Analysis } from '../runbook/analyze.js';
import type { PlayModel, TaskModel } from '../runbook/model.js';
import { resolveHosts } from '../runbook/read-inventory.js';
import { didYouMean } from '../runbook/suggest.js';

export interface Selection {
  /** Host patterns, comma separated: hosts, groups, globs, !exclusions. */
  limit?: string;
  tags?: string[];
  skipTags?: string[];
  /** Start at the first task with this name (in any play). */
  startAt?: string;
  /** Only the play with this name. */
  play?: string;
}

export interface SelectedPlay {
  play: PlayModel;
  hosts: string[];
  tasks: TaskModel[];
  /** The play's handlers, less those with a skipped tag. */
  handlers: TaskModel[];
}

function splitList(list: string[] | undefined): string[] {
  return (list ?? []).flatMap((t) => t.split(',')).map((t) => t.trim()).filter(Boolean);
}

function tagged(task: TaskModel, tags: string[], skip: string[]): boolean {
  if (task.tags.some((t) => skip.includes(t))) return false;
  if (!tags.length || task.tags.includes('always')) return true;
  return task.tags.some((t) => tags.includes(t));
}

/** The plays, hosts and tasks a run will visit, after --limit, --tags, --skip-tags and --start-at. */
export function selectRun(a: Analysis, sel: Selection): { plays: SelectedPlay[]; errors: string[] } {
  const errors: string[] = [];
  let limit: Set<string> | undefined;
  if (sel.limit !== undefined && a.inventory) {
    const patterns = sel.limit.split(',').map((p) => p.trim()).filter(Boolean).map((name) => ({ name, span: { start: 0, end: 0 } }));
    const got = resolveHosts(a.inventory, patterns);
    for (const u of got.unknown) {
      errors.push(`--limit: no host or group named '${u.name}'${hintOf(didYouMean(u.name, [...a.inventory.hosts.keys(), ...a.inventory.groups.keys()]))}`);
    }
    limit = new Set(got.hosts);
  }
  const tags = splitList(sel.tags);
  const skip = splitList(sel.skipTags);
  const known = new Set(['always', ...a.plays.flatMap((p) => [...p.play.tasks, ...p.play.handlers].flatMap((t) => t.tags))]);
  for (const [flag, list] of [['--tags', tags], ['--skip-tags', skip]] as const) {
    for (const t of list.filter((x) => !known.has(x))) errors.push(`${flag}: no task or handler has the tag '${t}'${hintOf(didYouMean(t, [...known]))}`);
  }
  let started = sel.startAt === undefined;
  if (!started && !a.plays.some((p) => p.play.tasks.some((t) => t.name === sel.startAt))) {
    const names = a.plays.flatMap((p) => p.play.tasks.map((t) => t.name));
    errors.push(`--start-at: no task named '${sel.startAt}'${hintOf(didYouMean(sel.startAt!, names))}`);
  }
  if (sel.play !== undefined && !a.plays.some((p) => p.play.name === sel.play)) {
    errors.push(`--play: no play named '${sel.play}'${hintOf(didYouMean(sel.play, a.plays.map((p) => p.play.name)))}`);
  }
  const plays: SelectedPlay[] = [];
  for (const { play, hosts } of a.plays) {
    if (sel.play !== undefined && play.name !== sel.play) continue;
    const tasks: TaskModel[] = [];
    for (const t of play.tasks) {
      if (!started && t.name === sel.startAt) started = true;
      if (started && tagged(t, tags, skip)) tasks.push(t);
    }
    const handlers = play.handlers.filter((h) => !h.tags.some((t) => skip.includes(t)));
    plays.push({ play, hosts: limit ? hosts.filter((h) => limit!.has(h)) : hosts, tasks, handlers });
  }
  return { plays, errors };
}

function hintOf(h: string | undefined): string {
  return h ? ` (${h})` : '';
}

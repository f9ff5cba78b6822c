import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { RunEvent, TaskResultEvent } from '../engine/events.js';
import { sha256, type Reading } from './fingerprint.js';

export const PLAN_FORMAT = 'amq-run plan 1';

/** A file the plan was made from, and its sha256 then. */
export interface PlannedFile {
  path: string;
  sha256: string;
}

/** One change the plan holds: a task (or handler) on a host, as the dry-run showed it (secrets masked). */
export interface PlannedChange {
  key: string;
  play: string;
  task: string;
  handler: boolean;
  host: string;
  module: string;
  message: string;
  diff?: string;
  details?: string[];
  commands?: string[];
  /** The dry-run could not know the outcome in advance; why. */
  unknown_reason?: string;
}

export interface PlanFile {
  format: typeof PLAN_FORMAT;
  created: string;
  playbook: PlannedFile;
  inventory: PlannedFile | null;
  extra_vars: string[];
  /** The names of the runbook's secrets; their values are never in a plan. */
  secrets: string[];
  changes: PlannedChange[];
  /** Per host: every piece of its state the checks read. */
  readings: Record<string, Reading[]>;
  /** The dry-run's events, for `amq-run show` (secrets masked). */
  events: RunEvent[];
}

/** The key of a result: `task@host`, `handler:name@host`. */
export function resultKey(e: TaskResultEvent): string {
  return `${e.type === 'handler_result' ? `handler:${e.handler}` : e.task}@${e.host}`;
}

export function plannedChanges(events: readonly RunEvent[]): PlannedChange[] {
  const out: PlannedChange[] = [];
  for (const e of events) {
    if ((e.type !== 'task_result' && e.type !== 'handler_result') || e.status !== 'would_change') continue;
    out.push({
      key: resultKey(e),
      play: e.play,
      task: e.type === 'handler_result' ? e.handler : e.task,
      handler: e.type === 'handler_result',
      host: e.host,
      module: e.module,
      message: e.message,
      ...(e.diff ? { diff: e.diff } : {}),
      ...(e.details ? { details: e.details } : {}),
      ...(e.commands ? { commands: e.commands } : {}),
      ...(e.unknown_reason ? { unknown_reason: e.unknown_reason } : {}),
    });
  }
  return out;
}

export function fileHash(path: string): string {
  return sha256(readFileSync(path));
}

/** Writes the plan atomically: a temp file beside it, renamed over it. */
export function writePlan(path: string, plan: PlanFile): void {
  const tmp = join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);
  writeFileSync(tmp, `${JSON.stringify(plan, null, 1)}\n`, { mode: 0o600 });
  renameSync(tmp, path);
}

/** A plan file that cannot be used, with why. */
export class BadPlan extends Error {}

export function readPlan(path: string): PlanFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new BadPlan(`cannot read the plan ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  let v: Partial<PlanFile>;
  try {
    v = JSON.parse(text) as Partial<PlanFile>;
  } catch (e) {
    throw new BadPlan(`${path} is not a plan: not JSON (${(e as Error).message})`);
  }
  if (v?.format !== PLAN_FORMAT) throw new BadPlan(`${path} is not a plan of this amq-run (format '${String(v?.format)}', expected '${PLAN_FORMAT}')`);
  for (const k of ['playbook', 'changes', 'readings', 'events'] as const) if (!v[k]) throw new BadPlan(`${path}: the plan has no ${k}`);
  return v as PlanFile;
}

/** Why the plan no longer matches the runbook or inventory on disk (one line each); empty when it does. */
export function staleFiles(plan: PlanFile, hash: (path: string) => string | null = (p) => {
  try {
    return fileHash(p);
  } catch {
    return null;
  }
}): string[] {
  const out: string[] = [];
  for (const [what, f] of [['playbook', plan.playbook], ['inventory', plan.inventory]] as const) {
    if (!f) continue;
    const now = hash(f.path);
    if (now !== f.sha256) out.push(`the ${what} ${f.path} changed since the plan: sha256 ${f.sha256.slice(0, 12)} -> ${now === null ? 'unreadable' : now.slice(0, 12)}`);
  }
  return out;
}

/**
 * Applying a plan: a change is made only when the plan lists it (same task, same host), with the
 * same diff where the dry-run knew it. Returns why not, or undefined.
 */
export function approver(plan: PlanFile): (e: TaskResultEvent) => string | undefined {
  const byKey = new Map(plan.changes.map((c) => [c.key, c]));
  return (e) => {
    const c = byKey.get(resultKey(e));
    if (!c) return `this change is not in the plan (${e.message}): make a new plan`;
    if (c.unknown_reason === undefined && c.diff !== undefined && e.diff !== c.diff) return `the change differs from the plan's diff (${e.message}): make a new plan`;
    return undefined;
  };
}

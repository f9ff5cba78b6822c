import { resolve } from 'node:path';
import { EXIT } from '../engine/exit-codes.js';
import type { RunEvent } from '../engine/events.js';
import { drift, ReadingRecorder, type Reading } from '../plan/fingerprint.js';
import { approver, BadPlan, fileHash, PLAN_FORMAT, plannedChanges, readPlan, staleFiles, writePlan, type PlanFile } from '../plan/plan-file.js';
import { loadPlaybook, parseExtraVars, UsageError } from './load.js';
import type { Io } from './program.js';
import { makeSink, runCommand, type RunOptions } from './run.js';
import { readOnlyHosts } from './status.js';
import { askLine } from './terminal.js';

export interface PlanOptions {
  inventory?: string;
  extraVars: string[];
  output: string;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  color?: boolean;
  acceptNewHostKeys?: boolean;
}

export interface ApplyOptions {
  yes?: boolean;
  step?: boolean;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  color?: boolean;
  acceptNewHostKeys?: boolean;
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** `amq-run plan PLAYBOOK -o FILE`: the dry-run, saved with a fingerprint of everything its checks read. Exit 10 pending, 0 none. */
export async function planCommand(playbook: string, opts: PlanOptions, io: Io): Promise<number> {
  const recorders = new Map<string, ReadingRecorder>();
  const events: RunEvent[] = [];
  let mask: <T>(v: T) => T = (v) => v;
  const run: RunOptions = { ...opts, dryRun: true, detailedExitcode: true, tags: [], skipTags: [] };
  const code = await runCommand(playbook, run, io, {
    wrap: (t, m) => {
      mask = m;
      const r = new ReadingRecorder(t);
      recorders.set(t.host, r);
      return r;
    },
    tap: (e) => events.push(e),
  });
  if (code !== EXIT.ok && code !== EXIT.drift) {
    io.err(`amq-run: no plan written: the dry-run ended with exit ${code}`);
    return code;
  }
  const loaded = loadPlaybook(playbook, { ...(opts.inventory !== undefined ? { inventory: opts.inventory } : {}), extraVars: parseExtraVars(opts.extraVars) });
  const inventory = loaded.analysis.inventoryPath;
  const readings: Record<string, Reading[]> = {};
  for (const [host, r] of recorders) readings[host] = mask(r.readings);
  const plan: PlanFile = {
    format: PLAN_FORMAT,
    created: new Date().toISOString(),
    playbook: { path: resolve(playbook), sha256: fileHash(playbook) },
    inventory: inventory ? { path: inventory, sha256: fileHash(inventory) } : null,
    extra_vars: opts.extraVars,
    secrets: [...(loaded.analysis.playbook?.secrets.keys() ?? [])],
    changes: plannedChanges(events),
    readings,
    events,
  };
  writePlan(opts.output, plan);
  const pieces = Object.values(readings).reduce((n, r) => n + r.length, 0);
  io.err(`amq-run: plan written to ${opts.output}: ${plural(plan.changes.length, 'change')}, ${plural(pieces, 'piece')} of host state fingerprinted on ${plural(recorders.size, 'host')}`);
  return plan.changes.length ? EXIT.drift : EXIT.ok;
}

function loadPlan(path: string): PlanFile {
  try {
    return readPlan(path);
  } catch (e) {
    if (e instanceof BadPlan) throw new UsageError(e.message);
    throw e;
  }
}

/** `amq-run show plan.json`: the plan as the dry-run showed it. */
export async function showCommand(path: string, opts: Pick<ApplyOptions, 'json' | 'plain' | 'color'>, io: Io): Promise<number> {
  const plan = loadPlan(path);
  const sink = await makeSink({ ...opts, dryRun: true, extraVars: [], tags: [], skipTags: [] }, io, { playbook: plan.playbook.path, ...(plan.inventory ? { inventory: plan.inventory.path } : {}), interrupt: () => undefined, abort: () => undefined });
  for (const e of plan.events) sink.emit(e);
  await sink.finished();
  if (!opts.json) io.out(`plan made ${plan.created} from ${plan.playbook.path}${plan.inventory ? ` and ${plan.inventory.path}` : ''}: ${plural(plan.changes.length, 'change')}`);
  return EXIT.ok;
}

/**
 * `amq-run apply plan.json`: refuses a plan whose runbook or inventory changed, reads every host
 * again and leaves a host whose state drifted untouched (exit 5); applies exactly the planned
 * changes on the others.
 */
export async function applyCommand(path: string, opts: ApplyOptions, io: Io): Promise<number> {
  const plan = loadPlan(path);
  const stale = staleFiles(plan);
  for (const s of stale) io.err(`amq-run: the plan is stale: ${s}`);
  if (stale.length) return EXIT.stale;
  if (!opts.yes && !opts.step) {
    if (!process.stdin.isTTY) throw new UsageError('apply changes hosts: add --yes to apply the plan, or --step to be asked before each change (stdin is not a terminal)');
    const hosts = [...new Set(plan.changes.map((c) => c.host))];
    const a = await askLine(`apply ${plural(plan.changes.length, 'change')} on ${hosts.join(', ') || 'no host'}? [y/N] `);
    if (!/^y(es)?$/i.test(a)) {
      io.err('amq-run: nothing applied');
      return EXIT.ok;
    }
  }
  const inv = plan.inventory ? { inventory: plan.inventory.path } : {};
  const loaded = loadPlaybook(plan.playbook.path, { ...inv, extraVars: parseExtraVars(plan.extra_vars) });
  if (loaded.errors.length) {
    for (const l of loaded.lines) io.err(l);
    return EXIT.invalid;
  }
  const hosts = readOnlyHosts(loaded.analysis, Boolean(opts.acceptNewHostKeys));
  const drifted = new Map<string, string[]>();
  try {
    await Promise.all(
      Object.entries(plan.readings).map(async ([host, readings]) => {
        try {
          const lines = await drift(await hosts.connect(host), readings);
          if (lines.length) drifted.set(host, lines);
        } catch (e) {
          drifted.set(host, [`${host}: cannot read it again: ${(e as Error).message}`]);
        }
      }),
    );
  } finally {
    await hosts.close();
  }
  for (const [host, lines] of drifted) {
    for (const l of lines) io.err(`amq-run: drifted since the plan: ${l}`);
    io.err(`amq-run: ${host} is left as it is: nothing is changed there (make a new plan)`);
  }
  const start = plan.events.find((e) => e.type === 'run_start');
  const rest = (start?.type === 'run_start' ? start.hosts : Object.keys(plan.readings)).filter((h) => !drifted.has(h));
  if (!rest.length) return EXIT.stale;
  const code = await runCommand(
    plan.playbook.path,
    { ...inv, extraVars: plan.extra_vars, tags: [], skipTags: [], yes: !opts.step || Boolean(opts.yes), step: Boolean(opts.step), limit: rest.join(','), ...pick(opts) },
    io,
    { approve: approver(plan) },
  );
  return drifted.size ? EXIT.stale : code;
}

function pick(o: ApplyOptions): Partial<RunOptions> {
  return {
    ...(o.json ? { json: true } : {}),
    ...(o.plain ? { plain: true } : {}),
    ...(o.verbose ? { verbose: true } : {}),
    ...(o.color === false ? { color: false } : {}),
    ...(o.acceptNewHostKeys ? { acceptNewHostKeys: true } : {}),
  };
}

/** Many differential cases from one seed, in a few lanes at once, each lane with its own roots and hosts. */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Transport } from '../../runner/src/transport/transport.js';
import { seeded } from '../helpers/random.js';
import { Gen, HOSTS } from './generate.js';
import { runCase, writeLocalFiles, type CaseRun } from './case.js';

export interface Lane {
  /** The inventory of the runbook (indented under `inventory:`), each host with its root. */
  inventory(roots: Record<string, string>): string;
  connect(host: string): Promise<Transport>;
}

export interface Summary {
  seed: number;
  cases: number;
  compared: number;
  unknown: number;
  ms: number;
  failures: { index: number; mismatches: string[]; text: string }[];
}

/** A transport kept for many runs: the engine's close at the end of each run leaves it open. */
export function kept(t: Transport): Transport & { end(): Promise<void> } {
  return { get host() { return t.host; }, exec: (c, o) => t.exec(c, o), abort: () => t.abort(), close: async () => undefined, end: () => t.close() };
}

/** Mounts under a folder, deepest first (the mount module's bind mounts). */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => (l.split(' ')[1] ?? '').replace(/\\040/g, ' '))
    .filter((m) => m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'ignore'] });
    let out = '';
    c.stdout.on('data', (b: Buffer) => (out += b.toString()));
    c.on('close', () => resolve(out));
    c.on('error', () => resolve(out));
  });
}

/** Stops what a case started (services, by the mark in their command line; bind mounts) so nothing outlives it. */
export async function cleanUp(dir: string, mark: string, services: boolean): Promise<void> {
  if (services) {
    const ps = await run('pgrep', ['-f', mark]);
    for (const pid of ps.split('\n').map(Number).filter((n) => n > 1 && n !== process.pid)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  for (const m of mountsUnder(dir)) await run('umount', ['-l', m]);
}

/**
 * Runs `count` cases drawn from `seed`: case i of lane j is case j, j+lanes, j+2·lanes... so the
 * whole set is the same whatever the number of lanes. `makeLane` gives lane j its hosts.
 */
export async function runCases(opts: { seed: number; count: number; lanes: number; makeLane(j: number, dir: string): Promise<Lane>; endLane?(lane: Lane): Promise<void>; onCase?(i: number, r: CaseRun): void }): Promise<Summary> {
  const t0 = Date.now();
  const summary: Summary = { seed: opts.seed, cases: 0, compared: 0, unknown: 0, ms: 0, failures: [] };
  const base = mkdtempSync(join(tmpdir(), 'amq-diff-'));
  const mark = `amq-diff-${process.pid}-${opts.seed}`;
  try {
    await Promise.all(
      Array.from({ length: opts.lanes }, async (_, j) => {
        const dir = join(base, `lane${j}`);
        writeLocalFiles(dir);
        const lane = await opts.makeLane(j, dir);
        const removals: Promise<void>[] = [];
        try {
          for (let i = j; i < opts.count; i += opts.lanes) {
            const g = new Gen(seeded(opts.seed * 1_000_003 + i));
            const caseDir = join(dir, `case${i}`);
            const roots = Object.fromEntries(HOSTS.map((h) => [h, join(caseDir, h)]));
            const r = await runCase(g, roots, lane.inventory(roots), dir, mark, (h) => lane.connect(h));
            await cleanUp(caseDir, mark, /^ {8}service:/m.test(r.text));
            removals.push(rm(caseDir, { recursive: true, force: true }));
            summary.cases++;
            summary.compared += r.verdict.compared;
            summary.unknown += r.verdict.unknown;
            if (r.verdict.mismatches.length) summary.failures.push({ index: i, mismatches: r.verdict.mismatches, text: r.text });
            opts.onCase?.(i, r);
          }
        } finally {
          await Promise.all(removals);
          await opts.endLane?.(lane);
        }
      }),
    );
  } finally {
    await cleanUp(base, mark, true);
    rmSync(base, { recursive: true, force: true });
  }
  summary.ms = Date.now() - t0;
  summary.failures.sort((a, b) => a.index - b.index);
  return summary;
}

/** A lane of local hosts: each host's commands through its own local shell, kept for the whole lane. */
export async function localLane(): Promise<Lane & { end(): Promise<void> }> {
  const { LocalTransport } = await import('../../runner/src/transport/local.js');
  const transports = Object.fromEntries(HOSTS.map((h) => [h, kept(new LocalTransport(h))]));
  const inventory = (roots: Record<string, string>) => `  hosts:\n${HOSTS.map((h) => `    ${h}: { connection: local, vars: { root: ${JSON.stringify(roots[h])} } }`).join('\n')}`;
  return { inventory, connect: async (h) => transports[h]!, end: async () => void (await Promise.all(Object.values(transports).map((t) => t.end()))) };
}

/** The summary as lines a person reads; the failures with their runbooks. */
export function report(s: Summary): string[] {
  const lines = [`differential: ${s.cases} cases from seed ${s.seed} in ${(s.ms / 1000).toFixed(1)} s: ${s.compared} results compared, ${s.unknown} unknown with a reason, ${s.failures.length} cases with a mismatch`];
  for (const f of s.failures.slice(0, 5)) lines.push(`case ${f.index}:`, ...f.mismatches.map((m) => `  ${m}`), f.text);
  return lines;
}

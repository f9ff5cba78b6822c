/**
 * `npm run bench -- --fleet N`: the fleet bench. A 13-task file job on N lab hosts (the fleet)
 * through amq-run and through tuned Ansible (a fork per host, pipelining, ControlPersist, no facts),
 * in the same run: first run, no-op re-run and dry-run, each the median of R runs. Twice: first with
 * the remote shells started clean (root's home has no start-up file, as on the lab's hosts), then
 * with a ~/.bashrc that costs about what this machine's own costs. Prints the times, the ratios,
 * amq-run's peak memory and where amq-run's time goes. Exits 1 only when a measurement is not
 * valid (a run failed, a no-op changed something).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import type { Lab, LabHost } from '../lab/lab.js';
import { JOB_DIR, JOB_TASKS, writeAmqJob, writeAnsibleJob } from './fleet-job.js';
import { machineFacts, median } from './ha.js';
import { labUpWhenFree } from './lab-when-free.js';
import { setStartupFile } from './startup-file.js';
import { amqOutcome, ansibleOutcome, stopSshMasters, timed, type Outcome } from './runs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const AMQ_CLI = fileURLToPath(new URL('../runner/src/cli.js', import.meta.url));
const GOALS = { ratio: 10, noopMs: 3000, memoryMiB: 300 };

export type Kind = 'first run' | 'no-op' | 'dry-run';
export const KINDS: readonly Kind[] = ['first run', 'no-op', 'dry-run'];
export type Shells = 'clean' | 'startup';
export const SHELLS: readonly Shells[] = ['clean', 'startup'];

export interface FleetBenchOptions {
  repeats: number;
  shells: Shells[];
  /** What to measure (all by default); a dry-run or no-op without a first run starts on converged hosts only if one came before. */
  kinds: Kind[];
}

/** One run of amq-run, timed, with its peak memory and when its events arrived. */
interface Run extends Outcome {
  kind: Kind;
  peakKiB?: number;
  /** ms from spawn to each event type's first arrival (task_start: every one, in order). */
  marks?: { runStart?: number; taskStarts: number[]; runEnd?: number };
}

function eventMarks(arrivals: [number, string][]): NonNullable<Run['marks']> {
  const marks: NonNullable<Run['marks']> = { taskStarts: [] };
  for (const [at, line] of arrivals) {
    const type = /^\{"type":"(\w+)"/.exec(line)?.[1];
    if (type === 'run_start') marks.runStart ??= at;
    if (type === 'task_start') marks.taskStarts.push(at);
    if (type === 'run_end') marks.runEnd = at;
  }
  return marks;
}

interface Setup {
  lab: Lab;
  fleet: LabHost[];
  amqJob: string;
  ansible: { playbook: string; config: string; inventory: string; controlPaths: string; dir: string };
}

function ansibleInventory(lab: Lab, fleet: LabHost[]): string {
  const hosts: Record<string, unknown> = {};
  for (const h of fleet) hosts[h.name] = { ansible_host: h.address, ansible_port: h.port };
  const vars = {
    ansible_user: 'root',
    ansible_ssh_private_key_file: lab.clientKey,
    ansible_ssh_common_args: `-o UserKnownHostsFile=${lab.knownHosts} -o StrictHostKeyChecking=yes`,
  };
  return `# The fleet bench's Ansible inventory for the lab in ${lab.L}\n${stringify({ all: { children: { fleet: { hosts, vars } } } }, { lineWidth: 0 })}`;
}

function prepare(lab: Lab): Setup {
  const fleet = lab.hosts.filter((h) => h.group === 'fleet');
  const dir = join(lab.L, 'fleet-bench');
  const amqJob = writeAmqJob(join(dir, 'amq-run'), 'fleet', lab.inventoryPath);
  const a = writeAnsibleJob(join(dir, 'ansible'), fleet.length);
  const inventory = join(dir, 'ansible', 'inventory.yml');
  writeFileSync(inventory, ansibleInventory(lab, fleet));
  const controlPaths = join(dir, 'acp');
  mkdirSync(controlPaths, { recursive: true });
  return { lab, fleet, amqJob, ansible: { ...a, inventory, controlPaths, dir: join(dir, 'ansible') } };
}

/** Every fleet host without the job's folder: the next run starts from scratch. */
function resetHosts(s: Setup): void {
  for (const h of s.fleet) rmSync(join(h.root, JOB_DIR), { recursive: true, force: true });
}

async function runAmq(s: Setup, kind: Kind): Promise<Run> {
  const memFile = join(s.lab.L, 'fleet-bench', 'amq-run.maxrss');
  const dry = kind === 'dry-run';
  const args = ['-f', '%M', '-o', memFile, process.execPath, AMQ_CLI, s.amqJob, ...(dry ? ['--dry-run'] : []), '--json'];
  const t = await timed('/usr/bin/time', args, { cwd: ROOT, env: process.env });
  const peak = Number(readFileSync(memFile, 'utf8').trim().split('\n').pop());
  return { ...amqOutcome(t, dry), kind, ...(Number.isFinite(peak) ? { peakKiB: peak } : {}), marks: eventMarks(t.arrivals) };
}

async function runAnsible(s: Setup, kind: Kind): Promise<Run> {
  if (kind === 'first run') await stopSshMasters(s.ansible.controlPaths);
  const env = { ...process.env, ANSIBLE_CONFIG: s.ansible.config, ANSIBLE_SSH_CONTROL_PATH_DIR: s.ansible.controlPaths };
  const args = ['-i', s.ansible.inventory, s.ansible.playbook, ...(kind === 'dry-run' ? ['--check', '--diff'] : [])];
  const t = await timed('ansible-playbook', args, { cwd: s.ansible.dir, env });
  return { ...ansibleOutcome(t), kind };
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' / ');

interface ToolRuns {
  tool: 'amq-run' | 'ansible';
  runs: Run[];
  problems: string[];
}

/** First runs (each from scratch), then no-op re-runs, then dry-runs of the converged hosts. */
async function measureTool(s: Setup, tool: ToolRuns['tool'], repeats: number, kinds: readonly Kind[]): Promise<ToolRuns> {
  const out: ToolRuns = { tool, runs: [], problems: [] };
  const run = tool === 'amq-run' ? runAmq : runAnsible;
  // A no-op or dry-run alone still needs converged hosts: one first run, not measured, by amq-run
  // for both tools (the two jobs leave the same files, so Ansible's no-op must change nothing too).
  if (!kinds.includes('first run')) {
    resetHosts(s);
    const r = await runAmq(s, 'first run');
    console.log(`    amq-run  first run, to converge the hosts for ${tool} (not in the table) ${secs(r.ms).padStart(9)}   exit ${r.code}   changed ${r.changed}, failed ${r.failed}${r.peakKiB ? `   peak ${(r.peakKiB / 1024).toFixed(0)} MiB` : ''}   (load ${load()})`);
    if (r.code !== 0 || !(r.changed > 0)) out.problems.push(`amq-run's first run before ${tool}'s measurements: exit ${r.code}, changed ${r.changed}`);
  }
  for (const kind of kinds) {
    for (let i = 1; i <= repeats; i++) {
      if (kind === 'first run') resetHosts(s);
      const r = await run(s, kind);
      out.runs.push(r);
      const counts = r.noRecap ? 'no recap' : `${kind === 'dry-run' ? 'would change' : 'changed'} ${r.changed}, failed ${r.failed}, unreachable ${r.unreachable}`;
      const mem = r.peakKiB ? `   peak ${(r.peakKiB / 1024).toFixed(0)} MiB` : '';
      console.log(`    ${tool.padEnd(8)} ${`${kind} #${i}`.padEnd(13)} ${secs(r.ms).padStart(9)}   exit ${r.code}   ${counts}${mem}   (load ${load()})`);
      if (r.code !== 0 || r.noRecap || r.failed > 0 || r.unreachable > 0) {
        out.problems.push(`${tool} ${kind} #${i}: exit ${r.code}${r.noRecap ? ', no recap' : ''}`);
        console.log(`      the end of its output:\n${[r.stdout, r.stderr].map((x) => x.trim().split('\n').slice(-8).map((l) => `      | ${l}`).join('\n')).join('\n')}`);
      }
      if (kind === 'first run' && !(r.changed > 0)) out.problems.push(`${tool} first run #${i}: changed ${r.changed} (expected changes)`);
      if (kind !== 'first run' && r.changed !== 0) out.problems.push(`${tool} ${kind} #${i}: ${r.changed} ${kind === 'dry-run' ? 'would change' : 'changed'} (expected 0)`);
    }
  }
  return out;
}

const timeOf = (t: ToolRuns, kind: Kind) => median(t.runs.filter((r) => r.kind === kind).map((r) => r.ms));

function table(amq: ToolRuns, ans: ToolRuns, repeats: number, kinds: readonly Kind[]): string[] {
  const heads = kinds.map((k) => `${k} (median of ${repeats})`);
  const w = [18, ...heads.map((h) => h.length)];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  return [
    row(['', ...heads]),
    row(['amq-run', ...kinds.map((k) => secs(timeOf(amq, k)))]),
    row(['ansible', ...kinds.map((k) => secs(timeOf(ans, k)))]),
    row(['ansible / amq-run', ...kinds.map((k) => `${(timeOf(ans, k) / timeOf(amq, k)).toFixed(1)}x`)]),
  ];
}

/** Where one amq-run no-op spent its time, from when its events arrived. */
function whereTimeGoes(r: Run): string[] {
  const m = r.marks;
  if (!m?.runStart || m.taskStarts.length < 2 || !m.runEnd) return ['  (no events to tell)'];
  const [first, second] = m.taskStarts;
  const rest = m.runEnd - second;
  return [
    `  start-up (node, modules, parse and check the runbook and inventory): ${secs(m.runStart)}`,
    `  first task, which opens every connection (SSH handshake, remote shell) and runs its checks: ${secs(second - first)}`,
    `  the other ${m.taskStarts.length - 1} tasks and the handler, on connections already open: ${secs(rest)} (${(rest / (m.taskStarts.length - 1)).toFixed(0)} ms a task)`,
    `  between run_start and the first task: ${secs(first - m.runStart)}; after run_end to exit: ${secs(r.ms - m.runEnd)}`,
  ];
}

/** What a start-up file costs a remote shell on a fleet host, and this machine's own ~/.bashrc here. */
async function startupCosts(s: Setup): Promise<string> {
  const h = s.fleet[0];
  const timeIt = async (cmd: string) => {
    const t0 = performance.now();
    for (let i = 0; i < 5; i++) await s.lab.exec(h.name, cmd);
    return (performance.now() - t0) / 5;
  };
  const base = await timeIt('bash -c true');
  const withRc = await timeIt('bash -c ". /root/.bashrc; true"');
  const t0 = performance.now();
  const mine = spawnSync('/bin/sh', ['-c', 'for i in 1 2 3 4 5; do bash -c ". /root/.bashrc >/dev/null 2>&1; true" || exit 1; done']);
  const machine = (performance.now() - t0) / 5;
  return `the start-up file costs ${(withRc - base).toFixed(0)} ms per shell on ${h.name}; this machine's own root ~/.bashrc ${mine.status === 0 ? `${machine.toFixed(0)} ms` : 'could not be read'} here`;
}

export async function benchFleet(n: number, o: FleetBenchOptions): Promise<number> {
  const { repeats, kinds } = o;
  console.log(`fleet bench: a ${JOB_TASKS}-task file job on ${n} lab hosts, amq-run beside tuned Ansible (forks ${n}, pipelining, ControlPersist, no facts)`);
  for (const f of machineFacts()) console.log(`  ${f}`);
  if (spawnSync('ansible-playbook', ['--version']).error) {
    console.error('bench: cannot compare with Ansible; missing ansible-playbook (Debian: apt-get install ansible; .ci/bench-packages.sh)');
    return 1;
  }
  if (spawnSync('/usr/bin/time', ['true']).error) {
    console.error("bench: missing /usr/bin/time, which reads amq-run's peak memory (Debian: apt-get install time; .ci/bench-packages.sh)");
    return 1;
  }
  const t0 = performance.now();
  const lab = await labUpWhenFree({ fleet: n });
  console.log(`  lab up with ${n} fleet hosts in ${secs(performance.now() - t0)} (load ${load()})`);
  const problems: string[] = [];
  const lines: string[] = [];
  let noopRun: Run | undefined;
  let peak = 0;
  let amqClean: ToolRuns | undefined;
  let ansClean: ToolRuns | undefined;
  try {
    const s = prepare(lab);
    for (const startup of SHELLS.filter((x) => o.shells.includes(x)).map((x) => x === 'startup')) {
      setStartupFile(s.fleet.map((h) => h.root), startup);
      const what = startup ? `with a start-up file in root's home (${await startupCosts(s)})` : 'remote shells started clean (no start-up file read)';
      console.log(`\n  ${what}`);
      const amq = await measureTool(s, 'amq-run', repeats, kinds);
      const ans = await measureTool(s, 'ansible', repeats, kinds);
      await stopSshMasters(s.ansible.controlPaths);
      problems.push(...amq.problems, ...ans.problems);
      peak = Math.max(peak, ...amq.runs.map((r) => r.peakKiB ?? 0));
      lines.push(`${what}:`, ...table(amq, ans, repeats, kinds).map((l) => `  ${l}`));
      if (!startup) {
        [amqClean, ansClean] = [amq, ans];
        const noops = amq.runs.filter((r) => r.kind === 'no-op').sort((a, b) => a.ms - b.ms);
        noopRun = noops[Math.floor(noops.length / 2)];
      }
    }
  } finally {
    await lab.down();
  }
  console.log(`\n${n} hosts, ${JOB_TASKS} tasks a host; wall time of the whole command, process start to exit`);
  for (const l of lines) console.log(`  ${l}`);
  console.log(`  amq-run's peak memory (max RSS over every run): ${(peak / 1024).toFixed(0)} MiB`);
  if (noopRun) {
    console.log(`\nwhere amq-run's median no-op went (clean shells, ${secs(noopRun.ms)} in all):`);
    for (const l of whereTimeGoes(noopRun)) console.log(l);
  }
  if (amqClean && ansClean && kinds.includes('no-op')) {
    const noop = timeOf(amqClean, 'no-op');
    const ratio = timeOf(ansClean, 'no-op') / noop;
    const verdict = (ok: boolean) => (ok ? 'HOLDS' : 'DOES NOT HOLD');
    console.log(`\ngoals (clean shells):`);
    console.log(`  no-op under ${secs(GOALS.noopMs)}: ${verdict(noop < GOALS.noopMs)} (${secs(noop)})`);
    console.log(`  no-op at least ${GOALS.ratio}x faster than Ansible: ${verdict(ratio >= GOALS.ratio)} (${ratio.toFixed(1)}x)`);
    console.log(`  peak memory under ${GOALS.memoryMiB} MiB: ${verdict(peak / 1024 < GOALS.memoryMiB)} (${(peak / 1024).toFixed(0)} MiB)`);
  }
  console.log(`load average at the end: ${load()}`);
  if (problems.length) {
    console.log(`\nthese measurements are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  return 0;
}

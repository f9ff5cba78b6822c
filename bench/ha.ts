/**
 * `npm run bench`: playbooks/ha.yaml through amq-run against the lab, and the same work through
 * Debian's ansible-playbook (bench/ansible/ha.yml, tuned: pipelining, ControlPersist, no facts),
 * each on a fresh lab, one after the other: first run, no-op re-run, dry-run. A benchmark, not a
 * test: it prints the times, the ratios and whether the goal holds (the no-op re-run at least 10x
 * faster through amq-run). It exits 1 only when a measurement is not valid (a run failed, a
 * re-run changed something, the cluster did not end as it should).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { portAnswers, type Lab } from '../lab/lab.js';
import { labUpWhenFree } from './lab-when-free.js';
import { setStartupFile } from './startup-file.js';
import { openWhenReady } from '../test/helpers/stomp.js';
import { ansibleInventory } from './ansible-inventory.js';
import { amqOutcome, ansibleOutcome, stopSshMasters, timed, type Outcome } from './runs.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The command line compiled next to this file: what bin/amq-run.js loads under `npm run bench`. */
const AMQ_CLI = fileURLToPath(new URL('../runner/src/cli.js', import.meta.url));
const ANSIBLE_DIR = join(ROOT, 'bench', 'ansible');
const PASSWORD = 'Adm1n-s3cret-for-the-bench';
const REPEATS = 3;
const GOAL = 10;

type Kind = 'dry-run (fresh lab)' | 'first run' | 'no-op re-run' | 'dry-run (converged)' | 'no-op, start-up file';

interface Tool {
  name: string;
  /** Writes what the tool needs for this lab. */
  prepare(lab: Lab): void;
  run(lab: Lab, dryRun: boolean): Promise<Outcome>;
  /** Between the fresh dry-run and the first run: start the first run cold. */
  cool(lab: Lab): Promise<void>;
  cleanup(lab: Lab): Promise<void>;
}

const amqRun: Tool = {
  name: 'amq-run',
  prepare() {},
  async run(lab, dryRun) {
    const args = [AMQ_CLI, 'playbooks/ha.yaml', '-i', lab.inventoryPath, ...(dryRun ? ['--dry-run'] : []), '--json'];
    const t = await timed(process.execPath, args, { cwd: ROOT, env: { ...process.env, AMQ_ADMIN_PASSWORD: PASSWORD } });
    return amqOutcome(t, dryRun);
  },
  async cool() {},
  async cleanup() {},
};

const ansibleFiles = (lab: Lab) => ({ inventory: join(lab.L, 'ansible-inventory.yml'), controlPaths: join(lab.L, 'acp') });

const ansible: Tool = {
  name: 'ansible',
  prepare(lab) {
    const f = ansibleFiles(lab);
    mkdirSync(f.controlPaths, { recursive: true });
    writeFileSync(f.inventory, ansibleInventory(lab, join(ANSIBLE_DIR, 'defaults.yml')));
  },
  async run(lab, dryRun) {
    const f = ansibleFiles(lab);
    const env = {
      ...process.env,
      AMQ_ADMIN_PASSWORD: PASSWORD,
      ANSIBLE_CONFIG: join(ANSIBLE_DIR, 'ansible.cfg'),
      ANSIBLE_SSH_CONTROL_PATH_DIR: f.controlPaths,
    };
    const args = ['-i', f.inventory, 'ha.yml', ...(dryRun ? ['--check', '--diff'] : [])];
    return ansibleOutcome(await timed('ansible-playbook', args, { cwd: ANSIBLE_DIR, env }));
  },
  cool: (lab) => stopSshMasters(ansibleFiles(lab).controlPaths),
  cleanup: (lab) => stopSshMasters(ansibleFiles(lab).controlPaths),
};

interface Measured {
  tool: string;
  runs: { kind: Kind; o: Outcome }[];
  endState: string;
  problems: string[];
}

const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

function tail(text: string, lines = 15): string {
  return text.trim().split('\n').slice(-lines).map((l) => `      | ${l}`).join('\n');
}

/** broker1 is master (a STOMP session opens on it, logged in as admin: ha.yaml asks every client to log in) and broker2 waits for the lock (its STOMP port refuses). */
async function checkEndState(lab: Lab): Promise<string> {
  const [m, s] = [lab.host('broker1').address, lab.host('broker2').address];
  try {
    const { client } = await openWhenReady(m, 61613, 60_000, { login: 'admin', passcode: PASSWORD });
    client.close();
  } catch (e) {
    return `NOT as expected: no STOMP session on broker1 (${m}:61613): ${(e as Error).message}`;
  }
  if (await portAnswers(s, 61613)) return `NOT as expected: broker2 (${s}:61613) accepts connections too`;
  return `broker1 master (STOMP session on ${m}:61613), broker2 waiting (${s}:61613 refused)`;
}

async function measure(tool: Tool): Promise<Measured> {
  const out: Measured = { tool: tool.name, runs: [], endState: 'not checked', problems: [] };
  console.log(`\n${tool.name}: fresh lab (load average now ${loadavg().map((x) => x.toFixed(2)).join(' / ')})`);
  const lab = await labUpWhenFree();
  const record = async (kind: Kind, dryRun: boolean, n?: number) => {
    const o = await tool.run(lab, dryRun);
    out.runs.push({ kind, o });
    const label = `${kind}${n ? ` #${n}` : ''}`;
    const counts = o.noRecap ? 'no recap in the output' : `${dryRun ? 'would change' : 'changed'} ${o.changed}, failed ${o.failed}, unreachable ${o.unreachable}`;
    console.log(`  ${label.padEnd(26)} ${secs(o.ms).padStart(9)}   exit ${o.code}   ${counts}`);
    const bad = o.code !== 0 || o.noRecap || o.failed > 0 || o.unreachable > 0;
    if (bad) {
      out.problems.push(`${tool.name} ${label}: exit ${o.code}${o.noRecap ? ', no recap' : ''}`);
      console.log(`    the run failed; the end of its output:\n${tail(o.stdout)}\n${tail(o.stderr)}`);
    }
    if ((kind === 'no-op re-run' || kind === 'dry-run (converged)' || kind === 'no-op, start-up file') && o.changed !== 0) {
      out.problems.push(`${tool.name} ${label}: ${o.changed} ${dryRun ? 'would change' : 'changed'} (expected 0)`);
    }
  };
  try {
    tool.prepare(lab);
    await record('dry-run (fresh lab)', true);
    await tool.cool(lab);
    await record('first run', false);
    out.endState = await checkEndState(lab);
    console.log(`  end state: ${out.endState}`);
    if (out.endState.startsWith('NOT')) out.problems.push(`${tool.name}: ${out.endState}`);
    for (let i = 1; i <= REPEATS; i++) await record('no-op re-run', false, i);
    for (let i = 1; i <= REPEATS; i++) await record('dry-run (converged)', true, i);
    // The second line: every remote shell reads a start-up file in root's home (clean above).
    setStartupFile(lab.hosts.map((h) => h.root), true);
    for (let i = 1; i <= REPEATS; i++) await record('no-op, start-up file', false, i);
  } finally {
    await tool.cleanup(lab);
    await lab.down();
  }
  return out;
}

function timesOf(m: Measured, kind: Kind): number[] {
  return m.runs.filter((r) => r.kind === kind).map((r) => r.o.ms);
}

const timeOf = (m: Measured, kind: Kind) => median(timesOf(m, kind));
const bestOf = (m: Measured, kind: Kind) => Math.min(...timesOf(m, kind));

export function machineFacts(): string[] {
  const c = cpus();
  const load = loadavg().map((x) => x.toFixed(2)).join(' / ');
  const version = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { encoding: 'utf8' });
    return r.error ? 'not found' : `${r.stdout}${r.stderr}`.trim().split('\n')[0];
  };
  return [
    `cores: ${c.length} (${c[0]?.model ?? 'unknown'}); memory ${(freemem() / 2 ** 30).toFixed(1)} of ${(totalmem() / 2 ** 30).toFixed(1)} GiB free`,
    `load average at start (1 / 5 / 15 min): ${load}`,
    `node ${process.version}; amq-run ${(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version}; ${version('ansible-playbook', ['--version'])}; ${version('ssh', ['-V'])}`,
  ];
}

/** What the bench needs beyond the lab; one clear message when something is missing. */
function missing(): string[] {
  const out: string[] = [];
  if (spawnSync('ansible-playbook', ['--version']).error) out.push("ansible-playbook (Debian: apt-get install ansible)");
  if (spawnSync('/usr/bin/python3', ['-c', 'import lxml']).status !== 0) out.push('python3-lxml for community.general.xml on the hosts (Debian: apt-get install python3-lxml)');
  for (const module of ['ansible.posix.mount', 'community.general.xml']) {
    if (spawnSync('ansible-doc', ['-t', 'module', module]).status !== 0) out.push(`the Ansible module ${module} (Debian: the ansible package)`);
  }
  return out;
}

function table(results: Measured[]): string[] {
  const kinds: Kind[] = ['first run', 'no-op re-run', 'dry-run (converged)', 'dry-run (fresh lab)', 'no-op, start-up file'];
  const heads = ['first run', `no-op (median of ${REPEATS})`, `dry-run, converged (median of ${REPEATS})`, 'dry-run, fresh lab', `no-op with a start-up file (median of ${REPEATS})`];
  const w = [18, ...heads.map((h) => Math.max(h.length, 10))];
  const row = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join('  ');
  const lines = [row(['', ...heads])];
  for (const m of results) lines.push(row([m.tool, ...kinds.map((k) => secs(timeOf(m, k)))]));
  const [a, b] = [results.find((r) => r.tool === 'amq-run'), results.find((r) => r.tool === 'ansible')];
  if (a && b) lines.push(row(['ansible / amq-run', ...kinds.map((k) => `${(timeOf(b, k) / timeOf(a, k)).toFixed(1)}x`)]));
  return lines;
}

/** `npm run bench`: playbooks/ha.yaml, amq-run beside tuned Ansible. */
export async function benchHa(): Promise<number> {
  console.log('amq-run vs tuned Ansible on the lab (playbooks/ha.yaml and bench/ansible/ha.yml)');
  for (const f of machineFacts()) console.log(`  ${f}`);
  const lacking = missing();
  if (lacking.length) {
    console.error(`bench: cannot compare with Ansible; missing: ${lacking.join('; ')}`);
    return 1;
  }
  const results: Measured[] = [];
  for (const tool of [amqRun, ansible]) results.push(await measure(tool));

  console.log('\nwall time of the whole command, process start to exit; each tool on a fresh lab, one after the other');
  for (const l of table(results)) console.log(`  ${l}`);
  const [a, b] = results;
  for (const m of results) {
    const first = m.runs.find((r) => r.kind === 'first run')?.o;
    const noop = m.runs.filter((r) => r.kind === 'no-op re-run').map((r) => r.o.changed);
    const dry = m.runs.filter((r) => r.kind === 'dry-run (converged)').map((r) => r.o.changed);
    console.log(`  ${m.tool}: first run changed ${first?.changed} (exit ${first?.code}); no-op re-runs changed ${noop.join(', ')}; converged dry-runs would change ${dry.join(', ')}`);
    console.log(`  ${m.tool}: end state after the first run: ${m.endState}`);
  }
  for (const kind of ['no-op re-run', 'dry-run (converged)'] as const) {
    const [x, y] = [bestOf(b, kind), bestOf(a, kind)];
    console.log(`  best of ${REPEATS}, ${kind} (less sensitive to other load on the machine): ansible ${secs(x)}, amq-run ${secs(y)}, ${(x / y).toFixed(1)}x`);
  }
  const ratio = timeOf(b, 'no-op re-run') / timeOf(a, 'no-op re-run');
  const holds = ratio >= GOAL;
  console.log(`\ngoal: the no-op re-run at least ${GOAL}x faster through amq-run than through tuned Ansible: ${holds ? 'HOLDS' : 'DOES NOT HOLD'} (${ratio.toFixed(1)}x: ${secs(timeOf(b, 'no-op re-run'))} vs ${secs(timeOf(a, 'no-op re-run'))})`);
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' / ')}`);
  console.log(`
notes:
  - Ansible starts a new remote shell (and Python) for every task on every host, even over a persistent
    master; amq-run one remote shell per host per run. The lab's hosts hide this machine's /root, so
    their shells start clean (the headline columns); the last column gives every host a ~/.bashrc that
    costs about what this machine's own does (bench/startup-file.ts), which Ansible pays per task.
  - Ansible: pipelining on, ControlPersist 60 s, forks 4, no fact gathering, no sudo when logged in as root
    (as amq-run). Its masters stay up between its runs, so its re-runs and dry-runs reuse warm connections;
    its first run starts cold (the masters are stopped after the fresh dry-run). amq-run connects anew each run.
  - activemq.xml is edited in Ansible with community.general.xml (needs python3-lxml on the hosts), not a
    template; users/groups.properties with copy, haproxy.cfg with template, the broker's options with copy,
    lineinfile and blockinfile (which check mode cannot preview before the copy), the broker's JVM checked
    with a shell loop as amq-run's service module does.
  - amq-run's counts include its handler runs, Ansible's its handlers too; Ansible counts a looped task once,
    and its check mode skips handlers whose command it cannot run.
  - Both end with the same cluster (checked above). The files differ where the modules differ: lxml rewrites
    activemq.xml whole (XML declaration, new elements on one line), blockinfile adds marker lines, the file
    module gives the export's new parent directory the export's owner too.`);
  const problems = results.flatMap((r) => r.problems);
  if (problems.length) {
    console.log(`\nthese measurements are not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return 1;
  }
  return 0;
}

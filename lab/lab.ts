import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import type { SshOptions } from '../runner/src/transport/ssh.js';
import { requireDependencies } from './deps.js';
import { ganeshaConfig, ganeshaRestartSh, RUN_BROKER_SH, HAPROXY_RELOAD_SH } from './files.js';
import { labInventory } from './inventory.js';
import { FIRST_SSH_PORT, LAB_HOSTS, NFS_HOST, NFS_PORTS, type LabHostSpec } from './layout.js';
import { freePortOnAll, portAnswers } from './net.js';
import { assertNfsFree, restartGanesha, RPCBIND_SOCKET, startRpcbind } from './nfs.js';
import { commandLine, descendants, isAlive, killPids, killPidsSync, readPid, startTime, stopPids } from './procs.js';
import { hostPaths, makeHostRoot } from './roots.js';
import { generateKey, startSshd, writeSshdConfig } from './sshd.js';
import { readState, writeState, type LabState, type OwnedProcess } from './state.js';

export { waitForPort, portAnswers } from './net.js';
export { waitForLog, logSize } from './logs.js';
export { waitUntil, isAlive, descendants } from './procs.js';
export { missingDependencies } from './deps.js';

export interface LabHost extends LabHostSpec {
  root: string;
  port: number;
}

export interface LabUpOptions {
  /** Where state.json and inventory.yaml go; the lab directory itself by default. */
  stateDir?: string;
  /** Leave the lab running when this process exits (the command line's `up`); otherwise it is killed then. */
  detach?: boolean;
}

const MARKER = '.amq-lab';

/** Builds the lab: four hosts with their own sshd, and the NFS server on nfs1. */
export async function labUp(opts: LabUpOptions = {}): Promise<Lab> {
  requireDependencies();
  const nfsHost = LAB_HOSTS.find((h) => h.name === NFS_HOST)!;
  await assertNfsFree(nfsHost.address);
  const L = mkdtempSync(join(tmpdir(), 'amq-lab-'));
  // Other users log in too (the become tests), and sshd reads their authorized keys as them.
  chmodSync(L, 0o755);
  writeFileSync(join(L, MARKER), 'made by npm run lab -- up\n');
  const stateDir = opts.stateDir ?? L;
  const ssh = join(L, 'ssh');
  const bin = join(L, 'bin');
  const state: LabState = {
    L,
    port: 0,
    stateDir,
    inventoryPath: join(stateDir, 'inventory.yaml'),
    clientKey: join(ssh, 'client_ed25519'),
    knownHosts: join(ssh, 'known_hosts'),
    bin,
    hosts: LAB_HOSTS.map((h) => ({ ...h, root: join(L, 'hosts', h.name) })),
    processes: [],
    startedRpcbind: false,
  };
  const lab = new Lab(state, !opts.detach);
  try {
    state.port = await freePortOnAll(
      LAB_HOSTS.map((h) => h.address),
      FIRST_SSH_PORT,
    );
    mkdirSync(ssh, { recursive: true, mode: 0o755 });
    mkdirSync(bin, { recursive: true });
    const clientPub = generateKey(state.clientKey, 'lab-client');
    const authorizedKeys = join(ssh, 'authorized_keys');
    writeFileSync(authorizedKeys, `${clientPub}\n`, { mode: 0o644 });

    const known: string[] = [];
    for (const h of state.hosts) {
      makeHostRoot(h.root, h);
      const pub = generateKey(hostPaths(h.root).hostKey, `lab-${h.name}`);
      known.push(`[${h.address}]:${state.port} ${pub.split(' ').slice(0, 2).join(' ')}`);
      writeSshdConfig(h.root, h.address, state.port, authorizedKeys);
    }
    writeFileSync(state.knownHosts, `${known.join('\n')}\n`, { mode: 0o600 });

    const nfsRoot = hostPaths(join(L, 'hosts', NFS_HOST));
    writeFileSync(nfsRoot.ganeshaConf, ganeshaConfig({ address: nfsHost.address, recoveryRoot: nfsRoot.ganeshaRecovery, ports: NFS_PORTS }));
    writeScript(join(bin, 'run-broker.sh'), RUN_BROKER_SH);
    writeScript(join(bin, 'haproxy-reload'), HAPROXY_RELOAD_SH);
    writeScript(join(bin, 'ganesha-restart'), ganeshaRestartSh({ conf: nfsRoot.ganeshaConf, pidFile: nfsRoot.ganeshaPid, log: nfsRoot.ganeshaLog, out: nfsRoot.ganeshaOut }));

    const pids = await Promise.all(state.hosts.map((h) => startSshd(h.root, h.address, state.port)));
    state.hosts.forEach((h, i) => lab.own(`sshd ${h.name}`, pids[i]));
    lab.own('rpcbind', await startRpcbind(nfsRoot.root));
    state.startedRpcbind = true;
    lab.own('ganesha', restartGanesha(join(bin, 'ganesha-restart'), nfsRoot.root));

    mkdirSync(stateDir, { recursive: true });
    writeFileSync(state.inventoryPath, labInventory(state));
    writeState(state);
  } catch (e) {
    await lab.down();
    throw e;
  }
  return lab;
}

function writeScript(file: string, text: string): void {
  writeFileSync(file, text);
  chmodSync(file, 0o755);
}

/** The lab written by `up` into stateDir, or undefined when there is none. */
export function labFromState(stateDir: string): Lab | undefined {
  const s = readState(stateDir);
  return s ? new Lab(s, false) : undefined;
}

export interface ProcessStatus {
  name: string;
  pid: number | undefined;
  running: boolean;
}

export interface PortStatus {
  what: string;
  address: string;
  port: number;
  answers: boolean;
}

export class Lab {
  private downed = false;
  private readonly onExit = () => this.killNowSync();
  private readonly onSignal = (sig: NodeJS.Signals) => {
    this.killNowSync();
    this.unguard();
    process.kill(process.pid, sig);
  };

  constructor(
    private readonly state: LabState,
    guardExit = true,
  ) {
    // Whatever happens to the caller (a failed test, an exception, Ctrl-C), nothing the lab started outlives it.
    if (guardExit) {
      process.once('exit', this.onExit);
      process.once('SIGINT', this.onSignal);
      process.once('SIGTERM', this.onSignal);
    }
  }

  private unguard(): void {
    process.removeListener('exit', this.onExit);
    process.removeListener('SIGINT', this.onSignal);
    process.removeListener('SIGTERM', this.onSignal);
  }

  get L(): string {
    return this.state.L;
  }
  get port(): number {
    return this.state.port;
  }
  get inventoryPath(): string {
    return this.state.inventoryPath;
  }
  get clientKey(): string {
    return this.state.clientKey;
  }
  get knownHosts(): string {
    return this.state.knownHosts;
  }
  /** The folder with run-broker.sh and ganesha-restart. */
  get bin(): string {
    return this.state.bin;
  }
  get hosts(): LabHost[] {
    return this.state.hosts.map((h) => ({ ...h, port: this.state.port }));
  }

  host(name: string): LabHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`the lab has no host '${name}' (it has ${this.hosts.map((x) => x.name).join(', ')})`);
    return h;
  }

  /** What connectSsh needs to log in to a lab host as root. */
  sshOptions(name: string): SshOptions {
    const h = this.host(name);
    return { host: h.name, address: h.address, port: h.port, user: 'root', identity: this.clientKey, knownHosts: this.knownHosts };
  }

  /** Records a process the lab started, so down() stops it. */
  own(name: string, pid: number): void {
    this.state.processes = this.state.processes.filter((p) => p.name !== name);
    this.state.processes.push({ name, pid, start: startTime(pid) });
    if (existsSync(join(this.state.stateDir, 'state.json'))) writeState(this.state);
  }

  private owned(name: string): OwnedProcess | undefined {
    return this.state.processes.find((p) => p.name === name && isSame(p));
  }

  /** Kills the host's sshd listener and its per-connection processes, so open connections drop. */
  async killSshd(name: string): Promise<void> {
    this.host(name);
    const listener = this.owned(`sshd ${name}`);
    if (!listener) return;
    await killPids([listener.pid, ...descendants(listener.pid)]);
  }

  /** Starts the host's sshd again (after killSshd). */
  async startSshd(name: string): Promise<void> {
    const h = this.host(name);
    if (this.owned(`sshd ${name}`)) return;
    this.own(`sshd ${name}`, await startSshd(h.root, h.address, h.port));
  }

  /**
   * Gives the host a new host key and restarts its sshd; the lab's known_hosts keeps the old key.
   * Sessions already open stay up, as with a real sshd restart. Returns the new public key line.
   */
  async swapHostKey(name: string): Promise<string> {
    const h = this.host(name);
    const listener = this.owned(`sshd ${name}`);
    if (listener) {
      const sessions = descendants(listener.pid);
      await stopPids([listener.pid]);
      sessions.forEach((pid, i) => this.own(`sshd ${name} session ${pid}-${i}`, pid));
    }
    const pub = generateKey(hostPaths(h.root).hostKey, `lab-${h.name}-swapped`);
    this.own(`sshd ${name}`, await startSshd(h.root, h.address, h.port));
    return pub;
  }

  async status(): Promise<{ processes: ProcessStatus[]; ports: PortStatus[] }> {
    const processes: ProcessStatus[] = [];
    const seen = new Set<number>();
    for (const p of this.state.processes) {
      const running = isSame(p);
      processes.push({ name: p.name, pid: p.pid, running });
      seen.add(p.pid);
    }
    for (const { name, pid } of this.pidFiles()) {
      if (seen.has(pid)) continue;
      seen.add(pid);
      processes.push({ name, pid, running: isAlive(pid) });
    }
    const ports: PortStatus[] = [];
    for (const h of this.state.hosts) {
      ports.push({ what: `sshd ${h.name}`, address: h.address, port: this.state.port, answers: await portAnswers(h.address, this.state.port) });
    }
    const nfs = this.host(NFS_HOST);
    ports.push({ what: 'rpcbind', address: '127.0.0.1', port: 111, answers: await portAnswers('127.0.0.1', 111) });
    ports.push({ what: 'ganesha nfs', address: nfs.address, port: NFS_PORTS.nfs, answers: await portAnswers(nfs.address, NFS_PORTS.nfs) });
    ports.push({ what: 'ganesha mountd', address: nfs.address, port: NFS_PORTS.mountd, answers: await portAnswers(nfs.address, NFS_PORTS.mountd) });
    return { processes, ports };
  }

  /** Pidfiles under each host's run/ (sshd, ganesha, rpcbind, and what playbooks start: brokers, haproxy). */
  private pidFiles(): { name: string; pid: number; file: string }[] {
    const out: { name: string; pid: number; file: string }[] = [];
    const walk = (dir: string, host: string) => {
      let names: string[] = [];
      try {
        names = readdirSync(dir);
      } catch {
        return;
      }
      for (const n of names) {
        const f = join(dir, n);
        let isDir = false;
        try {
          isDir = statSync(f).isDirectory();
        } catch {
          continue;
        }
        if (isDir) walk(f, host);
        else if (n.endsWith('.pid')) {
          const pid = readPid(f);
          if (pid) out.push({ name: `${host} ${f.slice(join(this.state.L, 'hosts', host).length + 1)}`, pid, file: f });
        }
      }
    };
    for (const h of this.state.hosts) walk(join(h.root, 'run'), h.name);
    return out;
  }

  /** Every process of this lab, in two rounds: services and what playbooks started, then rpcbind and the sshds. */
  private labProcesses(): { first: number[]; last: number[] } {
    const L = this.state.L;
    const protectedPids = new Set(ancestors(process.pid));
    const last = new Set<number>();
    const first = new Set<number>();
    for (const p of this.state.processes) {
      if (!isSame(p)) continue;
      if (p.name === 'rpcbind' || p.name.startsWith('sshd ')) {
        last.add(p.pid);
        if (/^sshd \S+$/.test(p.name)) descendants(p.pid).forEach((d) => last.add(d));
      } else first.add(p.pid);
    }
    const mentionsL = (pid: number) => ` ${commandLine(pid)} `.split(' ').some((w) => w === L || w.includes(`${L}/`));
    for (const { pid } of this.pidFiles()) if (isAlive(pid) && mentionsL(pid) && !last.has(pid)) first.add(pid);
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      if (!last.has(pid) && isAlive(pid) && mentionsL(pid)) first.add(pid);
    }
    const keep = (s: Set<number>) => [...s].filter((p) => !protectedPids.has(p));
    return { first: keep(first), last: keep(last) };
  }

  /** Stops every process of the lab by pid, removes its mounts, its directory and its state. */
  async down(): Promise<void> {
    if (this.downed) return;
    const { first } = this.labProcesses();
    await stopPids(first);
    const { last } = this.labProcesses();
    await stopPids(last);
    const again = this.labProcesses();
    await killPids([...again.first, ...again.last]);
    if (this.state.startedRpcbind) rmSync(RPCBIND_SOCKET, { force: true });
    this.removeFiles();
    this.downed = true;
    this.unguard();
  }

  private removeFiles(): void {
    const L = this.state.L;
    for (const m of mountsUnder(L)) {
      if (spawnSync('umount', [m]).status !== 0) spawnSync('umount', ['-l', m]);
    }
    if (isAbsolute(L) && L !== '/' && existsSync(join(L, MARKER))) rmSync(L, { recursive: true, force: true });
    const stateFile = join(this.state.stateDir, 'state.json');
    if (this.state.stateDir !== L) {
      rmSync(stateFile, { force: true });
      rmSync(this.state.inventoryPath, { force: true });
      try {
        if (!readdirSync(this.state.stateDir).length) rmSync(this.state.stateDir, { recursive: true });
      } catch {
        // already gone
      }
    }
  }

  /** At process exit: no time to wait, so SIGKILL to everything of the lab, then the files. */
  private killNowSync(): void {
    if (this.downed) return;
    try {
      const { first, last } = this.labProcesses();
      killPidsSync([...first, ...last]);
      if (this.state.startedRpcbind) rmSync(RPCBIND_SOCKET, { force: true });
      this.removeFiles();
    } catch {
      // best effort while the process exits
    }
  }
}

function isSame(p: OwnedProcess): boolean {
  return isAlive(p.pid) && (p.start === undefined || startTime(p.pid) === p.start);
}

function ancestors(pid: number): number[] {
  const out: number[] = [];
  let cur = pid;
  while (cur > 1) {
    out.push(cur);
    try {
      const stat = readFileSync(`/proc/${cur}/stat`, 'utf8');
      cur = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    } catch {
      break;
    }
  }
  return out;
}

/** Mount points at or below dir, deepest first (from /proc/mounts, whose paths escape spaces as \040). */
function mountsUnder(dir: string): string[] {
  let text = '';
  try {
    text = readFileSync('/proc/mounts', 'utf8');
  } catch {
    return [];
  }
  const unescape = (s: string) => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
  return text
    .split('\n')
    .map((l) => unescape(l.split(' ')[1] ?? ''))
    .filter((m) => m === dir || m.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}

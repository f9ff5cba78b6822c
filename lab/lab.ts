import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { knownHostName } from '../runner/src/transport/known-hosts.js';
import type { SshOptions } from '../runner/src/transport/ssh.js';
import { awaitInit, consoleTail, execIn, NAMESPACES, processesIn, startHost, type ExecResult, type HostProcess } from './container.js';
import { requireDependencies } from './deps.js';
import { IN_HOST } from './files.js';
import { hostDirs, makeHostImages, nfsDisk } from './host-image.js';
import { labInventory } from './inventory.js';
import { labHosts, NFS_PORTS, SSH_PORTS, type LabHostSpec } from './layout.js';
import { freePortOnAll, portAnswers, waitForPort } from './net.js';
import { assertNfsFree } from './nfs.js';
import { commandLine, descendants, isAlive, killPids, killPidsSync, readPid, startTime, waitUntil } from './procs.js';
import { generateKey } from './sshd.js';
import { readState, writeState, type HostState, type LabState } from './state.js';

export { waitForPort, portAnswers } from './net.js';
export { waitForLog, logSize } from './logs.js';
export { waitUntil, isAlive, descendants } from './procs.js';
export { missingDependencies } from './deps.js';
export type { HostProcess, ExecResult } from './container.js';
export { processTree } from './container.js';

export interface LabHost extends LabHostSpec {
  /**
   * The host's filesystem as this machine sees it (/proc/PID/root of its init). Absolute symbolic
   * links inside it point at this machine's files, not the host's: read links with readlink.
   */
  root: string;
  port: number;
}

export interface LabUpOptions {
  /** Where state.json and inventory.yaml go; the lab directory itself by default. */
  stateDir?: string;
  /** Leave the lab running when this process exits (the command line's `up`); otherwise it is killed then. */
  detach?: boolean;
  /** How many brokers (2 by default): broker3 is 127.0.10.5, broker4 127.0.10.6, ... */
  brokers?: number;
  /** How many fleet hosts (none by default): fleet01 on 127.0.11.1, ... each sshd only, in group fleet. */
  fleet?: number;
}

const MARKER = '.amq-lab';
const BOOT_TIMEOUT_MS = 60_000;

async function sshPort(addresses: string[]): Promise<number> {
  try {
    return await freePortOnAll(addresses, SSH_PORTS.preferred, 1);
  } catch {
    return freePortOnAll(addresses, SSH_PORTS.fallbackFrom);
  }
}

/** Builds the lab: every host a container with its own sshd, the NFS host serving its disk. */
export async function labUp(opts: LabUpOptions = {}): Promise<Lab> {
  requireDependencies();
  const specs = labHosts(opts.brokers, opts.fleet);
  const nfsHost = specs.find((h) => h.role === 'nfs')!;
  await assertNfsFree(nfsHost.address);
  const L = mkdtempSync(join(tmpdir(), 'amq-lab-'));
  // The overlay's options name folders below L: commas, colons or spaces there would split them.
  if (!/^[\w/.-]+$/.test(L)) {
    rmSync(L, { recursive: true });
    throw new Error(`the lab folder ${L} has characters an overlay mount cannot take; set TMPDIR to a plain path`);
  }
  writeFileSync(join(L, MARKER), 'made by npm run lab -- up\n');
  const stateDir = opts.stateDir ?? L;
  const ssh = join(L, 'ssh');
  const state: LabState = {
    L,
    port: 0,
    stateDir,
    inventoryPath: join(stateDir, 'inventory.yaml'),
    clientKey: join(ssh, 'client_ed25519'),
    knownHosts: join(ssh, 'known_hosts'),
    hosts: specs.map((h) => ({ ...h, unshare: 0, init: 0, start: undefined, ns: undefined })),
  };
  const lab = new Lab(state, !opts.detach);
  try {
    state.port = await sshPort(specs.map((h) => h.address));
    mkdirSync(ssh, { recursive: true, mode: 0o755 });
    const clientPub = generateKey(state.clientKey, 'lab-client');
    const pubs = makeHostImages({ L, hosts: specs, nfsHost, port: state.port, clientPub });
    const known = specs.map((host, i) => `${knownHostName(host.address, state.port)} ${pubs[i].split(' ').slice(0, 2).join(' ')}`);
    writeFileSync(state.knownHosts, `${known.join('\n')}\n`, { mode: 0o600 });
    await Promise.all(state.hosts.map((h) => lab.boot(h)));
    mkdirSync(stateDir, { recursive: true });
    writeFileSync(state.inventoryPath, labInventory(state));
    writeState(state);
  } catch (e) {
    await lab.down();
    throw e;
  }
  return lab;
}

/** The lab written by `up` into stateDir, or undefined when there is none. */
export function labFromState(stateDir: string): Lab | undefined {
  const s = readState(stateDir);
  return s ? new Lab(s, false) : undefined;
}

export interface HostStatus {
  name: string;
  address: string;
  running: boolean;
  processes: HostProcess[];
}

export interface PortStatus {
  what: string;
  address: string;
  port: number;
  answers: boolean;
}

/** What a lab left behind after down: each list empty when it left nothing. */
export interface Leftovers {
  processes: number[];
  namespaces: string[];
  mounts: string[];
  files: string[];
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
    // Whatever happens to the caller (a failed test, an exception, Ctrl-C), no host outlives it.
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
  get hosts(): LabHost[] {
    return this.state.hosts.map((h) => ({ name: h.name, address: h.address, group: h.group, role: h.role, root: `/proc/${h.init}/root`, port: this.state.port }));
  }

  host(name: string): LabHost {
    const h = this.hosts.find((x) => x.name === name);
    if (!h) throw new Error(`the lab has no host '${name}' (it has ${this.hosts.map((x) => x.name).join(', ')})`);
    return h;
  }

  private hostState(name: string): HostState {
    this.host(name);
    return this.state.hosts.find((h) => h.name === name)!;
  }

  /** The NFS host's disk, as a folder of this machine (the host mounts it at /data). */
  get nfsDisk(): string {
    return nfsDisk(this.L, this.state.hosts.find((h) => h.role === 'nfs')!.name);
  }

  /** What connectSsh needs to log in to a lab host as root. */
  sshOptions(name: string): SshOptions {
    const h = this.host(name);
    return { host: h.name, address: h.address, port: h.port, user: 'root', identity: this.clientKey, knownHosts: this.knownHosts };
  }

  /** Boots one host and waits until its init says it is up and its sshd answers. */
  async boot(h: HostState): Promise<void> {
    const d = hostDirs(this.L, h.name);
    h.unshare = startHost(d.boot, d.console);
    const { init, ns } = await awaitInit(h.unshare, d.console);
    Object.assign(h, { init, start: startTime(init), ns });
    const up = new RegExp(`^lab host ${h.name} is up$`, 'm');
    await waitUntil(
      async () => {
        if (!isAlive(h.init)) throw new Error(`lab host ${h.name} stopped during its boot: ${consoleTail(d.console)}`);
        return up.test(readFileSync(d.console, 'utf8')) && portAnswers(h.address, this.state.port);
      },
      BOOT_TIMEOUT_MS,
      `lab host ${h.name} to boot (${d.console})`,
    );
  }

  /** Runs a shell command inside a host as root, without SSH (a console login). */
  exec(name: string, command: string, o: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
    return execIn(this.hostState(name).init, command, o);
  }

  /** The host's processes, with their pids inside it and here. */
  processes(name: string): HostProcess[] {
    const ns = this.hostState(name).ns;
    return ns ? processesIn(ns.pid) : [];
  }

  /** The host's mount table (its own mount namespace), as /proc/mounts shows it inside. */
  mounts(name: string): string {
    return readFileSync(`/proc/${this.hostState(name).init}/mounts`, 'utf8');
  }

  /** The pid this machine knows a host's process by. */
  hostPid(name: string, pidInside: number): number | undefined {
    return this.processes(name).find((p) => p.pid === pidInside)?.hostPid;
  }

  /** What a host writes: its upper layer and its /run (a tmpfs). A dry-run must leave both as they were. */
  writableTrees(): string[] {
    return this.state.hosts.flatMap((h) => [hostDirs(this.L, h.name).upper, join(`/proc/${h.init}/root`, 'run')]).concat(this.nfsDisk);
  }

  /** Kills the host's sshd listener and its sessions, so open connections drop. */
  async killSshd(name: string): Promise<void> {
    const pid = readPid(join(this.host(name).root, IN_HOST.sshdPid));
    const listener = pid === undefined ? undefined : this.hostPid(name, pid);
    if (listener === undefined) return;
    await killPids([listener, ...descendants(listener)]);
  }

  /** Starts the host's sshd again (after killSshd), with Debian's init script. */
  async startSshd(name: string): Promise<void> {
    const h = this.host(name);
    const r = await this.exec(name, 'service ssh start');
    if (r.code !== 0) throw new Error(`service ssh start on ${name} failed: ${r.stdout}${r.stderr}`);
    await waitForPort(h.address, h.port, 10_000);
  }

  /**
   * Gives the host a new host key and restarts its sshd; the lab's known_hosts keeps the old key.
   * Sessions already open stay up, as with a real sshd restart. Returns the new public key line.
   */
  async swapHostKey(name: string): Promise<string> {
    const h = this.host(name);
    const pub = generateKey(join(h.root, IN_HOST.hostKey), `lab-${name}-swapped`);
    const r = await this.exec(name, 'service ssh restart');
    if (r.code !== 0) throw new Error(`service ssh restart on ${name} failed: ${r.stdout}${r.stderr}`);
    await waitForPort(h.address, h.port, 10_000);
    return pub;
  }

  async status(): Promise<{ hosts: HostStatus[]; ports: PortStatus[] }> {
    const hosts = this.state.hosts.map((h) => ({ name: h.name, address: h.address, running: isSame(h), processes: isSame(h) ? this.processes(h.name) : [] }));
    const ports: PortStatus[] = [];
    for (const h of this.state.hosts) {
      ports.push({ what: `sshd ${h.name}`, address: h.address, port: this.state.port, answers: await portAnswers(h.address, this.state.port) });
    }
    const nfs = this.state.hosts.find((h) => h.role === 'nfs')!;
    ports.push({ what: 'rpcbind', address: nfs.address, port: 111, answers: await portAnswers(nfs.address, 111) });
    ports.push({ what: 'ganesha nfs', address: nfs.address, port: NFS_PORTS.nfs, answers: await portAnswers(nfs.address, NFS_PORTS.nfs) });
    ports.push({ what: 'ganesha mountd', address: nfs.address, port: NFS_PORTS.mountd, answers: await portAnswers(nfs.address, NFS_PORTS.mountd) });
    return { hosts, ports };
  }

  /** Processes, namespaces, mounts and files of this lab still on the machine. */
  leftovers(): Leftovers {
    const ids = new Set(this.state.hosts.flatMap((h) => (h.ns ? Object.values(h.ns) : [])));
    const processes = new Set<number>();
    const namespaces = new Set<string>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      for (const ns of NAMESPACES) {
        try {
          const id = readlinkSync(`/proc/${name}/ns/${ns}`);
          if (ids.has(id)) {
            namespaces.add(id);
            if (isAlive(Number(name))) processes.add(Number(name));
          }
        } catch {
          // gone meanwhile
        }
      }
    }
    return { processes: [...processes], namespaces: [...namespaces], mounts: mountsUnder(this.L), files: existsSync(this.L) ? [this.L] : [] };
  }

  /** Ends every host (all their processes and mounts with them), then removes the lab's files and state. */
  async down(): Promise<void> {
    if (this.downed) return;
    await killPids(this.rootPids());
    const gone = () => {
      const left = this.leftovers();
      return left.processes.length === 0 && left.namespaces.length === 0;
    };
    try {
      await waitUntil(gone, 20_000, 'every process of the lab to end');
    } catch {
      // A process that left the host's PID namespace but kept its mounts: end it by its pid.
      await killPids(this.leftovers().processes);
      await waitUntil(gone, 5_000, 'every process of the lab to end');
    }
    this.removeFiles();
    this.downed = true;
    this.unguard();
  }

  /** Each host's init; for a host whose boot did not get that far, its unshare. */
  private rootPids(): number[] {
    return this.state.hosts.flatMap((h) => {
      if (isSame(h)) return [h.init];
      const boot = hostDirs(this.L, h.name).boot;
      return h.unshare > 0 && isAlive(h.unshare) && commandLine(h.unshare).includes(boot) ? [h.unshare] : [];
    });
  }

  private removeFiles(): void {
    const L = this.state.L;
    for (const m of mountsUnder(L)) {
      if (spawnSync('umount', [m]).status !== 0) spawnSync('umount', ['-l', m]);
    }
    if (isAbsolute(L) && L !== '/' && existsSync(join(L, MARKER))) rmSync(L, { recursive: true, force: true });
    if (this.state.stateDir !== L) {
      rmSync(join(this.state.stateDir, 'state.json'), { force: true });
      rmSync(this.state.inventoryPath, { force: true });
      try {
        if (!readdirSync(this.state.stateDir).length) rmSync(this.state.stateDir, { recursive: true });
      } catch {
        // already gone
      }
    }
  }

  /** At process exit: no time to wait, so SIGKILL to every host's init, then the files. */
  private killNowSync(): void {
    if (this.downed) return;
    try {
      killPidsSync(this.rootPids());
      this.removeFiles();
    } catch {
      // best effort while the process exits
    }
  }
}

/** The host's init is still the process the lab started (not a reused pid). */
function isSame(h: HostState): boolean {
  return h.init > 0 && isAlive(h.init) && (h.start === undefined || startTime(h.init) === h.start);
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

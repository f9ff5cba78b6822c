import { spawn } from 'node:child_process';
import { closeSync, openSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { childrenOf, commandLine, isAlive, waitUntil } from './procs.js';

/** The namespaces a host has of its own (the network stack is the machine's). */
export const NAMESPACES = ['mnt', 'pid', 'uts', 'ipc'] as const;
export type NamespaceIds = Record<(typeof NAMESPACES)[number], string>;

const UNSHARE_ARGS = ['--mount', '--pid', '--uts', '--ipc', '--fork', '--propagation', 'private', '--kill-child'];

/** Starts a host's boot script in new namespaces; returns the pid of `unshare`. Its output goes to `console`. */
export function startHost(bootScript: string, console: string): number {
  const out = openSync(console, 'a');
  const child = spawn('unshare', [...UNSHARE_ARGS, '--', '/bin/sh', bootScript], { detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  child.unref();
  if (!child.pid) throw new Error(`cannot run unshare for ${bootScript}`);
  return child.pid;
}

/** The host's init (its PID 1) and namespaces, once the boot script has become it. */
export async function awaitInit(unshare: number, console: string): Promise<{ init: number; ns: NamespaceIds }> {
  let init = 0;
  await waitUntil(
    () => {
      if (!isAlive(unshare)) throw new Error(`the host's boot failed: ${tail(console)}`);
      // unshare --fork's one child is the host's PID 1 (the boot script, then tini).
      init = childrenOf(unshare).find((p) => innerPid(p) === 1 && commandLine(p).startsWith('/usr/bin/tini')) ?? 0;
      return init > 0;
    },
    10_000,
    `the init of the host booted by pid ${unshare}`,
    20,
  );
  return { init, ns: namespaceIds(init) };
}

export function namespaceIds(pid: number): NamespaceIds {
  const ids = {} as NamespaceIds;
  for (const ns of NAMESPACES) ids[ns] = readlinkSync(`/proc/${pid}/ns/${ns}`);
  return ids;
}

function statusField(pid: number, field: string): string | undefined {
  try {
    return new RegExp(`^${field}:\\s*(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/** A process's pid inside its own PID namespace (the last of NSpid). */
export function innerPid(pid: number): number | undefined {
  const ns = statusField(pid, 'NSpid')?.trim().split(/\s+/);
  return ns ? Number(ns[ns.length - 1]) : undefined;
}

/** One process of a host, as `ps` inside it would show it, with the pid this machine knows it by. */
export interface HostProcess {
  pid: number;
  ppid: number;
  hostPid: number;
  user: string;
  cmdline: string;
}

function userName(uid: string): string {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.split(':')[2] === uid);
    return line?.split(':')[0] ?? uid;
  } catch {
    return uid;
  }
}

/** Every live process of the PID namespace `pidNs` (a host's), sorted by its pid inside. */
export function processesIn(pidNs: string): HostProcess[] {
  const mine: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/ns/pid`) === pidNs && isAlive(Number(name))) mine.push(Number(name));
    } catch {
      // gone meanwhile, or a kernel thread
    }
  }
  const inner = new Map(mine.map((p) => [p, innerPid(p) ?? 0]));
  return mine
    .map((hostPid) => {
      const ppidHere = Number(statusField(hostPid, 'PPid') ?? 0);
      return {
        pid: inner.get(hostPid)!,
        ppid: inner.get(ppidHere) ?? 0,
        hostPid,
        user: userName(statusField(hostPid, 'Uid')?.split(/\s+/)[0] ?? ''),
        cmdline: commandLine(hostPid),
      };
    })
    .sort((a, b) => a.pid - b.pid);
}

/** A host's processes as a tree by their pids inside it: `1 tini`, `└ 9 sshd`, ... */
export function processTree(ps: readonly HostProcess[]): string[] {
  const out: string[] = [];
  const children = (pid: number) => ps.filter((p) => p.ppid === pid && p.pid !== pid);
  const walk = (p: HostProcess, depth: number) => {
    const cmd = p.cmdline.length > 90 ? `${p.cmdline.slice(0, 89)}…` : p.cmdline;
    out.push(`${'  '.repeat(depth)}${depth ? '└ ' : ''}${String(p.pid).padStart(depth ? 0 : 1)} ${p.user} ${cmd}`);
    for (const c of children(p.pid)) walk(c, depth + 1);
  };
  for (const root of ps.filter((p) => p.ppid === 0 || !ps.some((x) => x.pid === p.ppid))) walk(root, 0);
  return out;
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs a shell command inside a host (its namespaces and root), as root, the way a console login
 * would; not through SSH, so it works while the host's sshd is down.
 */
export function execIn(init: number, command: string, o: { input?: string; timeoutMs?: number } = {}): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('nsenter', ['-t', String(init), '-m', '-u', '-i', '-p', '-r', '-w', '--', '/bin/sh', '-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), o.timeoutMs ?? 120_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 128 + (signal === 'SIGKILL' ? 9 : 15), stdout, stderr });
    });
    child.stdin.end(o.input ?? '');
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-5).join(' | ');
  } catch {
    return `no output in ${file}`;
  }
}

/** The end of a host's console (its boot output), for error messages. */
export const consoleTail = tail;

import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { NFS_PORTS } from './layout.js';
import { portAnswers } from './net.js';
import { isAlive, readPid, waitUntil } from './procs.js';
import { hostPaths } from './roots.js';

export const RPCBIND_SOCKET = '/run/rpcbind.sock';

/** rpcbind listens on port 111 of every address, and ganesha's ports are fixed: one lab NFS server per machine. */
export async function assertNfsFree(address: string): Promise<void> {
  if (await portAnswers('127.0.0.1', 111)) {
    throw new Error('an rpcbind already runs on this machine (port 111 answers): another lab is up? Stop it first (npm run lab -- down)');
  }
  for (const port of Object.values(NFS_PORTS)) {
    if (await portAnswers(address, port)) throw new Error(`${address}:${port} is taken: another lab's NFS server runs? Stop it first (npm run lab -- down)`);
  }
  // A socket left by an rpcbind that did not stop cleanly.
  if (existsSync(RPCBIND_SOCKET)) rmSync(RPCBIND_SOCKET, { force: true });
}

export async function startRpcbind(root: string): Promise<number> {
  const p = hostPaths(root);
  const log = openSync(p.rpcbindLog, 'a');
  const child = spawn('rpcbind', ['-f'], { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error('cannot start rpcbind');
  writeFileSync(p.rpcbindPid, `${pid}\n`);
  await waitUntil(
    async () => {
      if (!isAlive(pid)) throw new Error(`rpcbind exited at start; see ${p.rpcbindLog}`);
      return portAnswers('127.0.0.1', 111);
    },
    10_000,
    'rpcbind on port 111',
  );
  return pid;
}

/** Runs the lab's ganesha-restart script; returns ganesha's pid. */
export function restartGanesha(script: string, root: string): number {
  const r = spawnSync(script, { encoding: 'utf8', timeout: 40_000 });
  if (r.status !== 0) throw new Error(`${script} failed: ${(r.stderr || r.error?.message || '').trim()}`);
  const pid = readPid(hostPaths(root).ganeshaPid);
  if (!pid) throw new Error(`ganesha wrote no pidfile at ${hostPaths(root).ganeshaPid}`);
  return pid;
}

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { sshdConfig } from './files.js';
import { portAnswers } from './net.js';
import { isAlive, waitUntil } from './procs.js';
import { hostPaths } from './roots.js';

export const SSHD = '/usr/sbin/sshd';

/** A new ed25519 key pair at `file` and `file.pub` (an old pair there is replaced). */
export function generateKey(file: string, comment: string): string {
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  const r = spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ssh-keygen failed for ${file}: ${r.stderr || r.error?.message}`);
  return readFileSync(`${file}.pub`, 'utf8').trim();
}

export function writeSshdConfig(root: string, address: string, port: number, authorizedKeys: string): void {
  const p = hostPaths(root);
  writeFileSync(p.sshdConfig, sshdConfig({ address, port, hostKey: p.hostKey, pidFile: p.sshdPid, authorizedKeys }));
}

/** Starts the host's sshd in the background (not daemonized, so its pid is known) and waits until it answers. */
export async function startSshd(root: string, address: string, port: number): Promise<number> {
  const p = hostPaths(root);
  mkdirSync('/run/sshd', { recursive: true });
  mkdirSync(dirname(p.sshdLog), { recursive: true });
  const check = spawnSync(SSHD, ['-t', '-f', p.sshdConfig], { encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`sshd rejects ${p.sshdConfig}: ${check.stderr.trim()}`);
  const child = spawn(SSHD, ['-D', '-f', p.sshdConfig, '-E', p.sshdLog], { detached: true, stdio: 'ignore' });
  child.unref();
  const pid = child.pid;
  if (!pid) throw new Error(`cannot start sshd for ${address}`);
  try {
    await waitUntil(
      async () => {
        if (!isAlive(pid)) throw new Error(`sshd for ${address}:${port} exited at start: ${tail(p.sshdLog)}`);
        return portAnswers(address, port);
      },
      10_000,
      `sshd on ${address}:${port}`,
    );
  } catch (e) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
    throw e;
  }
  return pid;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return `no log at ${file}`;
  }
}

import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { atLeast } from './versions.js';

/** A Node runtime to start the bundled runner with. */
export interface NodeRuntime {
  command: string;
  /** Added to the environment of the runner. */
  env: Record<string, string>;
  describe: string;
}

/** The first executable of that name on PATH, or null. */
export function findOnPath(name: string, path: string | undefined): string | null {
  for (const dir of (path ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return null;
}

/** What `COMMAND ...args` prints on stdout, or why it could not run. */
export function output(command: string, args: string[], timeoutMs = 30_000): Promise<{ code: number | null; stdout: string; stderr: string; missing: boolean }> {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: timeoutMs, encoding: 'utf8' }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { code?: string | number }) | null;
      // Missing: the command itself, or the script it was given (`node /gone/amq-run.js`).
      const missing = e?.code === 'ENOENT' || e?.code === 'EACCES' || /Cannot find module|No such file or directory/.test(stderr);
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout, stderr, missing });
    });
  });
}

/**
 * `node` on PATH when it is at least `minimum` (the runner's engines.node); otherwise the editor's
 * own runtime (VS Code's executable runs as plain Node with ELECTRON_RUN_AS_NODE=1).
 */
export async function pickRuntime(opts: { path: string | undefined; minimum: string; execPath: string }): Promise<NodeRuntime> {
  const node = findOnPath(process.platform === 'win32' ? 'node.exe' : 'node', opts.path);
  if (node) {
    const v = (await output(node, ['--version'], 10_000)).stdout.trim();
    if (atLeast(v, opts.minimum)) return { command: node, env: {}, describe: `node ${v} on PATH (${node})` };
  }
  return { command: opts.execPath, env: { ELECTRON_RUN_AS_NODE: '1' }, describe: `the editor's own runtime (${opts.execPath})${node ? `, as ${node} is older than ${opts.minimum}` : ''}` };
}

import { spawn } from 'node:child_process';
import { withSudo } from './sudo.js';
import type { ExecOptions, ExecResult, Transport } from './transport.js';

/** `connection: local`: commands run on this machine through `sh -c`, without SSH. */
export class LocalTransport implements Transport {
  private readonly running = new Set<ReturnType<typeof spawn>>();

  constructor(
    readonly host: string,
    private readonly becomePassword?: string,
  ) {}

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    let stdin = opts.stdin;
    if (opts.sudo && process.getuid?.() !== 0) ({ command, stdin } = withSudo(command, stdin, this.becomePassword));
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', command], { stdio: ['pipe', 'pipe', 'pipe'] });
      this.running.add(child);
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      let timer: NodeJS.Timeout | undefined;
      if (opts.timeoutMs) timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs);
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (e) => {
        clearTimeout(timer);
        this.running.delete(child);
        reject(e);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.running.delete(child);
        resolve({
          code: code ?? (signal ? 128 + 9 : 1),
          stdout: Buffer.concat(out).toString('utf8'),
          stderr: Buffer.concat(err).toString('utf8') + (signal && opts.timeoutMs ? `\n(timed out after ${opts.timeoutMs} ms)` : ''),
        });
      });
      child.stdin.on('error', () => undefined);
      child.stdin.end(stdin ?? '');
    });
  }

  async close(): Promise<void> {
    for (const c of this.running) c.kill('SIGTERM');
    this.running.clear();
  }
}

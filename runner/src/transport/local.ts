import { spawn } from 'node:child_process';
import { SessionTransport } from './session-transport.js';
import { ShellSession } from './shell-session.js';

/**
 * `connection: local`: commands run on this machine through one `sh`, without SSH. The shell is
 * in a session of its own, so a Ctrl-C in the terminal reaches amq-run only, which decides what
 * to stop.
 */
export class LocalTransport extends SessionTransport {
  private session: ShellSession | undefined;

  constructor(host: string, becomePassword?: string) {
    super(host, process.getuid?.() === 0, becomePassword);
  }

  protected shell(): Promise<ShellSession> {
    if (this.session?.alive) return Promise.resolve(this.session);
    const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    child.stdin.on('error', () => undefined);
    this.session = new ShellSession(
      {
        write: (t) => child.stdin.write(t),
        onOut: (cb) => child.stdout.on('data', cb),
        onErr: (cb) => child.stderr.on('data', cb),
        onClose: (cb) => child.on('close', cb),
        close: () => child.stdin.end(),
        busy: (on) => {
          // The pipes are sockets: unreferenced while idle, they let the process exit.
          for (const h of [child, child.stdin, child.stdout, child.stderr] as unknown as { ref(): void; unref(): void }[]) if (on) h.ref(); else h.unref();
        },
      },
      () => new Error(`${this.host}: the local shell ended`),
    );
    return Promise.resolve(this.session);
  }

  protected beside(command: string, stdin: string | undefined): Promise<void> {
    return new Promise((resolve) => {
      const c = spawn('sh', ['-c', command], { stdio: ['pipe', 'ignore', 'ignore'] });
      c.stdin.on('error', () => undefined);
      c.stdin.end(stdin ?? '');
      c.on('close', () => resolve());
      c.on('error', () => resolve());
    });
  }

  async close(): Promise<void> {
    await this.abort();
    this.session?.close();
    this.session = undefined;
  }
}

import { randomBytes } from 'node:crypto';
import { q } from './quote.js';
import type { ExecResult } from './transport.js';

/** The pipes of one long-running `sh` on a host: what we write is its script, it answers on out and err. */
export interface ShellPipes {
  write(text: string): void;
  onOut(cb: (b: Buffer) => void): void;
  onErr(cb: (b: Buffer) => void): void;
  onClose(cb: () => void): void;
  close(): void;
}

interface Request {
  command: string;
  stdin: string | Buffer | undefined;
  resolve(r: ExecResult): void;
  reject(e: Error): void;
}

/** One stream of a running request: its bytes, until the end marker shows up at its end. */
class Collector {
  private readonly chunks: Buffer[] = [];
  private tail = '';

  constructor(private readonly end: RegExp) {}

  /** The text before the marker and what the marker captured, once it has arrived. */
  push(b: Buffer): { text: string; captured: string } | undefined {
    this.chunks.push(b);
    this.tail = (this.tail + b.toString('latin1')).slice(-200);
    if (!this.end.test(this.tail)) return undefined;
    const all = Buffer.concat(this.chunks).toString('utf8');
    const m = this.end.exec(all)!;
    return { text: all.slice(0, m.index), captured: m[1] ?? '' };
  }
}

/**
 * Many commands through one shell, so a host's login (its shell start-up files) is paid once per
 * run, not once per command. Each command runs in its own `sh -c` with its own stdin; its output
 * ends at a marker no command prints (a random token per session), followed by its exit status.
 */
export class ShellSession {
  private readonly token = randomBytes(16).toString('hex');
  private serial = 0;
  private readonly queue: Request[] = [];
  private current: { req: Request; out: Collector; err: Collector; stdout?: string; code?: number; stderr?: string } | undefined;
  private closed = false;

  constructor(
    private readonly pipes: ShellPipes,
    private readonly lost: () => Error,
  ) {
    pipes.onOut((b) => this.take('out', b));
    pipes.onErr((b) => this.take('err', b));
    pipes.onClose(() => {
      this.closed = true;
      const e = this.lost();
      this.current?.req.reject(e);
      this.current = undefined;
      for (const r of this.queue.splice(0)) r.reject(e);
    });
  }

  get alive(): boolean {
    return !this.closed;
  }

  /** Runs `command` with `sh -c`, its stdin being `stdin` (or /dev/null). */
  run(command: string, stdin: string | Buffer | undefined): Promise<ExecResult> {
    if (this.closed) return Promise.reject(this.lost());
    return new Promise((resolve, reject) => {
      this.queue.push({ command, stdin, resolve, reject });
      this.next();
    });
  }

  close(): void {
    this.pipes.close();
  }

  private next(): void {
    if (this.current || !this.queue.length) return;
    const req = this.queue.shift()!;
    const id = `AMQ-END-${this.token}-${++this.serial}`;
    this.current = { req, out: new Collector(new RegExp(`\\n${id} (\\d+)\\n$`)), err: new Collector(new RegExp(`\\n${id}\\n$`)) };
    const body = req.stdin === undefined ? '' : (typeof req.stdin === 'string' ? Buffer.from(req.stdin, 'utf8') : req.stdin).toString('base64').replace(/(.{76})/g, '$1\n');
    const run =
      req.stdin === undefined
        ? `sh -c ${q(req.command)} < /dev/null`
        : `base64 -d <<'${id}' | sh -c ${q(req.command)}\n${body}${body.endsWith('\n') || !body ? '' : '\n'}${id}`;
    this.pipes.write(`${run}\nprintf '\\n%s %s\\n' '${id}' "$?"\nprintf '\\n%s\\n' '${id}' >&2\n`);
  }

  private take(stream: 'out' | 'err', b: Buffer): void {
    const c = this.current;
    if (!c) return;
    if (stream === 'out' && c.code === undefined) {
      const got = c.out.push(b);
      if (got) {
        c.stdout = got.text;
        c.code = Number(got.captured);
      }
    }
    if (stream === 'err' && c.stderr === undefined) {
      const got = c.err.push(b);
      if (got) c.stderr = got.text;
    }
    if (c.code !== undefined && c.stderr !== undefined) {
      this.current = undefined;
      c.req.resolve({ code: c.code, stdout: c.stdout!, stderr: c.stderr });
      this.next();
    }
  }
}

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
  /** Whether a command runs: a local shell keeps the process alive only then. */
  busy?(on: boolean): void;
}

interface Request {
  command: string;
  stdin: string | Buffer | undefined;
  resolve(r: ExecResult): void;
  reject(e: Error): void;
  /** Told the process group of the command once it runs. */
  started?(pid: number): void;
  /** Run in a subshell of the session's shell: no process group of its own, nothing to stop. */
  quick?: boolean;
}

/** One stream of a running request: its bytes, until the end marker shows up at its end. */
class Collector {
  private readonly chunks: Buffer[] = [];
  private tail = '';

  constructor(private readonly end: RegExp) {}

  get text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** The text before the marker and what the marker captured, once it has arrived. */
  push(b: Buffer): { text: string; captured: string } | undefined {
    this.chunks.push(b);
    this.tail = (this.tail + b.toString('latin1')).slice(-200);
    if (!this.end.test(this.tail)) return undefined;
    const all = this.text;
    const m = this.end.exec(all)!;
    return { text: all.slice(0, m.index), captured: m[1] ?? '' };
  }
}

interface Current {
  req: Request;
  out: Collector;
  err: Collector;
  /** The first line the command prints, before anything of its own: its process group. */
  pidLine: RegExp;
  pid?: number;
  stdout?: string;
  code?: number;
  stderr?: string;
}

/**
 * Many commands through one shell, so a host's login (its shell start-up files) is paid once per
 * run, not once per command. Each command runs in its own `sh -c`, in a session of its own (so
 * its whole process group can be stopped, and a terminal's Ctrl-C does not reach it), with its
 * own stdin; its output ends at a marker no command prints (a random token per session), followed
 * by its exit status.
 */
export class ShellSession {
  private readonly token = randomBytes(16).toString('hex');
  private serial = 0;
  private readonly queue: Request[] = [];
  private current: Current | undefined;
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

  /** The process group of the command running now, once it has started. */
  get runningGroup(): number | undefined {
    return this.current?.pid;
  }

  /**
   * Runs `command` with `sh -c`, its stdin being `stdin` (or /dev/null); `started` gets its process
   * group. `quick` (a probe that ends at once, without stdin): in a subshell, with no group of its own.
   */
  run(command: string, stdin: string | Buffer | undefined, started?: (pid: number) => void, quick = false): Promise<ExecResult> {
    if (this.closed) return Promise.reject(this.lost());
    return new Promise((resolve, reject) => {
      this.queue.push({ command, stdin, resolve, reject, ...(started ? { started } : {}), ...(quick && stdin === undefined ? { quick } : {}) });
      this.next();
    });
  }

  close(): void {
    this.pipes.close();
  }

  private next(): void {
    if (this.current) return;
    this.pipes.busy?.(this.queue.length > 0);
    if (!this.queue.length) return;
    const req = this.queue.shift()!;
    const id = `AMQ-END-${this.token}-${++this.serial}`;
    const pidMark = `AMQ-PID-${this.token}-${this.serial}`;
    this.current = { req, out: new Collector(new RegExp(`\\n${id} (\\d+)\\n$`)), err: new Collector(new RegExp(`\\n${id}\\n$`)), pidLine: new RegExp(`^${pidMark} (\\d+)\\n`) };
    // setsid makes the command the leader of a new process group, and it says which before it runs.
    // The command is evaluated by that shell with no arguments of its own, as `sh -c` would run it.
    const end = `printf '\\n%s %s\\n' '${id}' "$?"\nprintf '\\n%s\\n' '${id}' >&2\n`;
    if (req.quick) {
      // A subshell evaluates it as \`sh -c\` would: its exit, its errors and its variables stay inside.
      this.pipes.write(`(eval ${q(req.command)}) < /dev/null\n${end}`);
      return;
    }
    const launch = `setsid sh -c 'printf "%s %s\\n" "$0" "$$"; amq_cmd=$1; shift; eval "$amq_cmd"' ${pidMark} ${q(req.command)}`;
    const body = req.stdin === undefined ? '' : (typeof req.stdin === 'string' ? Buffer.from(req.stdin, 'utf8') : req.stdin).toString('base64').replace(/(.{76})/g, '$1\n');
    const run = req.stdin === undefined ? `${launch} < /dev/null &` : `base64 -d <<'${id}' | ${launch} &\n${body}${body.endsWith('\n') || !body ? '' : '\n'}${id}`;
    this.pipes.write(`${run}\nwait $!\n${end}`);
  }

  private take(stream: 'out' | 'err', b: Buffer): void {
    const c = this.current;
    if (!c) return;
    if (stream === 'out' && c.code === undefined) {
      const got = c.out.push(b);
      if (c.pid === undefined && !c.req.quick) {
        const m = c.pidLine.exec(c.out.text);
        if (m) {
          c.pid = Number(m[1]);
          c.req.started?.(c.pid);
        }
      }
      if (got) {
        c.stdout = got.text.replace(c.pidLine, '');
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

/** Stops a process group: TERM, then KILL to whatever is left. Safe when it is already gone. */
export function killGroupCommand(pid: number, signal: 'TERM' | 'KILL'): string {
  return `kill -s ${signal} -- -${pid} 2>/dev/null || kill -s ${signal} ${pid} 2>/dev/null; true`;
}

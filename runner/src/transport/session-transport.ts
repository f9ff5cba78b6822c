import { killGroupCommand, type ShellSession } from './shell-session.js';
import { withSudo } from './sudo.js';
import type { ExecOptions, ExecResult, Transport } from './transport.js';

/** How long a stopped command's process group has after SIGTERM before it gets SIGKILL. */
const TERM_GRACE_MS = 3_000;
/** How long after SIGKILL a command's end may take to arrive before the shell is given up. */
const KILL_GRACE_MS = 5_000;

interface Running {
  /** The command's process group, once its first line told it. */
  pid: Promise<number>;
  sudo: boolean;
  done: Promise<unknown>;
}

const within = <T>(p: Promise<T>, ms: number): Promise<T | undefined> => Promise.race([p, new Promise<undefined>((r) => setTimeout(() => r(undefined), ms).unref())]);

/**
 * A transport whose commands go through one long-running shell (SSH's remote shell, or a local
 * `sh`). It knows the process group of each running command, so a timeout or an abort stops the
 * command and everything it started, on the host itself.
 */
export abstract class SessionTransport implements Transport {
  private readonly running = new Set<Running>();

  constructor(
    readonly host: string,
    /** Commands with `sudo` run as they are: the login user is root. */
    private readonly isRoot: boolean,
    private readonly becomePassword: string | undefined,
  ) {}

  /** The shell commands go through, started on first use (and again if it ended). */
  protected abstract shell(): Promise<ShellSession>;

  /** Runs a short command beside the shell, which is busy with the command it must stop. */
  protected abstract beside(command: string, stdin: string | undefined): Promise<void>;

  /** Checked before each command: throws when the host is known to be gone. */
  protected ensureUsable(): void {}

  abstract close(): Promise<void>;

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.ensureUsable();
    let stdin = opts.stdin;
    const sudo = Boolean(opts.sudo && !this.isRoot);
    if (sudo) ({ command, stdin } = withSudo(command, stdin, this.becomePassword));
    const session = await this.shell();
    let started!: (pid: number) => void;
    const pid = new Promise<number>((r) => (started = r));
    const quick = Boolean(opts.probe && opts.readOnly && stdin === undefined && !opts.timeoutMs);
    const result = session.run(command, stdin, started, quick);
    const me: Running = { pid, sudo, done: result.catch(() => undefined) };
    this.running.add(me);
    try {
      if (!opts.timeoutMs) return await result;
      return await this.withDeadline(session, me, result, opts.timeoutMs);
    } finally {
      this.running.delete(me);
    }
  }

  /** Stops every command running now, with its whole process group; resolves once they ended. */
  async abort(): Promise<void> {
    await Promise.all([...this.running].map((r) => this.stop(r)));
  }

  private async withDeadline(session: ShellSession, me: Running, result: Promise<ExecResult>, ms: number): Promise<ExecResult> {
    let timer: NodeJS.Timeout | undefined;
    let timedOut = false;
    const deadline = new Promise<void>((r) => (timer = setTimeout(r, ms)));
    const guard = deadline.then(async () => {
      timedOut = true;
      await this.signal(me, 'KILL');
      await new Promise((r) => setTimeout(r, KILL_GRACE_MS).unref());
      session.close();
      throw new Error(`${this.host}: no answer ${KILL_GRACE_MS} ms after the command was stopped at its deadline`);
    });
    guard.catch(() => undefined);
    try {
      const r = await Promise.race([result, guard]);
      return timedOut ? { ...r, stderr: `${r.stderr}${r.stderr && !r.stderr.endsWith('\n') ? '\n' : ''}(timed out after ${ms} ms)` } : r;
    } finally {
      clearTimeout(timer);
    }
  }

  private async stop(r: Running): Promise<void> {
    await this.signal(r, 'TERM');
    if ((await within(r.done.then(() => true), TERM_GRACE_MS)) === undefined) await this.signal(r, 'KILL');
  }

  private async signal(r: Running, signal: 'TERM' | 'KILL'): Promise<void> {
    // A command still waiting its turn in the shell is not started yet: it has no group to stop.
    const pid = await within(Promise.race([r.pid, r.done.then(() => undefined)]), TERM_GRACE_MS);
    if (pid === undefined) return;
    const kill = killGroupCommand(pid, signal);
    // What ran through sudo belongs to root: only root may stop all of it.
    const { command, stdin } = r.sudo ? withSudo(kill, undefined, this.becomePassword) : { command: kill, stdin: undefined };
    await this.beside(command, typeof stdin === 'string' ? stdin : undefined).catch(() => undefined);
  }
}

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ExecOptions {
  /** Run through sudo (the become password, if any, goes on stdin, never on the command line). */
  sudo?: boolean;
  /** The command's standard input: text, or bytes (an upload). */
  stdin?: string | Buffer;
  timeoutMs?: number;
  /**
   * Marks a command that only reads (a check, a fact). The transport used for a dry-run refuses
   * every command without it, and every write.
   */
  readOnly?: boolean;
  /**
   * A probe of the runner's own (a stat, a read, a fact) that only reads and ends at once: it runs
   * in a subshell of the host's shell, without a process group of its own to stop, which saves
   * two programs started per probe. Ignored with stdin or a timeout.
   */
  probe?: boolean;
}

/** One connection to one host for the whole run. Every side effect of the runner goes through here. */
export interface Transport {
  readonly host: string;
  exec(cmd: string, opts?: ExecOptions): Promise<ExecResult>;
  /** Stops every command running now on the host, with its whole process group; resolves once they ended. */
  abort(): Promise<void>;
  /** Stops what still runs, and ends the connection. */
  close(): Promise<void>;
}

/** The host cannot be reached (refused, timed out, connection lost, host key refused). */
export class UnreachableError extends Error {
  constructor(
    readonly host: string,
    message: string,
  ) {
    super(message);
  }
}

/** The dry-run transport refused something that would change the host. */
export class DryRunViolation extends Error {}

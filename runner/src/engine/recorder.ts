import type { CommandRun } from './events.js';
import type { ExecOptions, ExecResult, Transport } from '../transport/transport.js';

/** A transport that keeps every command run through it with what it printed (for --verbose). */
export class Recorder implements Transport {
  readonly ran: CommandRun[] = [];

  constructor(private readonly inner: Transport) {}

  get host(): string {
    return this.inner.host;
  }

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const r = await this.inner.exec(command, opts);
    this.ran.push({ cmd: command, exit_code: r.code, stdout: r.stdout, stderr: r.stderr });
    return r;
  }

  abort(): Promise<void> {
    return this.inner.abort();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

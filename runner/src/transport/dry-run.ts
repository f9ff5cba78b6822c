import { DryRunViolation, type ExecOptions, type ExecResult, type Transport } from './transport.js';

/**
 * The transport a dry-run works through: it passes read-only commands on and refuses any
 * other command, so nothing can change the host, whatever a module does.
 */
export class DryRunTransport implements Transport {
  constructor(private readonly inner: Transport) {}

  get host(): string {
    return this.inner.host;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    if (!opts.readOnly) return Promise.reject(new DryRunViolation(`dry-run: refused to run a command that may change the host: ${command}`));
    return this.inner.exec(command, opts);
  }

  abort(): Promise<void> {
    return this.inner.abort();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

import type { ExecOptions, ExecResult, Transport } from './transport.js';

/** The transport of a host with `become: false`: commands run as the login user, whatever a task asks. */
export class WithoutSudo implements Transport {
  constructor(private readonly inner: Transport) {}

  get host(): string {
    return this.inner.host;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    return this.inner.exec(command, { ...opts, sudo: false });
  }

  abort(): Promise<void> {
    return this.inner.abort();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}

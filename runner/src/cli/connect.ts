import type { Analysis } from '../runbook/analyze.js';
import { hostConnection } from '../runbook/connection.js';
import { LocalTransport } from '../transport/local.js';
import type { Transport } from '../transport/transport.js';

export interface ConnectOptions {
  acceptNewHostKeys: boolean;
  /** From --ask-become-pass, for hosts without their own become_password. */
  becomePassword?: string;
}

/** Opens the transport of a host: local, or one SSH connection for the whole run. */
export function connector(a: Analysis, opts: ConnectOptions): (host: string) => Promise<Transport> {
  return async (host) => {
    const c = hostConnection(a, host);
    const becomePassword = c.becomePassword ?? opts.becomePassword;
    if (c.connection === 'local') return new LocalTransport(host, becomePassword);
    const { connectSsh } = await import('../transport/ssh.js');
    return connectSsh({
      host,
      address: c.address,
      port: c.port,
      user: c.user,
      ...(c.identity ? { identity: c.identity } : {}),
      ...(c.password !== undefined ? { password: c.password } : {}),
      ...(becomePassword !== undefined ? { becomePassword } : {}),
      knownHosts: c.knownHosts,
      acceptNew: opts.acceptNewHostKeys,
      timeoutMs: c.connectTimeoutMs,
    });
  };
}

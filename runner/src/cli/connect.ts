import type { Analysis } from '../runbook/analyze.js';
import { hostConnection, type HostConnection } from '../runbook/connection.js';
import { LocalTransport } from '../transport/local.js';
import type { Transport } from '../transport/transport.js';
import { WithoutSudo } from '../transport/without-sudo.js';

export interface ConnectOptions {
  acceptNewHostKeys: boolean;
  /** From --ask-become-pass, for hosts without their own become_password. */
  becomePassword?: string;
}

/** Opens the transport of a host: local, or one SSH connection for the whole run. */
export function connector(a: Analysis, opts: ConnectOptions): (host: string) => Promise<Transport> {
  return async (host) => {
    const c = hostConnection(a, host);
    const t = await open(c, c.becomePassword ?? opts.becomePassword, opts.acceptNewHostKeys);
    return c.become ? t : new WithoutSudo(t);
  };
}

async function open(c: HostConnection, becomePassword: string | undefined, acceptNew: boolean): Promise<Transport> {
  if (c.connection === 'local') return new LocalTransport(c.name, becomePassword);
  const { connectSsh } = await import('../transport/ssh.js');
  return connectSsh({
    host: c.name,
    address: c.address,
    port: c.port,
    user: c.user,
    ...(c.identity ? { identity: c.identity } : {}),
    ...(c.password !== undefined ? { password: c.password } : {}),
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    knownHosts: c.knownHosts,
    acceptNew,
    timeoutMs: c.connectTimeoutMs,
  });
}

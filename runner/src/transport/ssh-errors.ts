export interface SshTarget {
  user: string;
  address: string;
  port: number;
}

export function targetName(t: SshTarget): string {
  return `${t.user}@${t.address}:${t.port}`;
}

/** One line saying why a connection could not be opened. */
export function describeConnectError(e: unknown, t: SshTarget, timeoutMs: number, tried: string[]): string {
  const err = e as Error & { code?: string; level?: string };
  const msg = err?.message ?? String(e);
  const why = (() => {
    if (err?.code === 'ECONNREFUSED') return `connection refused (nothing listens on ${t.address}:${t.port})`;
    if (err?.level === 'client-timeout' || (err?.code === 'ETIMEDOUT' && msg !== 'No response from server')) {
      return `timed out: no SSH answer within ${timeoutMs / 1000} s (connect timeout)`;
    }
    if (msg === 'No response from server') return 'the server closed the connection before login finished';
    if (err?.level === 'client-authentication') return `authentication failed as ${t.user} (tried ${tried.join(', ')})`;
    if (err?.code === 'EHOSTUNREACH' || err?.code === 'ENETUNREACH') return `host unreachable (${err.code})`;
    if (err?.level === 'client-dns' || err?.code === 'ENOTFOUND' || err?.code === 'EAI_AGAIN') return `cannot resolve ${t.address}`;
    if (err?.code === 'ECONNRESET') return 'connection reset by the server';
    if (/verification failed/.test(msg)) return 'host key refused';
    if (/passphrase|private key/i.test(msg)) return `cannot use the identity: ${msg}`;
    return `cannot connect: ${msg}`;
  })();
  return `${targetName(t)}: ${why}`;
}

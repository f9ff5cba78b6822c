import { createConnection, createServer } from 'node:net';
import { waitUntil } from './procs.js';

/** Whether something accepts a TCP connection on host:port. */
export function portAnswers(host: string, port: number, timeoutMs = 1_000): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host, port });
    const done = (ok: boolean) => {
      s.destroy();
      resolve(ok);
    };
    s.setTimeout(timeoutMs, () => done(false));
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
  });
}

export function waitForPort(host: string, port: number, timeoutMs: number): Promise<void> {
  return waitUntil(() => portAnswers(host, port), timeoutMs, `${host}:${port} to accept connections`);
}

function canListen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ host, port, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** The first port from `first` on that is free on every address. */
export async function freePortOnAll(addresses: readonly string[], first: number, tries = 200): Promise<number> {
  for (let port = first; port < first + tries; port++) {
    let free = true;
    for (const a of addresses) if (!(await canListen(a, port))) free = false;
    if (free) return port;
  }
  throw new Error(`no port in ${first}-${first + tries - 1} is free on ${addresses.join(', ')}`);
}

import type { ConnectionOptions } from 'node:tls';
import { StompClient, type Frame, type StompLogin } from '../../runner/src/cluster/stomp.js';

/** A STOMP login as its CONNECT headers name it. */
export interface Login {
  login: string;
  passcode: string;
}

const asLogin = (l?: Login): StompLogin | undefined => l && { user: l.login, password: l.passcode };

/** The runner's STOMP client (the drill's), used by the lab tests to prove what brokers store, deliver and refuse. */
export const Stomp = {
  open: (host: string, port: number, timeoutMs = 5000, login?: Login, tls?: ConnectionOptions) => StompClient.open(host, port, timeoutMs, asLogin(login), tls),
  answer: (host: string, port: number, login?: Login, timeoutMs = 5000, tls?: ConnectionOptions) => StompClient.answer(host, port, asLogin(login), timeoutMs, tls),
};
export type Stomp = StompClient;
export type { Frame };

/** Connects, retrying until `timeoutMs`: a broker (or a proxy in front of one) that is coming up. */
export async function openWhenReady(host: string, port: number, timeoutMs: number, login?: Login, tls?: ConnectionOptions): Promise<{ client: StompClient; connected: Frame; ms: number }> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const got = await StompClient.open(host, port, Math.min(2000, timeoutMs), asLogin(login), tls);
      return { ...got, ms: Date.now() - t0 };
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${host}:${port} gave no STOMP session within ${timeoutMs} ms: ${(last as Error)?.message}`);
}

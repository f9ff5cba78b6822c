import { StompClient, type Frame } from '../../runner/src/cluster/stomp.js';

/** The runner's STOMP client (the drill's), used by the lab tests to prove what brokers store and deliver. */
export { StompClient as Stomp, type Frame };

/** Connects, retrying until `timeoutMs`: a broker (or a proxy in front of one) that is coming up. */
export async function openWhenReady(host: string, port: number, timeoutMs: number): Promise<{ client: StompClient; connected: Frame; ms: number }> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const got = await StompClient.open(host, port, Math.min(2000, timeoutMs));
      return { ...got, ms: Date.now() - t0 };
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${host}:${port} gave no STOMP session within ${timeoutMs} ms: ${(last as Error)?.message}`);
}

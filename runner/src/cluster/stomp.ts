import { connect, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

/** A STOMP 1.2 frame. */
export interface Frame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

/** STOMP 1.2 header escaping (\\, \n, \r and : inside a value); CONNECT and CONNECTED frames are not escaped. */
function escapeHeader(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/:/g, '\\c');
}

function unescapeHeader(v: string): string {
  return v.replace(/\\([\\ncr])/g, (_, c: string) => ({ n: '\n', r: '\r', c: ':' })[c] ?? '\\');
}

const RAW = new Set(['CONNECT', 'CONNECTED']);

export function encodeFrame(command: string, headers: Record<string, string>, body = ''): string {
  const value = RAW.has(command) ? (v: string) => v : escapeHeader;
  return `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${value(v)}`).join('\n')}\n\n${body}\0`;
}

/** Splits complete frames off the front of a buffer; returns them and what is left. */
export function decodeFrames(buf: string): { frames: Frame[]; rest: string } {
  const frames: Frame[] = [];
  let rest = buf;
  for (;;) {
    rest = rest.replace(/^[\r\n]+/, '');
    const end = rest.indexOf('\0');
    if (end < 0) break;
    const raw = rest.slice(0, end);
    rest = rest.slice(end + 1);
    const split = raw.indexOf('\n\n');
    const head = split < 0 ? raw : raw.slice(0, split);
    const [first, ...lines] = head.split('\n');
    const command = first.trim();
    const value = RAW.has(command) ? (v: string) => v : unescapeHeader;
    const headers: Record<string, string> = {};
    for (const l of lines) {
      const i = l.indexOf(':');
      if (i > 0 && !(l.slice(0, i) in headers)) headers[l.slice(0, i)] = value(l.slice(i + 1));
    }
    frames.push({ command, headers, body: split < 0 ? '' : raw.slice(split + 2) });
  }
  return { frames, rest };
}

/** A broker user's login. */
export interface StompLogin {
  user: string;
  password: string;
}

/** The broker answered the CONNECT with an ERROR (a login refused): it is there, and says no. */
export class StompRefused extends Error {}

/** A STOMP client over plain TCP: what the drill needs (persistent sends with receipts, acknowledged receives). */
export class StompClient {
  private buf = '';
  private readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  private closed: Error | undefined;

  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      const { frames, rest } = decodeFrames(this.buf + d);
      this.buf = rest;
      this.frames.push(...frames);
      this.wake();
    });
    sock.on('error', (e) => {
      this.closed = e;
      this.wake();
    });
    sock.on('close', () => {
      this.closed ??= new Error('connection closed');
      this.wake();
    });
  }

  private wake() {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The next frame, or undefined after `ms` without one; rejects once the connection is gone. */
  next(ms: number): Promise<Frame | undefined> {
    if (this.frames.length) return Promise.resolve(this.frames.shift());
    if (this.closed) return Promise.reject(this.closed);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => resolve(undefined), ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        if (this.frames.length) resolve(this.frames.shift());
        else if (this.closed) reject(this.closed);
        else this.next(ms).then(resolve, reject);
      });
    });
  }

  /** Connects and logs in (CONNECT → CONNECTED); the CONNECTED frame names the broker's session. */
  static async open(host: string, port: number, timeoutMs = 5000, login?: StompLogin, tls?: ConnectionOptions): Promise<{ client: StompClient; connected: Frame }> {
    const { client, reply: connected, error } = await StompClient.hello(host, port, timeoutMs, login, tls);
    if (error) {
      client.close();
      throw new Error(`${host}:${port} closed the connection before CONNECTED: ${error.message}`);
    }
    if (connected?.command === 'ERROR') {
      client.close();
      throw new StompRefused(`${host}:${port} refused the login: ${connected.headers.message ?? connected.body.trim()}`);
    }
    if (connected?.command !== 'CONNECTED') {
      client.close();
      throw new Error(`no CONNECTED from ${host}:${port}: ${connected ? `${connected.command} ${connected.headers.message ?? ''}`.trim() : `nothing within ${timeoutMs} ms`}`);
    }
    return { client, connected };
  }

  /** What the broker answers a CONNECT with this login (or none): CONNECTED, or ERROR with its message; undefined for no answer. */
  static async answer(host: string, port: number, login?: StompLogin, timeoutMs = 5000, tls?: ConnectionOptions): Promise<Frame | undefined> {
    const { client, reply } = await StompClient.hello(host, port, timeoutMs, login, tls);
    client.close();
    return reply;
  }

  private static async hello(host: string, port: number, timeoutMs: number, login?: StompLogin, tls?: ConnectionOptions): Promise<{ client: StompClient; reply?: Frame; error?: Error }> {
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = tls ? connectTls({ host, port, ...tls }) : connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connecting to ${host}:${port} timed out`));
      }, timeoutMs);
      s.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        resolve(s);
      });
      s.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    const client = new StompClient(sock);
    sock.write(encodeFrame('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0', ...(login ? { login: login.user, passcode: login.password } : {}) }));
    try {
      return { client, reply: await client.next(timeoutMs) };
    } catch (e) {
      return { client, error: e as Error };
    }
  }

  /** Sends persistent messages; each counts as sent only once the broker's RECEIPT says it is stored. */
  async send(queue: string, bodies: readonly string[], onSent?: (n: number) => void): Promise<void> {
    for (const [i, body] of bodies.entries()) {
      this.sock.write(encodeFrame('SEND', { destination: `/queue/${queue}`, persistent: 'true', receipt: `r${i}`, 'content-type': 'text/plain' }, body));
      const f = await this.next(15_000);
      if (f?.command !== 'RECEIPT' || f.headers['receipt-id'] !== `r${i}`) throw new Error(`no receipt for message ${i + 1}: ${f ? `${f.command} ${f.headers.message ?? ''}` : 'nothing within 15 s'}`);
      onSent?.(i + 1);
    }
  }

  /**
   * Takes deliveries of a queue until `idleMs` pass without one (or `max` arrived), answering each
   * with ACK (consumed) or NACK (rejected: redelivered, then dead-lettered); the bodies in order.
   */
  async consume(queue: string, idleMs: number, o: { max?: number; answer?: 'ACK' | 'NACK'; onMessage?: (n: number) => void } = {}): Promise<string[]> {
    const id = `sub-${queue}`;
    this.sock.write(encodeFrame('SUBSCRIBE', { id, destination: `/queue/${queue}`, ack: 'client-individual' }));
    const got: string[] = [];
    while (got.length < (o.max ?? Infinity)) {
      const f = await this.next(idleMs);
      if (!f) break;
      if (f.command === 'ERROR') throw new Error(`the broker refused: ${f.headers.message ?? f.body}`);
      if (f.command !== 'MESSAGE') continue;
      got.push(f.body);
      this.sock.write(encodeFrame(o.answer ?? 'ACK', { id: f.headers.ack }));
      o.onMessage?.(got.length);
    }
    this.sock.write(encodeFrame('UNSUBSCRIBE', { id }));
    return got;
  }

  /** Sends one message and returns the broker's answer: a RECEIPT, or an ERROR (a refusal). */
  async attemptSend(queue: string, body: string): Promise<Frame | undefined> {
    this.sock.write(encodeFrame('SEND', { destination: `/queue/${queue}`, persistent: 'true', receipt: 'attempt', 'content-type': 'text/plain' }, body));
    return this.next(10_000).catch(() => undefined);
  }

  /** Receives and acknowledges messages until `idleMs` pass without one (or `max` arrived). */
  receive(queue: string, idleMs: number, max = Infinity): Promise<string[]> {
    return this.consume(queue, idleMs, { max });
  }

  /** Rejects every delivery until `idleMs` pass without one; the bodies as delivered, redeliveries included. */
  rejectAll(queue: string, idleMs: number): Promise<string[]> {
    return this.consume(queue, idleMs, { answer: 'NACK' });
  }

  close(): void {
    this.sock.destroy();
  }
}

/** The broker instance behind a STOMP session id (`ID:host-port-start-n-c:s` → `host-port-start-n`). */
export function sessionBroker(session: string | undefined): string | undefined {
  return session ? /^ID:(.+?)-\d+:\d+$/.exec(session)?.[1] ?? session : undefined;
}

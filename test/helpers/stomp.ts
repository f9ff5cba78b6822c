import { connect, type Socket } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';

/** A small STOMP 1.2 client over plain TCP, enough to prove what brokers store and deliver. */
export interface Frame {
  command: string;
  headers: Record<string, string>;
  body: string;
}

function encode(command: string, headers: Record<string, string>, body = ''): string {
  return `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}`).join('\n')}\n\n${body}\0`;
}

/** A STOMP login: the broker's user and password. */
export interface Login {
  login: string;
  passcode: string;
}

export class Stomp {
  private buf = '';
  private readonly frames: Frame[] = [];
  private waiters: (() => void)[] = [];
  private closed: Error | undefined;

  private constructor(private readonly sock: Socket) {
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => {
      this.buf += d;
      for (;;) {
        this.buf = this.buf.replace(/^\n+/, '');
        const end = this.buf.indexOf('\0');
        if (end < 0) break;
        const raw = this.buf.slice(0, end);
        this.buf = this.buf.slice(end + 1);
        const [head, ...rest] = raw.split('\n\n');
        const [command, ...lines] = head.split('\n');
        const headers: Record<string, string> = {};
        for (const l of lines) {
          const i = l.indexOf(':');
          if (i > 0 && !(l.slice(0, i) in headers)) headers[l.slice(0, i)] = l.slice(i + 1);
        }
        this.frames.push({ command, headers, body: rest.join('\n\n') });
      }
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

  /** The next frame, or undefined after `ms` without one. */
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

  static async open(host: string, port: number, timeoutMs = 5000, login?: Login, tls?: ConnectionOptions): Promise<{ client: Stomp; connected: Frame }> {
    const { client, reply } = await Stomp.hello(host, port, timeoutMs, login, tls);
    if (reply?.command !== 'CONNECTED') {
      client.close();
      throw new Error(`no CONNECTED from ${host}:${port}: ${reply ? `${reply.command} ${reply.headers.message ?? ''}` : 'timeout'}`);
    }
    return { client, connected: reply };
  }

  /** What the broker answers a CONNECT with this login (or none): CONNECTED, or ERROR with its message. */
  static async answer(host: string, port: number, login?: Login, timeoutMs = 5000): Promise<Frame | undefined> {
    const { client, reply } = await Stomp.hello(host, port, timeoutMs, login);
    client.close();
    return reply;
  }

  private static async hello(host: string, port: number, timeoutMs: number, login?: Login, tls?: ConnectionOptions): Promise<{ client: Stomp; reply: Frame | undefined }> {
    const sock = await new Promise<Socket>((resolve, reject) => {
      const s = tls ? connectTls({ host, port, ...tls }) : connect({ host, port });
      const timer = setTimeout(() => {
        s.destroy();
        reject(new Error(`connect to ${host}:${port} timed out`));
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
    const client = new Stomp(sock);
    sock.write(encode('CONNECT', { 'accept-version': '1.2', host: 'localhost', 'heart-beat': '0,0', ...(login ?? {}) }));
    const reply = await client.next(timeoutMs).catch(() => undefined);
    return { client, reply };
  }

  /** Sends persistent messages, each counted only once the broker's RECEIPT says it is stored. */
  async send(queue: string, bodies: string[]): Promise<void> {
    for (const [i, body] of bodies.entries()) {
      this.sock.write(encode('SEND', { destination: `/queue/${queue}`, persistent: 'true', receipt: `r${i}`, 'content-type': 'text/plain' }, body));
      const f = await this.next(10_000);
      if (f?.command !== 'RECEIPT' || f.headers['receipt-id'] !== `r${i}`) throw new Error(`no receipt for message ${i}: ${f ? `${f.command} ${f.body}` : 'timeout'}`);
    }
  }

  /** Sends one message and returns the broker's answer: a RECEIPT, or an ERROR (a refusal). */
  async attemptSend(queue: string, body: string): Promise<Frame | undefined> {
    this.sock.write(encode('SEND', { destination: `/queue/${queue}`, persistent: 'true', receipt: 'attempt', 'content-type': 'text/plain' }, body));
    return this.next(10_000).catch(() => undefined);
  }

  /** Receives and acknowledges messages until `idleMs` pass without one (or `max` arrive). */
  async receive(queue: string, idleMs: number, max = Infinity): Promise<string[]> {
    this.sock.write(encode('SUBSCRIBE', { id: '1', destination: `/queue/${queue}`, ack: 'client-individual' }));
    const got: string[] = [];
    while (got.length < max) {
      const f = await this.next(idleMs);
      if (!f) break;
      if (f.command !== 'MESSAGE') continue;
      got.push(f.body);
      this.sock.write(encode('ACK', { id: f.headers.ack }));
    }
    return got;
  }

  /**
   * Rejects (NACKs) every delivery of the queue until `idleMs` pass without one; returns the
   * bodies in the order they were delivered, redeliveries included.
   */
  async rejectAll(queue: string, idleMs: number): Promise<string[]> {
    this.sock.write(encode('SUBSCRIBE', { id: 'reject', destination: `/queue/${queue}`, ack: 'client-individual' }));
    const got: string[] = [];
    for (;;) {
      const f = await this.next(idleMs);
      if (!f) break;
      if (f.command !== 'MESSAGE') continue;
      got.push(f.body);
      this.sock.write(encode('NACK', { id: f.headers.ack }));
    }
    this.sock.write(encode('UNSUBSCRIBE', { id: 'reject' }));
    return got;
  }

  close(): void {
    this.sock.destroy();
  }
}

/** Connects, retrying until `timeoutMs`: a broker (or a proxy in front of one) that is coming up. */
export async function openWhenReady(host: string, port: number, timeoutMs: number, login?: Login, tls?: ConnectionOptions): Promise<{ client: Stomp; connected: Frame; ms: number }> {
  const t0 = Date.now();
  let last: unknown;
  while (Date.now() - t0 < timeoutMs) {
    try {
      const got = await Stomp.open(host, port, Math.min(2000, timeoutMs), login, tls);
      return { ...got, ms: Date.now() - t0 };
    } catch (e) {
      last = e;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${host}:${port} gave no STOMP session within ${timeoutMs} ms: ${(last as Error)?.message}`);
}

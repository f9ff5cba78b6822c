import { PassThrough, type Readable } from 'node:stream';
import { initializeResult } from './capabilities.js';

/**
 * `initialize` answered before anything else is loaded. Its answer is a constant, while loading the
 * protocol library and the language takes a few hundred milliseconds on a busy machine: an editor
 * waiting for the answer waits for that no longer. The first message is read here with node alone;
 * when it is `initialize`, the answer is sent at once. The server then starts on everything the
 * client sent, that first message included (the library sets itself up from it), and drops its own
 * answer to it, which is the same constant (early-init.test.ts holds both to it).
 */

type Id = number | string;

interface Message {
  id?: Id;
  method?: string;
}

export interface Early {
  /** The id of the `initialize` request already answered: the server's own answer to it is not sent. */
  answered?: Id;
  /** stdio: the bytes read so far followed by the rest of stdin, for the server to read. */
  input?: Readable;
  /** Node IPC: the messages received so far, to be handed to the server before the next ones. */
  received?: unknown[];
  /** Node IPC: stops the early listener (once the server's own listens). */
  detach?(): void;
}

const answer = (id: Id) => ({ jsonrpc: '2.0', id, result: initializeResult() });

/** The first complete message in `buf` (`Content-Length` framing), if there is one yet. */
export function firstMessage(buf: Buffer): Message | null | undefined {
  const headerEnd = buf.indexOf('\r\n\r\n');
  if (headerEnd < 0) return undefined;
  const length = /content-length:\s*(\d+)/i.exec(buf.subarray(0, headerEnd).toString('ascii'));
  if (!length) return null;
  const start = headerEnd + 4;
  const end = start + Number(length[1]);
  if (buf.length < end) return undefined;
  try {
    return JSON.parse(buf.subarray(start, end).toString('utf8')) as Message;
  } catch {
    return null;
  }
}

export function frame(message: unknown): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body, 'utf8')}\r\n\r\n${body}`;
}

/** stdio: waits for the first message, answers it when it is `initialize`, and hands everything on. */
export function earlyOverStdio(stdin: Readable = process.stdin, write: (s: string) => void = (s) => process.stdout.write(s)): Promise<Early> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const done = (first: Message | null | undefined) => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
      const answered = first?.method === 'initialize' && first.id !== undefined ? first.id : undefined;
      if (answered !== undefined) write(frame(answer(answered)));
      const input = new PassThrough();
      input.write(Buffer.concat(chunks));
      stdin.pipe(input);
      resolve({ ...(answered !== undefined ? { answered } : {}), input });
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      const first = firstMessage(Buffer.concat(chunks));
      if (first !== undefined) done(first);
    };
    const onEnd = () => done(null);
    stdin.on('data', onData);
    stdin.on('end', onEnd);
  });
}

/** Node IPC: the same with messages; later messages are kept until the server listens. */
export function earlyOverIpc(proc: NodeJS.Process = process): Promise<Early> {
  return new Promise((resolve) => {
    const received: unknown[] = [];
    let settled = false;
    const onMessage = (m: unknown) => {
      received.push(m);
      if (settled) return;
      settled = true;
      const first = m as Message;
      const answered = first?.method === 'initialize' && first.id !== undefined ? first.id : undefined;
      if (answered !== undefined) proc.send!(answer(answered));
      resolve({ ...(answered !== undefined ? { answered } : {}), received, detach: () => proc.off('message', onMessage) });
    };
    proc.on('message', onMessage);
  });
}

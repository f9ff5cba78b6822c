import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { initializeResult } from '../../server/src/capabilities.js';
import { earlyOverStdio, firstMessage, frame } from '../../server/src/early-init.js';
import { SERVER_MAIN } from '../helpers/lsp-client.js';

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } };

/** Every message in a stream of `Content-Length` frames. */
function messages(buf: Buffer): unknown[] {
  const out: unknown[] = [];
  let rest = buf;
  for (;;) {
    const m = firstMessage(rest);
    if (!m) return out;
    out.push(m);
    const headerEnd = rest.indexOf('\r\n\r\n');
    rest = rest.subarray(headerEnd + 4 + Number(/Content-Length: (\d+)/.exec(rest.subarray(0, headerEnd).toString())![1]));
  }
}

describe('initialize answered early (in process)', () => {
  it('reads the first message across chunks, answers it, and hands every byte on', async () => {
    const stdin = new PassThrough();
    let written = '';
    const pending = earlyOverStdio(stdin, (s) => (written += s));
    const bytes = Buffer.from(frame(initialize) + frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
    stdin.write(bytes.subarray(0, 10));
    stdin.write(bytes.subarray(10, 60));
    assert.equal(written, '', 'nothing before the message is complete');
    stdin.write(bytes.subarray(60));
    const early = await pending;
    assert.equal(early.answered, 1);
    assert.deepEqual(messages(Buffer.from(written)), [{ jsonrpc: '2.0', id: 1, result: initializeResult() }]);
    stdin.end(frame({ jsonrpc: '2.0', method: 'exit' }));
    const handed: Buffer[] = [];
    for await (const chunk of early.input!) handed.push(chunk as Buffer);
    assert.deepEqual(messages(Buffer.concat(handed)).map((m) => (m as { method: string }).method), ['initialize', 'initialized', 'exit']);
  });

  it('a first message that is not initialize is not answered', async () => {
    const stdin = new PassThrough();
    let written = '';
    const pending = earlyOverStdio(stdin, (s) => (written += s));
    stdin.write(frame({ jsonrpc: '2.0', id: 7, method: 'shutdown' }));
    const early = await pending;
    assert.equal(early.answered, undefined);
    assert.equal(written, '');
  });
});

describe('initialize answered early (over stdio)', function () {
  this.timeout(20_000);

  it('one answer to initialize, the constant, and the requests after it answered by the server', async () => {
    const child = spawn(process.execPath, [SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    try {
      let out = Buffer.alloc(0);
      child.stdout.on('data', (b: Buffer) => (out = Buffer.concat([out, b])));
      child.stdin.write(frame(initialize) + frame({ jsonrpc: '2.0', method: 'initialized', params: {} }) + frame({ jsonrpc: '2.0', id: 2, method: 'shutdown', params: null }));
      const deadline = Date.now() + 15_000;
      while (!messages(out).some((m) => (m as { id?: number }).id === 2) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      const got = messages(out).filter((m) => (m as { id?: number }).id !== undefined);
      assert.deepEqual(got, [
        { jsonrpc: '2.0', id: 1, result: initializeResult() },
        { jsonrpc: '2.0', id: 2, result: null },
      ]);
    } finally {
      child.kill();
    }
  });

  it('the early answer is the one the server gives where it cannot answer early (over a pipe)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amq-lsp-pipe-'));
    const pipe = join(dir, 'lsp.sock');
    const accepted = new Promise<Socket>((resolve) => createServer(resolve).listen(pipe));
    const child = spawn(process.execPath, [SERVER_MAIN, `--pipe=${pipe}`], { stdio: 'ignore' });
    try {
      const socket = await accepted;
      let out = Buffer.alloc(0);
      socket.on('data', (b: Buffer) => (out = Buffer.concat([out, b])));
      socket.write(frame(initialize));
      const deadline = Date.now() + 15_000;
      while (!messages(out).length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(messages(out), [{ jsonrpc: '2.0', id: 1, result: initializeResult() }]);
      socket.destroy();
    } finally {
      child.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

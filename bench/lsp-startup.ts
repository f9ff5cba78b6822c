import { spawn } from 'node:child_process';
import { frame } from '../server/src/early-init.js';

/** Every complete `Content-Length` message in a buffer. */
function messages(buf: Buffer): { id?: number; method?: string }[] {
  const out: { id?: number; method?: string }[] = [];
  let rest = buf;
  for (;;) {
    const headerEnd = rest.indexOf('\r\n\r\n');
    if (headerEnd < 0) return out;
    const length = Number(/Content-Length: (\d+)/i.exec(rest.subarray(0, headerEnd).toString())?.[1]);
    const end = headerEnd + 4 + length;
    if (rest.length < end) return out;
    out.push(JSON.parse(rest.subarray(headerEnd + 4, end).toString()) as { id?: number; method?: string });
    rest = rest.subarray(end);
  }
}

/**
 * Milliseconds from spawning a server to its answer to `initialize`; with `open`, also to the
 * diagnostics of that document, opened right after the answer.
 */
export async function fromStart(command: string, args: string[], open?: { uri: string; text: string }): Promise<{ initialize: number; diagnostics?: number }> {
  const t0 = performance.now();
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'] });
  try {
    let out = Buffer.alloc(0);
    let initialize: number | undefined;
    return await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no answer in 30 s`)), 30_000);
      child.stdout.on('data', (b: Buffer) => {
        out = Buffer.concat([out, b]);
        const got = messages(out);
        if (initialize === undefined && got.some((m) => m.id === 1)) {
          initialize = performance.now() - t0;
          if (!open) {
            clearTimeout(timer);
            return resolve({ initialize });
          }
          child.stdin.write(frame({ jsonrpc: '2.0', method: 'initialized', params: {} }));
          child.stdin.write(frame({ jsonrpc: '2.0', method: 'textDocument/didOpen', params: { textDocument: { uri: open.uri, languageId: 'yaml', version: 1, text: open.text } } }));
        }
        if (initialize !== undefined && got.some((m) => m.method === 'textDocument/publishDiagnostics')) {
          clearTimeout(timer);
          resolve({ initialize, diagnostics: performance.now() - t0 });
        }
      });
      child.stdin.write(frame({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null } }));
    });
  } finally {
    child.kill();
  }
}

/** A process that answers `initialize` with a constant and nothing else: what node itself costs. */
export const NODE_ALONE = [
  '-e',
  "process.stdin.once('data', () => { const b = JSON.stringify({ jsonrpc: '2.0', id: 1, result: { capabilities: {} } }); process.stdout.write('Content-Length: ' + b.length + '\\r\\n\\r\\n' + b); });",
];

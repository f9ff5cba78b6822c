import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createMessageConnection, IPCMessageReader, IPCMessageWriter, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-jsonrpc/node';

/** The compiled server next to this compiled helper (out-X/server/src/main.js). */
export const SERVER_MAIN = fileURLToPath(new URL('../../server/src/main.js', import.meta.url));

export const fileUri = (path: string): string => pathToFileURL(path).href;

export interface Position {
  line: number;
  character: number;
}
export interface Range {
  start: Position;
  end: Position;
}
export interface LspDiagnostic {
  range: Range;
  severity?: number;
  code?: string | number;
  source?: string;
  message: string;
  data?: unknown;
}
export interface Published {
  uri: string;
  version?: number;
  diagnostics: LspDiagnostic[];
}
export type ContentChange = { text: string } | { range: Range; text: string };

interface Waiter {
  uri: string;
  pred: (p: Published) => boolean;
  resolve: (p: Published) => void;
}

/** A real LSP client over stdio: spawns the server process and speaks JSON-RPC to it. */
export class LspClient {
  readonly published = new Map<string, Published>();
  /** Every publication, in order. */
  readonly history: Published[] = [];
  private waiters: Waiter[] = [];
  stderr = '';
  exited: number | null = null;
  /** What the client answers to workspace/configuration (each item). */
  settings: unknown = null;
  /** What the server said it offers, in its answer to initialize. */
  capabilities: Record<string, unknown> = {};

  private constructor(
    readonly proc: ChildProcess,
    readonly rpc: MessageConnection,
  ) {}

  /**
   * Starts a server: by default the compiled one over stdio; `ipc` forks it with a Node IPC channel
   * (`--node-ipc`), the transport the VS Code client uses.
   */
  static async start(opts: { command?: string; args?: string[]; env?: NodeJS.ProcessEnv; cwd?: string; ipc?: boolean; initializationOptions?: unknown; rootUri?: string; settings?: unknown; capabilities?: Record<string, unknown> } = {}): Promise<LspClient> {
    let proc: ChildProcess;
    let rpc: MessageConnection;
    if (opts.ipc) {
      proc = fork(SERVER_MAIN, ['--node-ipc'], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
      rpc = createMessageConnection(new IPCMessageReader(proc), new IPCMessageWriter(proc));
    } else {
      proc = spawn(opts.command ?? process.execPath, opts.args ?? [SERVER_MAIN, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], ...(opts.env ? { env: opts.env } : {}), ...(opts.cwd ? { cwd: opts.cwd } : {}) });
      rpc = createMessageConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    }
    const client = new LspClient(proc, rpc);
    proc.stderr!.on('data', (b: Buffer) => {
      client.stderr += b.toString();
    });
    proc.on('exit', (code) => {
      client.exited = code ?? -1;
    });
    rpc.onNotification('textDocument/publishDiagnostics', (p: Published) => {
      client.published.set(p.uri, p);
      client.history.push(p);
      const ready = client.waiters.filter((w) => w.uri === p.uri && w.pred(p));
      client.waiters = client.waiters.filter((w) => !ready.includes(w));
      for (const w of ready) w.resolve(p);
    });
    rpc.onNotification('window/logMessage', (p: { message: string }) => {
      client.stderr += `${p.message}\n`;
    });
    rpc.onRequest('client/registerCapability', () => null);
    client.settings = opts.settings ?? null;
    rpc.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => client.settings));
    rpc.onRequest('window/workDoneProgress/create', () => null);
    rpc.listen();
    const answer = await rpc.sendRequest<{ capabilities: Record<string, unknown> }>('initialize', {
      processId: process.pid,
      rootUri: opts.rootUri ?? null,
      capabilities: {
        textDocument: {
          synchronization: { dynamicRegistration: false },
          completion: { completionItem: { snippetSupport: true, documentationFormat: ['markdown', 'plaintext'] } },
          hover: { contentFormat: ['markdown', 'plaintext'] },
          documentSymbol: { hierarchicalDocumentSymbolSupport: true },
          publishDiagnostics: { versionSupport: true },
          codeAction: { codeActionLiteralSupport: { codeActionKind: { valueSet: ['quickfix'] } } },
        },
        workspace: { configuration: true },
        ...opts.capabilities,
      },
      initializationOptions: opts.initializationOptions ?? null,
      workspaceFolders: null,
    });
    client.capabilities = answer.capabilities;
    await rpc.sendNotification('initialized', {});
    return client;
  }

  get pid(): number {
    return this.proc.pid!;
  }

  alive(): boolean {
    return this.exited === null;
  }

  open(uri: string, text: string, languageId = 'yaml', version = 1): void {
    void this.rpc.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, changes: ContentChange[]): void {
    void this.rpc.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: changes });
  }

  close(uri: string): void {
    void this.rpc.sendNotification('textDocument/didClose', { textDocument: { uri } });
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.rpc.sendRequest(method, params) as Promise<R>;
  }

  /** The next diagnostics published for `uri` that satisfy `pred` (the current ones count when `current`). */
  diagnostics(uri: string, pred: (p: Published) => boolean = () => true, opts: { timeoutMs?: number; current?: boolean } = {}): Promise<Published> {
    const have = this.published.get(uri);
    if (opts.current && have && pred(have)) return Promise.resolve(have);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        reject(new Error(`no diagnostics for ${uri} within ${opts.timeoutMs ?? 10_000} ms${this.stderr ? `\nserver said: ${this.stderr}` : ''}`));
      }, opts.timeoutMs ?? 10_000);
      const waiter: Waiter = {
        uri,
        pred,
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      };
      this.waiters.push(waiter);
    });
  }

  /** Resolves once the server has handled everything sent before (its answers come in order). */
  async barrier(): Promise<void> {
    await this.request('textDocument/hover', { textDocument: { uri: 'file:///barrier' }, position: { line: 0, character: 0 } });
  }

  /** Peak resident memory of the server process (VmHWM), in bytes; undefined off Linux. */
  async peakRss(): Promise<number | undefined> {
    const { readFile } = await import('node:fs/promises');
    try {
      const status = await readFile(`/proc/${this.pid}/status`, 'utf8');
      const m = /VmHWM:\s+(\d+) kB/.exec(status);
      return m ? Number(m[1]) * 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  /** shutdown, exit, and a kill by pid if the process is still there. */
  async stop(): Promise<void> {
    if (this.alive()) {
      try {
        await Promise.race([this.request('shutdown', null), new Promise((r) => setTimeout(r, 2000))]);
        void this.rpc.sendNotification('exit');
      } catch {
        // the process may already be gone
      }
      await new Promise<void>((resolve) => {
        if (!this.alive()) return resolve();
        const t = setTimeout(() => {
          this.proc.kill('SIGKILL');
          resolve();
        }, 2000);
        this.proc.once('exit', () => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    this.rpc.dispose();
  }
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DidChangeWatchedFilesNotification, TextDocuments, type Diagnostic as LspDiagnostic, type InitializeParams, type InitializeResult } from 'vscode-languageserver/node';
import { catalog } from '../../runner/src/modules/index.js';
import type { Analysis } from '../../runner/src/runbook/analyze.js';
import { initializeResult } from './capabilities.js';
import { connect } from './connection.js';
import { diagnosticsByTarget, DiagnosticsLedger, lspDiagnosticKey } from './ledger.js';
import { uriOf, type Texts } from './lsp-convert.js';
import type { Early } from './early-init.js';
import { registerRequests, type Session } from './requests.js';
import { readSettings, sameAnalysis, type Settings } from './settings.js';
import { warmUp } from './warmup.js';
import { WorkspaceFiles } from './workspace-files.js';
import { Workspace } from './workspace.js';

/** Quiet time after `initialized` before the warm-up starts. */
const WARM_UP_AFTER_MS = 100;

const pathOf = (uri: string): string | undefined => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);

function readFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** The folder relative settings are read from: the first workspace folder, else the root. */
function rootOf(p: InitializeParams): string | undefined {
  const uri = p.workspaceFolders?.[0]?.uri ?? p.rootUri ?? undefined;
  if (uri) return pathOf(uri);
  return p.rootPath ?? undefined;
}

/**
 * The connection, the documents, the settings, and the diagnostics of each document (validated after
 * a quiet moment, again when a file it reads changes); each request is in requests.ts.
 *
 * Starts the server on the transport named on the command line (`--stdio`, `--node-ipc`, `--socket`),
 * continuing an early answer to `initialize` when there was one.
 */
export function startServer(early?: Early): void {
  const connection = connect(early);
  const documents = new TextDocuments(TextDocument);
  let root: string | undefined;
  let initOptions: unknown;
  let pullsConfiguration = false;
  let settings = readSettings([], undefined);
  const envOf = (s: Settings) => ({ readFile, globs: s.globs, catalog, ...(s.inventory ? { inventory: s.inventory } : {}), extraVars: s.extraVars });
  let workspace = new Workspace(envOf(settings));
  /** Set by the first document the editor opens: the warm-up then stops. */
  let working = false;
  const timers = new Map<string, NodeJS.Timeout>();
  const ledger = new DiagnosticsLedger<LspDiagnostic>(lspDiagnosticKey);
  const texts: Texts = { open: (uri) => documents.get(uri), read: readFile };
  let roots: string[] = [];
  const files = new WorkspaceFiles(() => roots);
  /** The YAML files of the workspace folders, and the open documents outside them. */
  const runbookPaths = () => [...new Set([...files.yamlFiles(), ...workspace.uris().flatMap((uri) => workspace.get(uri)?.path ?? [])])];
  const analysed = (path: string) => {
    const a = workspace.analyzeFile(path);
    return a ? [{ path, a }] : [];
  };

  const guard =
    <A extends unknown[], R>(what: string, fallback: R, f: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return f(...args);
      } catch (e) {
        connection.console.error(`${what}: ${(e as Error).stack ?? String(e)}`);
        return fallback;
      }
    };

  const publish = (source: string, lists: ReadonlyMap<string, LspDiagnostic[]>) => {
    for (const [target, diagnostics] of ledger.set(source, lists)) {
      const version = workspace.get(target)?.analyzed;
      void connection.sendDiagnostics({ uri: target, ...(version !== undefined && version >= 0 ? { version } : {}), diagnostics });
    }
  };

  const validate = guard('validate', undefined, (uri: string) => {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    const before = workspace.inventories();
    const a = workspace.analyze(uri);
    publish(uri, a ? diagnosticsByTarget(texts, uri, a) : new Map());
    // An open inventory that this runbook reads now is ours too.
    if (a?.inventoryPath && !before.has(a.inventoryPath)) {
      const inv = uriOf(a.inventoryPath);
      if (workspace.get(inv) && workspace.reclaim(inv)) validate(inv);
    }
  });
  const schedule = (uri: string) => {
    clearTimeout(timers.get(uri));
    timers.set(uri, setTimeout(() => validate(uri), settings.debounceMs));
  };

  /** Documents that read this one: re-validated when it changes. */
  const scheduleDependents = (uri: string) => {
    const path = pathOf(uri);
    if (!path) return;
    for (const dep of workspace.dependents(path)) {
      if (dep === uri) continue;
      workspace.invalidate(dep);
      schedule(dep);
    }
  };

  /** New settings: shown problems, and every open document analysed again when they change its analysis. */
  const configure = (next: Settings) => {
    const again = !sameAnalysis(settings, next);
    settings = next;
    for (const problem of next.problems) void connection.window.showWarningMessage(problem);
    if (!again) return;
    workspace.reconfigure(envOf(next));
    for (const uri of workspace.uris()) schedule(uri);
  };

  const pullConfiguration = async () => {
    const section: unknown = await connection.workspace.getConfiguration('amqRunbook');
    configure(readSettings([initOptions, section], root));
  };

  connection.onInitialize(
    guard('initialize', { capabilities: {} } as InitializeResult, (params): InitializeResult => {
      root = rootOf(params);
      roots = (params.workspaceFolders ?? []).flatMap((f) => pathOf(f.uri) ?? []);
      if (!roots.length && root) roots = [root];
      initOptions = params.initializationOptions;
      settings = readSettings([initOptions], root);
      workspace = new Workspace(envOf(settings));
      pullsConfiguration = params.capabilities.workspace?.configuration === true;
      const watch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      connection.onInitialized(() => {
        if (watch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
        if (pullsConfiguration) pullConfiguration().catch((e: unknown) => connection.console.error(`configuration: ${String(e)}`));
        for (const problem of settings.problems) void connection.window.showWarningMessage(problem);
        // Warm-up when the editor has opened nothing yet a moment after the answer (a document sent
        // with the answer's acknowledgement is analysed first), a step at a time, until one opens.
        const steps = warmUp(catalog);
        const next = () => {
          if (!working && !steps.next().done) setImmediate(next);
        };
        setTimeout(next, WARM_UP_AFTER_MS);
      });
      return initializeResult() as InitializeResult;
    }),
  );

  connection.onDidChangeConfiguration(
    guard('configuration', undefined, (p) => {
      const section = (p.settings as { amqRunbook?: unknown } | null)?.amqRunbook;
      if (section !== undefined) configure(readSettings([initOptions, section], root));
      else if (pullsConfiguration) pullConfiguration().catch((e: unknown) => connection.console.error(`configuration: ${String(e)}`));
    }),
  );

  documents.onDidOpen(
    guard('open', undefined, (e) => {
      working = true;
      const d = e.document;
      const path = pathOf(d.uri);
      workspace.open({ uri: d.uri, ...(path ? { path } : {}), languageId: d.languageId, version: d.version, text: d.getText() });
      validate(d.uri);
      scheduleDependents(d.uri);
    }),
  );

  documents.onDidChangeContent(
    guard('change', undefined, (e) => {
      const d = e.document;
      const known = workspace.get(d.uri);
      if (!known || known.version === d.version) return;
      workspace.change(d.uri, d.version, d.getText());
      schedule(d.uri);
      scheduleDependents(d.uri);
    }),
  );

  documents.onDidClose(
    guard('close', undefined, (e) => {
      const uri = e.document.uri;
      clearTimeout(timers.get(uri));
      timers.delete(uri);
      workspace.close(uri);
      publish(uri, new Map());
      scheduleDependents(uri);
    }),
  );

  connection.onDidChangeWatchedFiles(
    guard('watched files', undefined, (p) => {
      files.changed();
      for (const change of p.changes) {
        if (documents.get(change.uri)) continue;
        scheduleDependents(change.uri);
      }
    }),
  );

  const withDoc = (uri: string, a: Analysis | undefined) => {
    const doc = documents.get(uri);
    return a && doc ? { a, text: doc.getText(), doc } : undefined;
  };
  const session: Session = {
    texts,
    workspace: () => workspace,
    settings: () => settings,
    pathOf,
    current: (uri) => withDoc(uri, documents.get(uri) && workspace.last(uri)),
    freshest: (uri) => {
      if (!workspace.fresh(uri) && workspace.get(uri)?.claim) validate(uri);
      return withDoc(uri, documents.get(uri) && workspace.last(uri));
    },
    readers: (inventory) => runbookPaths().filter((path) => workspace.inventoryOf(path) === inventory).flatMap((path) => analysed(path)),
    runbooks: () => runbookPaths().flatMap((path) => analysed(path)),
    guard,
  };
  registerRequests(connection, session);

  documents.listen(connection);
  connection.listen();
}

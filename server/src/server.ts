import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DidChangeWatchedFilesNotification,
  TextDocuments,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type InitializeParams,
  type InitializeResult,
  type Location as LspLocation,
} from 'vscode-languageserver/node';
import { catalog } from '../../runner/src/modules/index.js';
import type { Analysis } from '../../runner/src/runbook/analyze.js';
import { quickFixes } from './analysis/code-actions.js';
import { complete } from './analysis/complete.js';
import { definition } from './analysis/definition.js';
import { hover } from './analysis/hover.js';
import { references } from './analysis/references.js';
import { symbols } from './analysis/symbols.js';
import type { Target } from './analysis/types.js';
import { diagnosticsByTarget, DiagnosticsLedger, lspDiagnosticKey } from './ledger.js';
import { fixableFrom, toCodeAction, toCompletionItem, toDocumentSymbol, toHover, toLocation, uriOf, type Texts } from './lsp-convert.js';
import { initializeResult } from './capabilities.js';
import { connect } from './connection.js';
import type { Early } from './early-init.js';
import { readSettings, sameAnalysis, type Settings } from './settings.js';
import { warmUp } from './warmup.js';
import { Workspace } from './workspace.js';

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

  const locationOf = (uri: string, a: Analysis, t: Target): LspLocation =>
    toLocation(texts, uri, a.doc.text, t, a.inventoryPath && a.inventoryDoc ? { path: a.inventoryPath, text: a.inventoryDoc.text } : undefined);

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
      initOptions = params.initializationOptions;
      settings = readSettings([initOptions], root);
      workspace = new Workspace(envOf(settings));
      pullsConfiguration = params.capabilities.workspace?.configuration === true;
      const watch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      connection.onInitialized(() => {
        if (watch) void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
        if (pullsConfiguration) pullConfiguration().catch((e: unknown) => connection.console.error(`configuration: ${String(e)}`));
        for (const problem of settings.problems) void connection.window.showWarningMessage(problem);
        // Warm-up after the answer, a step at a time, until the editor opens a document.
        const steps = warmUp(catalog);
        const next = () => {
          if (!working && !steps.next().done) setImmediate(next);
        };
        setImmediate(next);
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
      for (const change of p.changes) {
        if (documents.get(change.uri)) continue;
        scheduleDependents(change.uri);
      }
    }),
  );

  /** The analysis requests reuse (possibly a version behind) and the document's current text. */
  const current = (uri: string): { a: Analysis; text: string } | undefined => {
    const doc = documents.get(uri);
    const a = doc && workspace.last(uri);
    return a && doc ? { a, text: doc.getText() } : undefined;
  };
  /** For requests that edit or navigate: pending validation runs first. */
  const freshest = (uri: string): { a: Analysis; text: string } | undefined => {
    if (!workspace.fresh(uri) && workspace.get(uri)?.claim) validate(uri);
    return current(uri);
  };

  connection.onCompletion(
    guard('completion', [] as CompletionItem[], (p) => {
      const c = current(p.textDocument.uri);
      if (!c) return [];
      const doc = documents.get(p.textDocument.uri)!;
      return complete(c.a, c.text, doc.offsetAt(p.position), catalog).map((item, i) => toCompletionItem(doc, item, i));
    }),
  );

  connection.onHover(
    guard('hover', null, (p) => {
      const c = current(p.textDocument.uri);
      if (!c) return null;
      const doc = documents.get(p.textDocument.uri)!;
      const h = hover(c.a, c.text, doc.offsetAt(p.position), catalog);
      return h ? toHover(doc, h) : null;
    }),
  );

  connection.onDocumentSymbol(
    guard('symbols', [] as DocumentSymbol[], (p) => {
      const c = freshest(p.textDocument.uri);
      return c ? symbols(c.a).map((s) => toDocumentSymbol(documents.get(p.textDocument.uri)!, s)) : [];
    }),
  );

  connection.onDefinition(
    guard('definition', [] as LspLocation[], (p) => {
      const uri = p.textDocument.uri;
      const c = freshest(uri);
      if (!c) return [];
      const path = pathOf(uri);
      return definition(c.a, c.text, documents.get(uri)!.offsetAt(p.position), catalog, path).map((t) => locationOf(uri, c.a, t));
    }),
  );

  connection.onReferences(
    guard('references', [] as LspLocation[], (p) => {
      const uri = p.textDocument.uri;
      const c = freshest(uri);
      if (!c) return [];
      return references(c.a, c.text, documents.get(uri)!.offsetAt(p.position), catalog, p.context.includeDeclaration).map((t) => locationOf(uri, c.a, t));
    }),
  );

  connection.onCodeAction(
    guard('code actions', [] as CodeAction[], (p) => {
      const uri = p.textDocument.uri;
      const doc = documents.get(uri);
      if (!doc || !freshest(uri)) return [];
      const parsed = workspace.parsed(uri);
      if (!parsed) return [];
      const ours = fixableFrom(doc, p.context.diagnostics);
      return quickFixes(
        parsed,
        ours.map((d) => d.ours),
      ).map((f) => {
        const diag = ours.find((d) => d.ours.code === f.fixes.code && d.ours.span.start === f.fixes.span.start && d.ours.span.end === f.fixes.span.end);
        return toCodeAction(texts, uri, doc, f, diag?.lsp);
      });
    }),
  );

  documents.listen(connection);
  connection.listen();
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
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
import { warmUp } from './warmup.js';
import { Workspace } from './workspace.js';

/** Settings a client may pass as `initializationOptions`. */
interface Options {
  /** Globs of runbook files beyond those claimed by content (`plays:` at the top). */
  globs?: string[];
  /** Quiet time after an edit before diagnostics are computed, in ms. */
  debounceMs?: number;
}

const DEFAULT_GLOBS = ['**/*.runbook.yaml', '**/*.runbook.yml'];

const pathOf = (uri: string): string | undefined => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);

function readFile(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** Starts the server on the transport named on the command line (`--stdio`, `--node-ipc`, `--socket`). */
export function startServer(): void {
  const connection = createConnection(ProposedFeatures.all);
  const documents = new TextDocuments(TextDocument);
  let options: Options = {};
  let workspace = new Workspace({ readFile, globs: DEFAULT_GLOBS, catalog });
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
    timers.set(uri, setTimeout(() => validate(uri), options.debounceMs ?? 25));
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

  connection.onInitialize(
    guard('initialize', { capabilities: {} } as InitializeResult, (params): InitializeResult => {
      options = (params.initializationOptions as Options | undefined) ?? {};
      workspace = new Workspace({ readFile, globs: options.globs ?? DEFAULT_GLOBS, catalog });
      warmUp(catalog);
      const watch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      if (watch) {
        connection.onInitialized(() => {
          void connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.{yaml,yml}' }] });
        });
      }
      return {
        capabilities: {
          textDocumentSync: TextDocumentSyncKind.Incremental,
          completionProvider: { triggerCharacters: [' ', '.', '{', '|', ':', '[', ',', '-'] },
          hoverProvider: true,
          documentSymbolProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: 'amq-lsp', version: '0.1.0' },
      };
    }),
  );

  documents.onDidOpen(
    guard('open', undefined, (e) => {
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

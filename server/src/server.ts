import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CompletionItemKind,
  createConnection,
  DiagnosticSeverity,
  DidChangeWatchedFilesNotification,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  ProposedFeatures,
  SymbolKind,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeAction,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentSymbol,
  type InitializeResult,
  type Location as LspLocation,
  type Range,
} from 'vscode-languageserver/node';
import { catalog } from '../../runner/src/modules/index.js';
import type { Analysis } from '../../runner/src/runbook/analyze.js';
import type { Diagnostic } from '../../runner/src/runbook/diagnostics.js';
import { quickFixes, type FixableDiagnostic } from './analysis/code-actions.js';
import { complete } from './analysis/complete.js';
import { definition } from './analysis/definition.js';
import { hover } from './analysis/hover.js';
import { references } from './analysis/references.js';
import { symbols } from './analysis/symbols.js';
import type { CompletionKind, DocSymbol, Span, SymbolKind as OurSymbolKind, Target } from './analysis/types.js';
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

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  key: CompletionItemKind.Property,
  module: CompletionItemKind.Module,
  param: CompletionItemKind.Field,
  field: CompletionItemKind.Field,
  value: CompletionItemKind.EnumMember,
  variable: CompletionItemKind.Variable,
  host: CompletionItemKind.Reference,
  group: CompletionItemKind.Folder,
  handler: CompletionItemKind.Event,
  snippet: CompletionItemKind.Snippet,
  filter: CompletionItemKind.Function,
};

const SYMBOL_KIND: Record<OurSymbolKind, SymbolKind> = {
  playbook: SymbolKind.File,
  play: SymbolKind.Module,
  task: SymbolKind.Function,
  handler: SymbolKind.Event,
  vars: SymbolKind.Namespace,
  variable: SymbolKind.Variable,
  secrets: SymbolKind.Namespace,
  secret: SymbolKind.Key,
  inventory: SymbolKind.Namespace,
  hosts: SymbolKind.Namespace,
  host: SymbolKind.Object,
  groups: SymbolKind.Namespace,
  group: SymbolKind.Struct,
};

const pathOf = (uri: string): string | undefined => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);
const uriOf = (path: string): string => pathToFileURL(path).href;

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
  /** Diagnostics published to each uri, by the document whose analysis produced them. */
  const published = new Map<string, Map<string, LspDiagnostic[]>>();

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

  /** Offsets to positions of a text that may not be open in the editor. */
  const positions = (uri: string, text: string) => documents.get(uri)?.getText() === text ? documents.get(uri)! : TextDocument.create(uri, 'yaml', 0, text);
  const rangeIn = (doc: TextDocument, s: Span): Range => ({ start: doc.positionAt(s.start), end: doc.positionAt(s.end) });

  /** Where a target is, as an LSP location: this document, the analysis' inventory, another file. */
  const locationOf = (uri: string, a: Analysis, t: Target): LspLocation => {
    if (t.file === undefined) return { uri, range: rangeIn(positions(uri, a.doc.text), t.span) };
    const target = uriOf(t.file);
    const text = t.file === a.inventoryPath && a.inventoryDoc ? a.inventoryDoc.text : documents.get(target)?.getText() ?? (t.span.end > 0 ? readFile(t.file) : '') ?? '';
    return { uri: target, range: rangeIn(positions(target, text), t.span) };
  };

  const toLsp = (doc: TextDocument, d: Diagnostic): LspDiagnostic => ({
    range: rangeIn(doc, d.span),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'amq-run',
    message: d.hint ? `${d.message} (${d.hint})` : d.message,
    data: { message: d.message, ...(d.hint ? { hint: d.hint } : {}), ...d.data },
  });

  const publish = (target: string) => {
    const bySource = published.get(target);
    const seen = new Set<string>();
    const all: LspDiagnostic[] = [];
    for (const list of bySource?.values() ?? []) {
      for (const d of list) {
        const key = `${d.range.start.line}:${d.range.start.character}:${d.range.end.line}:${d.range.end.character}|${d.code}|${d.message}`;
        if (!seen.has(key)) {
          seen.add(key);
          all.push(d);
        }
      }
    }
    const version = workspace.get(target)?.analyzed;
    void connection.sendDiagnostics({ uri: target, ...(version !== undefined && version >= 0 ? { version } : {}), diagnostics: all });
  };

  const setFrom = (source: string, byTarget: Map<string, LspDiagnostic[]>) => {
    const targets = new Set<string>(byTarget.keys());
    for (const [target, bySource] of published) if (bySource.has(source)) targets.add(target);
    for (const target of targets) {
      const list = byTarget.get(target);
      let bySource = published.get(target);
      if (!bySource) published.set(target, (bySource = new Map()));
      if (list) bySource.set(source, list);
      else bySource.delete(source);
      publish(target);
    }
  };

  const validate = guard('validate', undefined, (uri: string) => {
    clearTimeout(timers.get(uri));
    timers.delete(uri);
    const before = workspace.inventories();
    const a = workspace.analyze(uri);
    const byTarget = new Map<string, LspDiagnostic[]>();
    if (a) {
      const own = positions(uri, a.doc.text);
      byTarget.set(uri, []);
      for (const d of a.diagnostics) {
        if (d.file === undefined) byTarget.get(uri)!.push(toLsp(own, d));
        else {
          const target = uriOf(d.file);
          const doc = positions(target, d.file === a.inventoryPath && a.inventoryDoc ? a.inventoryDoc.text : '');
          if (!byTarget.has(target)) byTarget.set(target, []);
          byTarget.get(target)!.push(toLsp(doc, d));
        }
      }
    }
    setFrom(uri, byTarget);
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
      setFrom(uri, new Map());
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
      return complete(c.a, c.text, doc.offsetAt(p.position), catalog).map((item, i) => ({
        label: item.label,
        kind: COMPLETION_KIND[item.kind],
        ...(item.detail ? { detail: item.detail } : {}),
        ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
        textEdit: { range: rangeIn(doc, item.replace), newText: item.insert ?? item.label },
        insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
        insertTextMode: InsertTextMode.asIs,
        sortText: item.sort ?? `5${String(i).padStart(4, '0')}`,
      }));
    }),
  );

  connection.onHover(
    guard('hover', null, (p) => {
      const c = current(p.textDocument.uri);
      if (!c) return null;
      const doc = documents.get(p.textDocument.uri)!;
      const h = hover(c.a, c.text, doc.offsetAt(p.position), catalog);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeIn(doc, h.span) } : null;
    }),
  );

  const toSymbol = (doc: TextDocument, s: DocSymbol): DocumentSymbol => ({
    name: s.name,
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: rangeIn(doc, s.span),
    selectionRange: rangeIn(doc, s.selection),
    children: s.children.map((c) => toSymbol(doc, c)),
  });

  connection.onDocumentSymbol(
    guard('symbols', [] as DocumentSymbol[], (p) => {
      const c = freshest(p.textDocument.uri);
      return c ? symbols(c.a).map((s) => toSymbol(documents.get(p.textDocument.uri)!, s)) : [];
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
      const ours = p.context.diagnostics.filter((d) => d.source === 'amq-run' && typeof d.code === 'string');
      const input: FixableDiagnostic[] = ours.map((d) => {
        const data = (d.data ?? {}) as { message?: string; hint?: string; replace?: string; missing?: string[] };
        return { code: String(d.code), span: { start: doc.offsetAt(d.range.start), end: doc.offsetAt(d.range.end) }, message: data.message ?? (typeof d.message === 'string' ? d.message : d.message.value), ...(data.hint ? { hint: data.hint } : {}), data };
      });
      return quickFixes(parsed, input).map((f) => {
        const diag = ours[input.findIndex((x) => x.code === f.fixes.code && x.span.start === f.fixes.span.start && x.span.end === f.fixes.span.end)];
        return {
          title: f.title,
          kind: CodeActionKind.QuickFix,
          ...(diag ? { diagnostics: [diag] } : {}),
          ...(f.preferred ? { isPreferred: true } : {}),
          edit: { changes: { [uri]: f.edits.map((e) => ({ range: rangeIn(doc, e.span), newText: e.text })) } },
        };
      });
    }),
  );

  documents.listen(connection);
  connection.listen();
}

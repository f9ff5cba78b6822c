import type { TextDocument } from 'vscode-languageserver-textdocument';
import {
  LSPErrorCodes,
  ResponseError,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Connection,
  type DocumentHighlight,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type InlayHint,
  type Location,
  type SelectionRange,
  type SymbolInformation,
  type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { catalog } from '../../runner/src/modules/index.js';
import type { Analysis } from '../../runner/src/runbook/analyze.js';
import { declareSecret, quickFixes } from './analysis/code-actions.js';
import { complete } from './analysis/complete.js';
import { definition } from './analysis/definition.js';
import { hover } from './analysis/hover.js';
import { inlayHints } from './analysis/inlay.js';
import { playLenses } from './analysis/lenses.js';
import { documentLinks } from './analysis/links.js';
import { references } from './analysis/references.js';
import { highlights, renameAcross, symbolAt, type RunbookAt } from './analysis/rename.js';
import { semanticTokens } from './analysis/semantic.js';
import { foldingRanges, selectionRanges } from './analysis/structure.js';
import { symbols, workspaceSymbols } from './analysis/symbols.js';
import type { Target } from './analysis/types.js';
import {
  editsByUri,
  encodeTokens,
  fixableFrom,
  rangeIn,
  spanIn,
  toCodeAction,
  toCodeLens,
  toCompletionItem,
  toDocumentLink,
  toDocumentSymbol,
  toFoldingRange,
  toHighlight,
  toHover,
  toInlayHint,
  toLocation,
  toSelectionRange,
  toSymbolInformation,
  type Texts,
} from './lsp-convert.js';
import type { Settings } from './settings.js';
import type { Workspace } from './workspace.js';

/** What the requests need of the running server. */
export interface Session {
  texts: Texts;
  workspace(): Workspace;
  settings(): Settings;
  /** The absolute path of a file uri. */
  pathOf(uri: string): string | undefined;
  /** The last analysis (possibly a version behind: completion and hover never wait) and the text now. */
  current(uri: string): { a: Analysis; text: string; doc: TextDocument } | undefined;
  /** For requests that edit or navigate: the analysis of the text now. */
  freshest(uri: string): { a: Analysis; text: string; doc: TextDocument } | undefined;
  /** The runbooks of the workspace that read an inventory file (open or not). */
  readers(inventory: string): RunbookAt[];
  /** Every runbook of the workspace. */
  runbooks(): RunbookAt[];
  /** Runs a handler, logging what it throws and answering `fallback` then. */
  guard<A extends unknown[], R>(what: string, fallback: R, f: (...args: A) => R): (...args: A) => R;
}

const refused = (reason: string) => new ResponseError(LSPErrorCodes.RequestFailed, reason);

/** Each request: from the protocol to the pure functions of analysis/ and back. */
export function registerRequests(connection: Connection, s: Session): void {
  const { guard } = s;
  const locationOf = (uri: string, a: Analysis, t: Target): Location =>
    toLocation(s.texts, uri, a.doc.text, t, a.inventoryPath && a.inventoryDoc ? { path: a.inventoryPath, text: a.inventoryDoc.text } : undefined);

  connection.onCompletion(
    guard('completion', [] as CompletionItem[], (p) => {
      const c = s.current(p.textDocument.uri);
      return c ? complete(c.a, c.text, c.doc.offsetAt(p.position), catalog).map((item, i) => toCompletionItem(c.doc, item, i)) : [];
    }),
  );

  connection.onHover(
    guard('hover', null, (p) => {
      const c = s.current(p.textDocument.uri);
      const h = c && hover(c.a, c.text, c.doc.offsetAt(p.position), catalog);
      return c && h ? toHover(c.doc, h) : null;
    }),
  );

  connection.onDocumentSymbol(
    guard('symbols', [] as DocumentSymbol[], (p) => {
      const c = s.freshest(p.textDocument.uri);
      return c ? symbols(c.a).map((x) => toDocumentSymbol(c.doc, x)) : [];
    }),
  );

  connection.onDefinition(
    guard('definition', [] as Location[], (p) => {
      const uri = p.textDocument.uri;
      const c = s.freshest(uri);
      return c ? definition(c.a, c.text, c.doc.offsetAt(p.position), catalog, s.pathOf(uri)).map((t) => locationOf(uri, c.a, t)) : [];
    }),
  );

  connection.onReferences(
    guard('references', [] as Location[], (p) => {
      const uri = p.textDocument.uri;
      const c = s.freshest(uri);
      return c ? references(c.a, c.text, c.doc.offsetAt(p.position), catalog, p.context.includeDeclaration).map((t) => locationOf(uri, c.a, t)) : [];
    }),
  );

  connection.onDocumentHighlight(
    guard('highlight', [] as DocumentHighlight[], (p) => {
      const c = s.freshest(p.textDocument.uri);
      return c ? highlights(c.a, c.text, c.doc.offsetAt(p.position), catalog).map((h) => toHighlight(c.doc, h)) : [];
    }),
  );

  connection.onPrepareRename(
    guard('prepare rename', null as null | ResponseError<void> | { range: ReturnType<typeof rangeIn>; placeholder: string }, (p) => {
      const c = s.freshest(p.textDocument.uri);
      const at = c && symbolAt(c.a, c.text, c.doc.offsetAt(p.position), catalog);
      if (!c || !at) return null;
      if ('refused' in at) return refused(at.refused);
      return { range: rangeIn(c.doc, at.span), placeholder: at.sym.name };
    }),
  );

  connection.onRenameRequest(
    guard('rename', null as null | ResponseError<void> | WorkspaceEdit, (p) => {
      const uri = p.textDocument.uri;
      const c = s.freshest(uri);
      const at = c && symbolAt(c.a, c.text, c.doc.offsetAt(p.position), catalog);
      if (!c || !at) return null;
      if ('refused' in at) return refused(at.refused);
      const path = s.pathOf(uri);
      const readers = (inventory: string) => s.readers(inventory).filter((r) => r.path !== path);
      const got = renameAcross(c.a, at.sym, p.newName, readers, c.a.kind === 'inventory' ? path : undefined);
      if ('refused' in got) return refused(got.refused);
      return { changes: editsByUri(s.texts, uri, c.doc, got.edits) };
    }),
  );

  connection.onDocumentLinks(
    guard('links', [] as DocumentLink[], (p) => {
      const c = s.freshest(p.textDocument.uri);
      return c ? documentLinks(c.a, s.pathOf(p.textDocument.uri)).map((l) => toDocumentLink(c.doc, l)) : [];
    }),
  );

  connection.onFoldingRanges(
    guard('folding', [] as FoldingRange[], (p) => {
      const c = s.freshest(p.textDocument.uri);
      return c ? foldingRanges(c.a.doc).flatMap((f) => toFoldingRange(c.doc, f) ?? []) : [];
    }),
  );

  connection.onSelectionRanges(
    guard('selection', [] as SelectionRange[], (p) => {
      const c = s.freshest(p.textDocument.uri);
      return c ? p.positions.map((pos) => toSelectionRange(c.doc, selectionRanges(c.a.doc, c.doc.offsetAt(pos)))) : [];
    }),
  );

  connection.onWorkspaceSymbol(
    guard('workspace symbols', [] as SymbolInformation[], (p) => workspaceSymbols(s.runbooks(), p.query).map((x) => toSymbolInformation(s.texts, x))),
  );

  connection.languages.semanticTokens.on(
    guard('semantic tokens', { data: [] as number[] }, (p) => {
      const c = s.freshest(p.textDocument.uri);
      return { data: c ? encodeTokens(c.doc, semanticTokens(c.a)) : [] };
    }),
  );

  connection.languages.semanticTokens.onRange(
    guard('semantic tokens', { data: [] as number[] }, (p) => {
      const c = s.freshest(p.textDocument.uri);
      if (!c) return { data: [] };
      const range = spanIn(c.doc, p.range);
      return { data: encodeTokens(c.doc, semanticTokens(c.a).filter((t) => t.end >= range.start && t.start <= range.end)) };
    }),
  );

  connection.languages.inlayHint.on(
    guard('inlay hints', [] as InlayHint[], (p) => {
      if (!s.settings().inlayHints) return [];
      const c = s.freshest(p.textDocument.uri);
      return c ? inlayHints(c.a, spanIn(c.doc, p.range), catalog).map((h) => toInlayHint(c.doc, h)) : [];
    }),
  );

  connection.onCodeLens(
    guard('code lenses', [] as CodeLens[], (p) => {
      const c = s.freshest(p.textDocument.uri);
      return c ? playLenses(c.a).map((l) => toCodeLens(c.doc, p.textDocument.uri, l)) : [];
    }),
  );

  connection.onCodeAction(
    guard('code actions', [] as CodeAction[], (p) => {
      const uri = p.textDocument.uri;
      const c = s.freshest(uri);
      const parsed = c && s.workspace().parsed(uri);
      if (!c || !parsed) return [];
      const ours = fixableFrom(c.doc, p.context.diagnostics);
      const path = s.pathOf(uri);
      return quickFixes(
        parsed,
        ours.map((d) => d.ours),
        catalog,
      ).flatMap((f) => {
        const diag = ours.find((d) => d.ours.code === f.fixes.code && d.ours.span.start === f.fixes.span.start && d.ours.span.end === f.fixes.span.end);
        if (f.secret) {
          // In an inventory file: the secret goes to every runbook of the workspace that reads it.
          const readers = path !== undefined ? s.readers(path) : [];
          if (!readers.length) return [];
          f.edits.push(...readers.flatMap((r) => declareSecret(r.a.doc, f.secret!.name, f.secret!.env).map((e) => ({ ...e, file: r.path }))));
        }
        return [toCodeAction(s.texts, uri, c.doc, f, diag?.lsp)];
      });
    }),
  );
}

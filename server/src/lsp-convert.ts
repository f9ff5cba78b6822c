import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  CodeActionKind,
  CompletionItemKind,
  DiagnosticSeverity,
  DocumentHighlightKind,
  FoldingRangeKind,
  InlayHintKind,
  InsertTextFormat,
  InsertTextMode,
  MarkupKind,
  SymbolKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type Diagnostic as LspDiagnostic,
  type DocumentHighlight,
  type DocumentLink,
  type DocumentSymbol,
  type FoldingRange,
  type Hover as LspHover,
  type InlayHint,
  type Location,
  type Range,
  type SelectionRange,
  type SymbolInformation,
} from 'vscode-languageserver/node';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from '../../runner/src/runbook/diagnostics.js';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from './capabilities.js';
import type { FixableDiagnostic } from './analysis/code-actions.js';
import type { Hint } from './analysis/inlay.js';
import type { PlayLens } from './analysis/lenses.js';
import type { Link } from './analysis/links.js';
import type { Token } from './analysis/semantic.js';
import type { Fold } from './analysis/structure.js';
import type { WorkspaceSymbol } from './analysis/symbols.js';
import type { Completion, CompletionKind, DocSymbol, Hover, QuickFix, Span, SymbolKind as OurSymbolKind, Target } from './analysis/types.js';

/**
 * Our types (offsets, spans) to the protocol's (lines and characters) and back. Pure: the texts
 * come from a `Texts`, which knows the open documents and reads the others.
 */

export const uriOf = (path: string): string => pathToFileURL(path).href;

/** The texts positions are computed on: the editor's for open documents, the disk's for the others. */
export interface Texts {
  open(uri: string): TextDocument | undefined;
  read(path: string): string | null;
}

/** Positions of `text` as document `uri`: the open document when it holds that text. */
export function docFor(texts: Texts, uri: string, text: string): TextDocument {
  const open = texts.open(uri);
  return open && open.getText() === text ? open : TextDocument.create(uri, 'yaml', 0, text);
}

export const rangeIn = (doc: TextDocument, s: Span): Range => ({ start: doc.positionAt(s.start), end: doc.positionAt(s.end) });

export const spanIn = (doc: TextDocument, r: Range): Span => ({ start: doc.offsetAt(r.start), end: doc.offsetAt(r.end) });

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

export const SYMBOL_KIND: Record<OurSymbolKind, SymbolKind> = {
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

/** The message carries the hint; `data` keeps both apart for quick fixes. */
export function toLspDiagnostic(doc: TextDocument, d: Diagnostic): LspDiagnostic {
  return {
    range: rangeIn(doc, d.span),
    severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
    code: d.code,
    source: 'amq-run',
    message: d.hint ? `${d.message} (${d.hint})` : d.message,
    data: { message: d.message, ...(d.hint ? { hint: d.hint } : {}), ...d.data },
  };
}

/** Ours among the diagnostics a client sends back with a code action request, as quick fixes read them. */
export function fixableFrom(doc: TextDocument, diagnostics: LspDiagnostic[]): { lsp: LspDiagnostic; ours: FixableDiagnostic }[] {
  return diagnostics
    .filter((d) => d.source === 'amq-run' && typeof d.code === 'string')
    .map((d) => {
      const data = (d.data ?? {}) as { message?: string; hint?: string; replace?: string; missing?: string[] };
      const message = data.message ?? (typeof d.message === 'string' ? d.message : (d.message as { value: string }).value);
      return { lsp: d, ours: { code: String(d.code), span: spanIn(doc, d.range), message, ...(data.hint ? { hint: data.hint } : {}), data } };
    });
}

export function toCodeAction(texts: Texts, uri: string, doc: TextDocument, fix: QuickFix, diagnostic?: LspDiagnostic): CodeAction {
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    ...(diagnostic ? { diagnostics: [diagnostic] } : {}),
    ...(fix.preferred ? { isPreferred: true } : {}),
    edit: { changes: editsByUri(texts, uri, doc, fix.edits) },
  };
}

/** Edits of this document (no `file`) and of other files, grouped by uri as a workspace edit holds them. */
export function editsByUri(texts: Texts, uri: string, doc: TextDocument, edits: readonly { file?: string; span: Span; text: string }[]) {
  const out: Record<string, { range: Range; newText: string }[]> = {};
  for (const e of edits) {
    const target = e.file === undefined ? uri : uriOf(e.file);
    const on = e.file === undefined ? doc : docFor(texts, target, texts.open(target)?.getText() ?? texts.read(e.file) ?? '');
    (out[target] ??= []).push({ range: rangeIn(on, e.span), newText: e.text });
  }
  return out;
}

export function toCompletionItem(doc: TextDocument, item: Completion, index: number): CompletionItem {
  return {
    label: item.label,
    kind: COMPLETION_KIND[item.kind],
    ...(item.detail ? { detail: item.detail } : {}),
    ...(item.documentation ? { documentation: { kind: MarkupKind.Markdown, value: item.documentation } } : {}),
    textEdit: { range: rangeIn(doc, item.replace), newText: item.insert ?? item.label },
    insertTextFormat: item.snippet ? InsertTextFormat.Snippet : InsertTextFormat.PlainText,
    insertTextMode: InsertTextMode.asIs,
    sortText: item.sort ?? `5${String(index).padStart(4, '0')}`,
  };
}

export function toHover(doc: TextDocument, h: Hover): LspHover {
  return { contents: { kind: MarkupKind.Markdown, value: h.markdown }, range: rangeIn(doc, h.span) };
}

export function toDocumentSymbol(doc: TextDocument, s: DocSymbol): DocumentSymbol {
  return {
    name: s.name,
    ...(s.detail ? { detail: s.detail } : {}),
    kind: SYMBOL_KIND[s.kind],
    range: rangeIn(doc, s.span),
    selectionRange: rangeIn(doc, s.selection),
    children: s.children.map((c) => toDocumentSymbol(doc, c)),
  };
}

/**
 * Where a target is: this document (no `file`), the analysis' inventory (its text as analysed), or
 * another file (its start when it was not read).
 */
export function toLocation(texts: Texts, uri: string, text: string, t: Target, inventory?: { path: string; text: string }): Location {
  if (t.file === undefined) return { uri, range: rangeIn(docFor(texts, uri, text), t.span) };
  const target = uriOf(t.file);
  const known = t.file === inventory?.path ? inventory.text : texts.open(target)?.getText() ?? (t.span.end > 0 ? texts.read(t.file) : '') ?? '';
  return { uri: target, range: rangeIn(docFor(texts, target, known), t.span) };
}

export function toHighlight(doc: TextDocument, h: { span: Span; write: boolean }): DocumentHighlight {
  return { range: rangeIn(doc, h.span), kind: h.write ? DocumentHighlightKind.Write : DocumentHighlightKind.Read };
}

export function toDocumentLink(doc: TextDocument, l: Link): DocumentLink {
  return { range: rangeIn(doc, l.span), target: uriOf(l.file), tooltip: l.tooltip };
}

/** A fold over whole lines; undefined when it would fold nothing. */
export function toFoldingRange(doc: TextDocument, f: Fold): FoldingRange | undefined {
  const startLine = doc.positionAt(f.span.start).line;
  const endLine = doc.positionAt(f.span.end).line;
  return endLine > startLine ? { startLine, endLine, ...(f.comment ? { kind: FoldingRangeKind.Comment } : {}) } : undefined;
}

/** Spans around a position, innermost first, as the nested ranges the protocol wants. */
export function toSelectionRange(doc: TextDocument, spans: readonly Span[]): SelectionRange {
  let out: SelectionRange | undefined;
  for (let i = spans.length - 1; i >= 0; i--) out = { range: rangeIn(doc, spans[i]), ...(out ? { parent: out } : {}) };
  return out ?? { range: rangeIn(doc, { start: 0, end: 0 }) };
}

/** Modifier bits by modifier list (tokens share a few lists). */
const modifierBits = new WeakMap<readonly string[], number>();

/**
 * Tokens in order as the protocol encodes them: five numbers each, lines and starts relative to the
 * previous token. Lines are found in one pass over the text, the tokens being in order.
 */
export function encodeTokens(doc: TextDocument, tokens: readonly Token[]): number[] {
  const text = doc.getText();
  const data: number[] = [];
  let line = 0;
  let lineStart = 0;
  let next = text.indexOf('\n');
  let prevLine = 0;
  let prevChar = 0;
  for (const t of tokens) {
    while (next >= 0 && next < t.start) {
      line++;
      lineStart = next + 1;
      next = text.indexOf('\n', lineStart);
    }
    const char = t.start - lineStart;
    let mods = modifierBits.get(t.modifiers);
    if (mods === undefined) modifierBits.set(t.modifiers, (mods = t.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0)));
    data.push(line - prevLine, line === prevLine ? char - prevChar : char, t.end - t.start, TOKEN_TYPES.indexOf(t.type), mods);
    prevLine = line;
    prevChar = char;
  }
  return data;
}

export function toInlayHint(doc: TextDocument, h: Hint): InlayHint {
  return {
    position: doc.positionAt(h.at),
    label: h.label,
    kind: h.kind === 'value' ? InlayHintKind.Type : InlayHintKind.Parameter,
    paddingLeft: true,
    tooltip: { kind: MarkupKind.Markdown, value: h.tooltip },
  };
}

/** The command a play's lens names: the VS Code extension runs it; other clients show the title. */
export const PLAY_LENS_COMMAND = 'amqRunbook.dryRunPlay';

export function toCodeLens(doc: TextDocument, uri: string, l: PlayLens): CodeLens {
  return {
    range: rangeIn(doc, l.span),
    command: { title: l.title, command: l.play !== undefined ? PLAY_LENS_COMMAND : '', ...(l.play !== undefined ? { arguments: [uri, l.play] } : {}) },
    data: { play: l.play ?? null, hosts: l.hosts, tasks: l.tasks, handlers: l.handlers },
  };
}

export function toSymbolInformation(texts: Texts, s: WorkspaceSymbol): SymbolInformation {
  return {
    name: s.name,
    kind: SYMBOL_KIND[s.kind],
    location: toLocation(texts, '', '', { file: s.file, span: s.span }),
    ...(s.container ? { containerName: s.container } : {}),
  };
}

import type { Span } from '../../../runner/src/runbook/diagnostics.js';

export type { Span };

export type PathSeg = string | number;

/** A place in the document being edited (no `file`) or in another file, by absolute path. */
export interface Target {
  file?: string;
  span: Span;
}

export type CompletionKind = 'key' | 'module' | 'param' | 'value' | 'variable' | 'host' | 'group' | 'handler' | 'snippet' | 'filter' | 'field';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** One line next to the label: a type, a summary, a value. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** The text inserted in place of `replace`; the label when absent. */
  insert?: string;
  /** `insert` holds `${1:placeholders}`. */
  snippet?: boolean;
  replace: Span;
  sort?: string;
}

export interface Hover {
  markdown: string;
  span: Span;
}

export type SymbolKind = 'playbook' | 'play' | 'task' | 'handler' | 'vars' | 'variable' | 'secrets' | 'secret' | 'hosts' | 'host' | 'groups' | 'group' | 'inventory';

export interface DocSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole entry. */
  span: Span;
  /** The part to highlight: the name. */
  selection: Span;
  children: DocSymbol[];
}

export interface TextEdit {
  file?: string;
  span: Span;
  text: string;
}

export interface QuickFix {
  title: string;
  edits: TextEdit[];
  /** The diagnostic it fixes, by code and span. */
  fixes: { code: string; span: Span };
  preferred?: boolean;
  /** A fix in an inventory file that needs this secret declared in every runbook reading it (see declareSecret). */
  secret?: { name: string; env: string };
}

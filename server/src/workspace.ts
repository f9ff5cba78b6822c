import { analyze, type Analysis } from '../../runner/src/runbook/analyze.js';
import type { Catalog } from '../../runner/src/modules/index.js';
import { parseRunbook, type RunbookDoc } from '../../runner/src/runbook/parse.js';
import { reparse } from '../../runner/src/runbook/reparse.js';
import { claim, type Claim } from './analysis/claim.js';

/** An open document as the editor has it. */
export interface OpenDoc {
  uri: string;
  /** Absolute path for file documents. */
  path?: string;
  languageId: string;
  version: number;
  text: string;
}

interface State extends OpenDoc {
  claim?: Claim;
  analysis?: Analysis;
  /** The version `analysis` is of. */
  analyzed: number;
}

export interface WorkspaceEnv {
  readFile(path: string): string | null;
  globs: readonly string[];
  catalog: Catalog;
  /** `-i`: the inventory of every runbook (absolute). */
  inventory?: string;
  /** `-e`. */
  extraVars?: Record<string, unknown>;
}

/**
 * The open documents, what each one is, and the last analysis of each (cached by version).
 * Analyses read files through the open documents first, so unsaved edits of an inventory count.
 */
export class Workspace {
  private readonly docs = new Map<string, State>();

  constructor(private env: WorkspaceEnv) {}

  /** New settings: every document is claimed and analysed again. */
  reconfigure(env: WorkspaceEnv): void {
    this.env = env;
    for (const s of this.docs.values()) s.analyzed = -1;
    for (const uri of this.docs.keys()) this.reclaim(uri);
  }

  open(d: OpenDoc): void {
    this.docs.set(d.uri, { ...d, analyzed: -1 });
    this.reclaim(d.uri);
  }

  change(uri: string, version: number, text: string): void {
    const s = this.docs.get(uri);
    if (!s) return;
    s.version = version;
    s.text = text;
    this.reclaim(uri);
  }

  close(uri: string): void {
    this.docs.delete(uri);
  }

  get(uri: string): Readonly<State> | undefined {
    return this.docs.get(uri);
  }

  uris(): string[] {
    return [...this.docs.keys()];
  }

  /** Paths of the inventories that open runbooks read. */
  inventories(): Set<string> {
    const out = new Set<string>(this.env.inventory ? [this.env.inventory] : []);
    for (const s of this.docs.values()) if (s.analysis?.inventoryPath) out.add(s.analysis.inventoryPath);
    return out;
  }

  /** Re-decides whether the document is a runbook, an inventory, or not ours; true when that changed. */
  reclaim(uri: string): boolean {
    const s = this.docs.get(uri);
    if (!s) return false;
    const before = s.claim;
    s.claim = claim({ ...(s.path ? { path: s.path } : {}), languageId: s.languageId, text: s.text, globs: this.env.globs, inventories: this.inventories() });
    return before !== s.claim;
  }

  /** The text of a file: the open document's when it is open, else the disk's. */
  readFile(path: string): string | null {
    for (const s of this.docs.values()) if (s.path === path) return s.text;
    return this.env.readFile(path);
  }

  /** The document's analysis for its current version, computed now when it is out of date. */
  analyze(uri: string): Analysis | undefined {
    const s = this.docs.get(uri);
    if (!s?.claim) return undefined;
    if (s.analysis && s.analyzed === s.version && s.analysis.doc.text === s.text) return s.analysis;
    // The previous parse hands its unchanged pieces to the new one, and unchanged plays are not checked again.
    const doc = reparse(s.text, s.analysis?.doc);
    s.analysis = analyze(s.text, {
      ...(s.path ? { path: s.path } : {}),
      readFile: (p) => this.readFile(p),
      catalog: this.env.catalog,
      ...(this.env.inventory !== undefined ? { inventoryPath: this.env.inventory } : {}),
      ...(this.env.extraVars ? { extraVars: this.env.extraVars } : {}),
      doc,
      ...(s.analysis ? { previous: s.analysis } : {}),
    });
    s.analyzed = s.version;
    return s.analysis;
  }

  /** The last analysis, even when the document changed since (completion and hover never wait for one). */
  last(uri: string): Analysis | undefined {
    const s = this.docs.get(uri);
    if (!s?.claim) return undefined;
    return s.analysis ?? this.analyze(uri);
  }

  /** Whether the analysis is of the current text. */
  fresh(uri: string): boolean {
    const s = this.docs.get(uri);
    return !!s?.analysis && s.analyzed === s.version && s.analysis.doc.text === s.text;
  }

  /** Forgets the analysis' freshness: a file it read has changed. */
  invalidate(uri: string): void {
    const s = this.docs.get(uri);
    if (s) s.analyzed = -1;
  }

  /** Open runbooks whose analysis read the file at `path`. */
  dependents(path: string): string[] {
    return [...this.docs.values()].filter((s) => s.claim === 'playbook' && s.analysis?.inventoryPath === path).map((s) => s.uri);
  }

  /** The parsed text of a document as it is now (for edits computed on the current text). */
  parsed(uri: string): RunbookDoc | undefined {
    const s = this.docs.get(uri);
    if (!s) return undefined;
    return s.analysis && s.analysis.doc.text === s.text ? s.analysis.doc : parseRunbook(s.text);
  }
}

import { analyze, type Analysis } from '../../runner/src/runbook/analyze.js';
import type { Catalog } from '../../runner/src/modules/index.js';
import { parseRunbook, type RunbookDoc } from '../../runner/src/runbook/parse.js';
import { reparse } from '../../runner/src/runbook/reparse.js';
import { dirname, resolve } from 'node:path';
import { claim, looksLikePlaybook, type Claim } from './analysis/claim.js';

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
  /** Runbook files that are not open, as last analysed. */
  private readonly files = new Map<string, { text: string; analysis: Analysis }>();

  constructor(private env: WorkspaceEnv) {}

  /** New settings: every document is claimed and analysed again. */
  reconfigure(env: WorkspaceEnv): void {
    this.env = env;
    this.files.clear();
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
    s.analysis = analyze(s.text, { ...this.analyzeEnv(s.path), doc, ...(s.analysis ? { previous: s.analysis } : {}) });
    s.analyzed = s.version;
    return s.analysis;
  }

  private analyzeEnv(path: string | undefined) {
    return {
      ...(path ? { path } : {}),
      readFile: (p: string) => this.readFile(p),
      catalog: this.env.catalog,
      ...(this.env.inventory !== undefined ? { inventoryPath: this.env.inventory } : {}),
      ...(this.env.extraVars ? { extraVars: this.env.extraVars } : {}),
    };
  }

  /**
   * A runbook file of the workspace as it is now: the open document's analysis when it is open, else
   * the file's (kept while neither it nor its inventory changes). Undefined for other files.
   */
  analyzeFile(path: string): Analysis | undefined {
    const open = [...this.docs.values()].find((s) => s.path === path);
    if (open) return open.claim === 'playbook' ? this.analyze(open.uri) : undefined;
    const text = this.env.readFile(path);
    if (text === null || claim({ path, text, globs: this.env.globs, inventories: new Set() }) !== 'playbook') return undefined;
    const known = this.files.get(path);
    const inventoryUnchanged = (a: Analysis) => !a.inventoryPath || (a.inventoryDoc?.text ?? null) === this.readFile(a.inventoryPath);
    if (known?.text === text && inventoryUnchanged(known.analysis)) return known.analysis;
    const analysis = analyze(text, this.analyzeEnv(path));
    this.files.set(path, { text, analysis });
    return analysis;
  }

  /**
   * The inventory file a runbook file reads, found without analysing it: `-i` when it is set, else its
   * top-level `inventory:` path. Undefined for an inline inventory or no runbook.
   */
  inventoryOf(path: string): string | undefined {
    const text = this.readFile(path);
    if (text === null || !looksLikePlaybook(text)) return undefined;
    if (this.env.inventory !== undefined) return this.env.inventory;
    const m = /^inventory:[ \t]*(["']?)([^"'#\n{}[\]]+?)\1[ \t]*(?:#.*)?$/m.exec(text);
    return m ? resolve(dirname(path), m[2]) : undefined;
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

import * as vscode from 'vscode';
import { markHover, markText, type Outcome, type TaskResults } from './dry-run-results.js';

const COLOR: Record<Outcome, string> = {
  'would fail': 'errorForeground',
  unreachable: 'errorForeground',
  'would change': 'editorWarning.foreground',
  unknown: 'descriptionForeground',
  ok: 'descriptionForeground',
  skipped: 'descriptionForeground',
};
const PRESSING: Outcome[] = ['would fail', 'unreachable', 'would change', 'unknown', 'ok', 'skipped'];

/** The plays of a runbook as the language server outlines them: tasks and handlers by name. */
async function tasksOf(uri: vscode.Uri): Promise<Map<string, vscode.DocumentSymbol>> {
  const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', uri)) ?? [];
  const out = new Map<string, vscode.DocumentSymbol>();
  for (const play of symbols.filter((s) => s.kind === vscode.SymbolKind.Module)) {
    for (const c of play.children) out.set(`${play.name}\u0000${c.kind === vscode.SymbolKind.Event ? 'h' : 't'}\u0000${c.name}`, c);
  }
  return out;
}

/**
 * A dry-run's results on the lines of the tasks: after each task's name, its outcome per host; the
 * hover shows each host's diff; what would fail is also a diagnostic. Cleared when the runbook changes.
 */
export class DryRunMarks implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({ after: { margin: '0 0 0 2em', fontStyle: 'italic' } });
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('amq-run dry-run');
  private readonly shown = new Map<string, vscode.DecorationOptions[]>();
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.subscriptions = [
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length) this.clear(e.document.uri);
      }),
      vscode.window.onDidChangeVisibleTextEditors(() => this.paint()),
    ];
  }

  async show(uri: vscode.Uri, results: readonly TaskResults[]): Promise<void> {
    const tasks = await tasksOf(uri);
    const decorations: vscode.DecorationOptions[] = [];
    const problems: vscode.Diagnostic[] = [];
    for (const r of results) {
      const at = tasks.get(`${r.play}\u0000${r.handler ? 'h' : 't'}\u0000${r.task}`);
      if (!at) continue;
      const lead = PRESSING.find((o) => r.hosts.some((h) => h.outcome === o))!;
      const hover = new vscode.MarkdownString(markHover(r));
      decorations.push({ range: at.selectionRange, hoverMessage: hover, renderOptions: { after: { contentText: markText(r), color: new vscode.ThemeColor(COLOR[lead]) } } });
      for (const h of r.hosts.filter((x) => x.outcome === 'would fail' || x.outcome === 'unreachable')) {
        const d = new vscode.Diagnostic(at.selectionRange, `${h.host}: ${h.reason ?? h.message}`, vscode.DiagnosticSeverity.Error);
        d.source = 'amq-run dry-run';
        problems.push(d);
      }
    }
    this.shown.set(uri.toString(), decorations);
    this.diagnostics.set(uri, problems);
    this.paint();
  }

  clear(uri: vscode.Uri): void {
    if (!this.shown.delete(uri.toString())) return;
    this.diagnostics.delete(uri);
    this.paint();
  }

  private paint(): void {
    for (const editor of vscode.window.visibleTextEditors) editor.setDecorations(this.decoration, this.shown.get(editor.document.uri.toString()) ?? []);
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
    this.decoration.dispose();
    this.diagnostics.dispose();
  }
}

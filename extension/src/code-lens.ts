import * as vscode from 'vscode';

/** "Dry-run play" and "Run play" above each play, placed from the server's document symbols. */
export class PlayLenses implements vscode.CodeLensProvider {
  async provideCodeLenses(doc: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const symbols = (await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri)) ?? [];
    // Plays are the server's Module symbols; a play without a name cannot be selected by --play.
    const plays = symbols.filter((s) => s.kind === vscode.SymbolKind.Module && !s.name.startsWith('(play '));
    return plays.flatMap((p) => [
      new vscode.CodeLens(p.range, { title: '▷ Dry-run play', command: 'amqRunbook.dryRunPlay', arguments: [doc.uri, p.name] }),
      new vscode.CodeLens(p.range, { title: 'Run play', command: 'amqRunbook.runPlay', arguments: [doc.uri, p.name] }),
    ]);
  }
}

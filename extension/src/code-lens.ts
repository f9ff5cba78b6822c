import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

/**
 * The server's lens above each play (its hosts and tasks, named by the command that dry-runs it)
 * becomes the extension's actions: "Dry-run play" and "Run play", then the server's words. Other
 * clients show the server's lens as it is.
 */
export const playLenses: NonNullable<Middleware['provideCodeLenses']> = async (doc, token, next) => {
  const lenses = (await next(doc, token)) ?? [];
  return lenses.flatMap((l) => {
    const play = l.command?.arguments?.[1];
    const counts = new vscode.CodeLens(l.range, { title: l.command?.title ?? '', command: '' });
    if (typeof play !== 'string') return [counts];
    return [
      new vscode.CodeLens(l.range, { title: '▷ Dry-run play', command: 'amqRunbook.dryRunPlay', arguments: [doc.uri, play] }),
      new vscode.CodeLens(l.range, { title: 'Run play', command: 'amqRunbook.runPlay', arguments: [doc.uri, play] }),
      counts,
    ];
  });
};

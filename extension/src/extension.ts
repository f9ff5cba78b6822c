import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { playLenses } from './code-lens.js';
import { commandLine, type RunKind, type RunnerSettings } from './command-line.js';
import { DryRuns } from './dry-run.js';

const LANGUAGE = 'runbook';
let client: LanguageClient | undefined;
let dryRuns: DryRuns;

function settings(): RunnerSettings & { filePatterns: string[]; inlayHints: boolean } {
  const c = vscode.workspace.getConfiguration('amqRunbook');
  return {
    runnerPath: c.get<string>('runnerPath', 'amq-run'),
    inventory: c.get<string>('inventory', ''),
    extraVars: c.get<string[]>('extraVars', []),
    extraArgs: c.get<string[]>('extraArgs', []),
    filePatterns: c.get<string[]>('filePatterns', []),
    inlayHints: c.get<boolean>('inlayHints', true),
  };
}

/** Runs amq-run on a playbook in an integrated terminal, from the playbook's workspace folder. */
function runInTerminal(kind: RunKind, uri: vscode.Uri | undefined, play?: string): void {
  const target = uri ?? vscode.window.activeTextEditor?.document.uri;
  if (!target || target.scheme !== 'file') {
    void vscode.window.showErrorMessage('amq-run: open a runbook file first');
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(target);
  if (kind === 'dry-run') return dryRuns.run(target, settings(), folder?.uri.fsPath, play);
  const terminal = vscode.window.createTerminal({ name: `amq-run ${kind}`, ...(folder ? { cwd: folder.uri.fsPath } : {}) });
  terminal.show();
  terminal.sendText(commandLine(kind, target.fsPath, settings(), play));
}

/** YAML files the user's patterns name, or whose top level has `plays:`, become runbooks. */
async function claim(doc: vscode.TextDocument): Promise<void> {
  if (doc.languageId !== 'yaml' || doc.uri.scheme !== 'file') return;
  const byPattern = settings().filePatterns.some((p) => vscode.languages.match({ pattern: p }, doc) > 0);
  if (byPattern || /^plays:/m.test(doc.getText())) await vscode.languages.setTextDocumentLanguage(doc, LANGUAGE);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath('dist/server.mjs');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--inspect=6011'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ scheme: 'file', language: LANGUAGE }],
    // The server analyses with the runs' inventory and -e (and reads filePatterns, inlayHints), again on every change.
    initializationOptions: settings(),
    synchronize: { configurationSection: 'amqRunbook', fileEvents: vscode.workspace.createFileSystemWatcher('**/*.{yaml,yml}') },
    middleware: { provideCodeLenses: playLenses },
  };
  dryRuns = new DryRuns();
  client = new LanguageClient('amqRunbook', 'amq-runbook language server', serverOptions, clientOptions);

  context.subscriptions.push(
    vscode.commands.registerCommand('amqRunbook.run', (uri?: vscode.Uri) => runInTerminal('run', uri)),
    vscode.commands.registerCommand('amqRunbook.dryRun', (uri?: vscode.Uri) => runInTerminal('dry-run', uri)),
    vscode.commands.registerCommand('amqRunbook.validate', (uri?: vscode.Uri) => runInTerminal('validate', uri)),
    vscode.commands.registerCommand('amqRunbook.dryRunPlay', (uri: vscode.Uri, play: string) => runInTerminal('dry-run', uri, play)),
    vscode.commands.registerCommand('amqRunbook.runPlay', (uri: vscode.Uri, play: string) => runInTerminal('run', uri, play)),
    dryRuns,
    vscode.workspace.onDidOpenTextDocument((d) => void claim(d)),
  );
  for (const d of vscode.workspace.textDocuments) void claim(d);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

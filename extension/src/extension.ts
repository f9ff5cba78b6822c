import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { playLenses } from './code-lens.js';
import { RunbookCommands, settings } from './commands.js';

const LANGUAGE = 'runbook';
let client: LanguageClient | undefined;

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
  client = new LanguageClient('amqRunbook', 'amq-runbook language server', serverOptions, clientOptions);

  // Validate's findings stay until the next Validate, or until their file is edited.
  const problems = vscode.languages.createDiagnosticCollection('amq-run validate');
  const log = vscode.window.createOutputChannel('amq-runbook');
  const commands = new RunbookCommands(context.extension, problems, log);
  context.subscriptions.push(
    problems,
    log,
    commands,
    vscode.commands.registerCommand('amqRunbook.run', (uri?: vscode.Uri) => commands.inTerminal('run', uri)),
    vscode.commands.registerCommand('amqRunbook.dryRun', (uri?: vscode.Uri) => commands.dryRun(uri)),
    vscode.commands.registerCommand('amqRunbook.validate', (uri?: vscode.Uri) => commands.validate(uri)),
    vscode.commands.registerCommand('amqRunbook.clusterStatus', (uri?: vscode.Uri) => commands.inTerminal('status', uri)),
    vscode.commands.registerCommand('amqRunbook.savePlan', (uri?: vscode.Uri) => commands.savePlan(uri)),
    vscode.commands.registerCommand('amqRunbook.dryRunPlay', (uri: vscode.Uri, play: string) => commands.dryRun(uri, play)),
    vscode.commands.registerCommand('amqRunbook.runPlay', (uri: vscode.Uri, play: string) => commands.inTerminal('run', uri, play)),
    vscode.workspace.onDidOpenTextDocument((d) => void claim(d)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length) problems.delete(e.document.uri);
    }),
  );
  for (const d of vscode.workspace.textDocuments) void claim(d);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}

import { spawn } from 'node:child_process';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { commandLine, runArgs, type RunKind, type RunSettings } from './command-line.js';
import { DryRuns } from './dry-run.js';
import { resolveRunner, type Runner } from './runner.js';
import { parseValidateOutput, type Finding } from './validate-output.js';
import { minimumOf } from './versions.js';

const CLEAR = 'Use the bundled runner';
const OPEN = 'Open Settings';

/** The extension's settings: the runs' and the language server's (which gets them all). */
export function settings(): RunSettings & { runnerPath: string; filePatterns: string[]; inlayHints: boolean } {
  const c = vscode.workspace.getConfiguration('amqRunbook');
  return {
    runnerPath: c.get<string>('runnerPath', ''),
    inventory: c.get<string>('inventory', ''),
    extraVars: c.get<string[]>('extraVars', []),
    extraArgs: c.get<string[]>('extraArgs', []),
    filePatterns: c.get<string[]>('filePatterns', []),
    inlayHints: c.get<boolean>('inlayHints', true),
  };
}

function toDiagnostic(f: Finding): vscode.Diagnostic {
  const at = new vscode.Position(Math.max(0, f.line - 1), Math.max(0, f.column - 1));
  const d = new vscode.Diagnostic(new vscode.Range(at, at), f.message, f.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'amq-run validate';
  return d;
}

/** Run, Dry-run (and save a plan), Validate and Cluster status on a playbook, with the runner the settings and this machine give. */
export class RunbookCommands implements vscode.Disposable {
  private readonly dryRuns = new DryRuns();

  constructor(
    private readonly extension: vscode.Extension<unknown>,
    private readonly problems: vscode.DiagnosticCollection,
    private readonly log: vscode.OutputChannel,
  ) {}

  /** The runner to use, or undefined after telling the user what to do about the configured one. */
  private async runner(): Promise<Runner | undefined> {
    const manifest = this.extension.packageJSON as { version: string; engines: { node: string } };
    const resolved = await resolveRunner({
      runnerPath: settings().runnerPath,
      bundled: vscode.Uri.joinPath(this.extension.extensionUri, 'dist', 'runner.mjs').fsPath,
      version: manifest.version,
      minimumNode: minimumOf(manifest.engines.node),
      execPath: process.execPath,
      path: process.env.PATH,
    });
    if ('runner' in resolved) {
      this.log.appendLine(`runner: ${resolved.runner.describe}`);
      return resolved.runner;
    }
    this.log.appendLine(resolved.problem);
    const choice = await vscode.window.showErrorMessage(resolved.problem, CLEAR, OPEN);
    if (choice === CLEAR) {
      const c = vscode.workspace.getConfiguration('amqRunbook');
      const set = c.inspect<string>('runnerPath');
      if (set?.workspaceFolderValue !== undefined) await c.update('runnerPath', undefined, vscode.ConfigurationTarget.WorkspaceFolder);
      if (set?.workspaceValue !== undefined) await c.update('runnerPath', undefined, vscode.ConfigurationTarget.Workspace);
      if (set?.globalValue !== undefined) await c.update('runnerPath', undefined, vscode.ConfigurationTarget.Global);
    } else if (choice === OPEN) {
      await vscode.commands.executeCommand('workbench.action.openSettings', 'amqRunbook.runnerPath');
    }
    return undefined;
  }

  /** The playbook to work on, saved, since the runner reads it from disk. */
  private async target(uri: vscode.Uri | undefined): Promise<vscode.Uri | undefined> {
    const target = uri ?? vscode.window.activeTextEditor?.document.uri;
    if (!target || target.scheme !== 'file') {
      void vscode.window.showErrorMessage('amq-run: open a runbook file first');
      return undefined;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === target.toString());
    if (doc?.isDirty) await doc.save();
    return target;
  }

  private cwd(target: vscode.Uri): string | undefined {
    return vscode.workspace.getWorkspaceFolder(target)?.uri.fsPath;
  }

  /** Runs amq-run on a playbook in an integrated terminal, from the playbook's workspace folder. */
  async inTerminal(kind: RunKind, uri: vscode.Uri | undefined, play?: string): Promise<void> {
    const target = await this.target(uri);
    const runner = target && (await this.runner());
    if (!target || !runner) return;
    const cwd = this.cwd(target);
    const terminal = vscode.window.createTerminal({ name: `amq-run ${kind}`, ...(cwd ? { cwd } : {}), env: runner.env });
    terminal.show();
    terminal.sendText(commandLine(runner.argv, runArgs(kind, target.fsPath, settings(), play)));
  }

  /** Dry-run in a terminal of its own; the outcome marks the task lines. */
  async dryRun(uri: vscode.Uri | undefined, play?: string): Promise<void> {
    const target = await this.target(uri);
    const runner = target && (await this.runner());
    if (!target || !runner) return;
    this.dryRuns.run(target, runner, settings(), this.cwd(target), play);
  }

  /** Dry-run saved as a plan (`amq-run plan -o FILE`): the file is asked for; `amq-run apply FILE` applies exactly it. */
  async savePlan(uri: vscode.Uri | undefined): Promise<void> {
    const target = await this.target(uri);
    if (!target) return;
    const file = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(target, '..', 'plan.json'), filters: { 'amq-run plan': ['json'] }, title: 'Save the dry-run as a plan' });
    const runner = file && (await this.runner());
    if (!file || !runner) return;
    this.dryRuns.run(target, runner, settings(), this.cwd(target), undefined, file.fsPath);
  }

  dispose(): void {
    this.dryRuns.dispose();
  }

  /** Runs `amq-run validate` and puts what it finds in the Problems view. */
  async validate(uri: vscode.Uri | undefined): Promise<void> {
    const target = await this.target(uri);
    const runner = target && (await this.runner());
    if (!target || !runner) return;
    const cwd = this.cwd(target) ?? vscode.Uri.joinPath(target, '..').fsPath;
    const args = [...runner.argv.slice(1), ...runArgs('validate', target.fsPath, settings())];
    this.log.appendLine(`$ ${commandLine(runner.argv.slice(0, 1), args)}`);
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(runner.argv[0], args, { cwd, env: { ...process.env, ...runner.env } });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      child.on('error', (e) => resolve({ code: null, stdout, stderr: stderr + e.message }));
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
    this.log.append(r.stdout + r.stderr);
    if (r.code !== 0 && r.code !== 4) {
      void vscode.window.showErrorMessage(`amq-run validate: ${r.stderr.trim().split('\n')[0] || `exit code ${r.code}`}`);
      return;
    }
    const findings = parseValidateOutput(r.stdout, cwd);
    this.problems.clear();
    const byFile = new Map<string, Finding[]>();
    for (const f of findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    for (const [file, list] of byFile) this.problems.set(vscode.Uri.file(file), list.map(toDiagnostic));
    if (findings.length) await vscode.commands.executeCommand('workbench.actions.view.problems');
    else void vscode.window.showInformationMessage(`amq-run validate: ${basename(target.fsPath)} is valid`);
  }
}

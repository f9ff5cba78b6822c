import { spawn, type ChildProcess } from 'node:child_process';
import * as vscode from 'vscode';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { plainSink } from '../../runner/src/report/plain.js';
import { commandLine, runArgs, type RunSettings } from './command-line.js';
import type { Runner } from './runner.js';
import { DryRunMarks } from './dry-run-marks.js';
import { readEvent, taskResults } from './dry-run-results.js';

/** Splits a stream into lines, holding back the unfinished end. */
function lines(onLine: (line: string) => void): (chunk: Buffer) => void {
  let rest = '';
  return (chunk) => {
    const parts = (rest + chunk.toString()).split('\n');
    rest = parts.pop() ?? '';
    for (const p of parts) onLine(p.replace(/\r$/, ''));
  };
}

/**
 * Dry-run from the editor: `amq-run --dry-run --json` in a terminal of its own, which shows the run
 * as plain lines (read from the events); when it ends, the events mark the runbook's task lines.
 */
export class DryRuns implements vscode.Disposable {
  private readonly marks = new DryRunMarks();
  private readonly children = new Set<ChildProcess>();

  /** With `planFile`: `amq-run plan -o planFile`, the same dry-run, saved as a plan to apply later. */
  run(uri: vscode.Uri, runner: Runner, settings: RunSettings, cwd: string | undefined, play?: string, planFile?: string): void {
    const args = planFile === undefined ? runArgs('dry-run', uri.fsPath, settings, play, ['--json']) : runArgs('plan', uri.fsPath, settings, undefined, ['-o', planFile, '--json']);
    const argv = [...runner.argv, ...args];
    const written = new vscode.EventEmitter<string>();
    const write = (line: string) => written.fire(`${line}\r\n`);
    const events: RunEvent[] = [];
    const show = plainSink(write, { diff: true, verbose: false });
    let child: ChildProcess | undefined;
    const pty: vscode.Pseudoterminal = {
      onDidWrite: written.event,
      open: () => {
        this.marks.clear(uri);
        write(`$ ${commandLine(runner.argv, args)}`);
        child = spawn(argv[0], argv.slice(1), { ...(cwd ? { cwd } : {}), env: { ...process.env, ...runner.env }, stdio: ['ignore', 'pipe', 'pipe'] });
        this.children.add(child);
        child.stdout!.on(
          'data',
          lines((l) => {
            const e = readEvent(l);
            if (!e) return write(l);
            events.push(e);
            show(e);
          }),
        );
        child.stderr!.on('data', lines(write));
        child.on('error', (e) => write(`amq-run: ${e.message} (${runner.describe})`));
        child.on('close', (code) => {
          this.children.delete(child!);
          if (!events.some((e) => e.type === 'run_end')) write(`exit code ${code ?? 'unknown'}`);
          void this.marks.show(uri, taskResults(events));
        });
      },
      close: () => child?.kill(),
    };
    vscode.window.createTerminal({ name: planFile === undefined ? `amq-run dry-run${play ? `: ${play}` : ''}` : 'amq-run plan', pty }).show();
  }

  dispose(): void {
    for (const c of this.children) c.kill();
    this.marks.dispose();
  }
}

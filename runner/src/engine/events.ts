/** The one stream a run produces; the Ink view, plain lines and JSON lines all read it. Secrets are masked before it. */

/** would_change and would_fail are a dry-run's: what the real run would do. */
export type HostStatus = 'ok' | 'changed' | 'would_change' | 'would_fail' | 'skipped' | 'failed' | 'unreachable';

export const HOST_STATUSES: readonly HostStatus[] = ['ok', 'changed', 'would_change', 'would_fail', 'skipped', 'failed', 'unreachable'];

export type Recap = Record<string, Record<HostStatus, number>>;

export interface PlaySummary {
  name: string;
  hosts: string[];
  tasks: string[];
}

/** A command that ran on a host: what ran (masked), how it ended, and what it printed on each stream. */
export interface CommandRun {
  cmd: string;
  exit_code: number;
  stdout: string;
  stderr: string;
}

/** The command behind a failure. */
export type CommandFailure = CommandRun;

export interface TaskResultFields {
  play: string;
  host: string;
  module: string;
  status: HostStatus;
  /** One line: what was found or what changes. */
  message: string;
  /** Unified diff of every file change (masked). */
  diff?: string;
  /** Human lines naming what changed ("transportConnector openwire: maximumConnections 1000 -> 2000"). */
  details?: string[];
  /** The commands that ran, or would run in a dry-run (masked). */
  commands?: string[];
  /** A dry-run cannot know the outcome before it (or an earlier step) runs; `unknown_reason` says why. */
  unknown?: boolean;
  unknown_reason?: string;
  failure?: CommandFailure;
  /** With --verbose: every command that ran for the task on the host, checks included, in order. */
  ran?: CommandRun[];
  ms: number;
}

export type RunEvent =
  | { type: 'run_start'; playbook: string; inventory?: string; dry_run: boolean; hosts: string[]; plays: PlaySummary[] }
  | { type: 'play_start'; play: string; hosts: string[]; serial?: number }
  | { type: 'host_unreachable'; play: string; host: string; message: string }
  | { type: 'task_start'; play: string; task: string; module: string; hosts: string[] }
  | ({ type: 'task_result'; task: string } & TaskResultFields)
  | { type: 'handler_start'; play: string; handler: string; module: string; hosts: string[] }
  | ({ type: 'handler_result'; handler: string } & TaskResultFields)
  | { type: 'play_end'; play: string }
  | { type: 'interrupted'; message: string }
  | { type: 'run_end'; recap: Recap; exit_code: number; ms: number };

export type TaskResultEvent = Extract<RunEvent, { type: 'task_result' | 'handler_result' }>;

export function emptyRecap(hosts: string[]): Recap {
  const out: Recap = {};
  for (const h of hosts) out[h] = { ok: 0, changed: 0, would_change: 0, would_fail: 0, skipped: 0, failed: 0, unreachable: 0 };
  return out;
}

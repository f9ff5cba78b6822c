/** The shape of the view's state: what a run looks like from its events. */
import type { Recap, RunEvent, TaskResultFields } from '../engine/events.js';
import type { StepQuestion } from '../engine/step.js';

/** One host's result of a task, as the event gave it. */
export type HostResult = Omit<TaskResultFields, 'play' | 'host' | 'module'>;

export interface TaskRow {
  /** Unique in the run, in order of start. */
  id: number;
  kind: 'task' | 'handler';
  play: string;
  name: string;
  module: string;
  hosts: string[];
  results: Record<string, HostResult>;
  finished: boolean;
}

export interface PlayState {
  name: string;
  hosts: string[];
  serial?: number;
  /** Task names announced by run_start (for the progress total). */
  tasks: string[];
  started: boolean;
  ended: boolean;
  rows: TaskRow[];
  /** Hosts dropped from this play, with the reason. */
  unreachable: Record<string, string>;
  /** Host-task pairs finished, out of tasks × hosts. */
  done: number;
}

export interface Header {
  playbook: string;
  inventory?: string;
  dryRun: boolean;
  hosts: string[];
}

/** Lines that are final: printed once above the live region. Append-only, so an index is a stable key. */
export type LogEntry =
  | { kind: 'header'; header: Header }
  | { kind: 'play'; name: string; hosts: string[]; serial?: number }
  | { kind: 'row'; row: TaskRow }
  | { kind: 'unreachable'; play: string; host: string; message: string }
  | { kind: 'interrupted'; message: string }
  | { kind: 'plan'; question: StepQuestion }
  | { kind: 'recap'; end: RunEnd };

export interface RunEnd {
  recap: Recap;
  exitCode: number;
  ms: number;
}

export interface RunState {
  header: Header | null;
  plays: PlayState[];
  log: LogEntry[];
  progress: { done: number; total: number };
  /** Clock time of run_start, as given to the reducer. */
  startedAt: number | null;
  step: StepQuestion | null;
  /** The pending question's whole plan was printed above. */
  stepPrinted: boolean;
  /** A stop was asked for: the run ends after the running task. */
  interrupting: boolean;
  aborted: boolean;
  end: RunEnd | null;
  nextRowId: number;
}

/** Actions of the view itself, beside the engine's events. */
export type UiEvent =
  | { type: 'ui_step'; question: StepQuestion }
  | { type: 'ui_step_done' }
  /** Print the pending question's whole plan above the live region. */
  | { type: 'ui_step_print' }
  | { type: 'ui_stop' }
  | { type: 'ui_abort' };

export type RunAction = RunEvent | UiEvent;

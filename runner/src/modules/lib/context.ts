import type { ExecResult } from '../../transport/transport.js';

export interface FileStat {
  type: 'file' | 'dir' | 'link' | 'other';
  /** Four octal digits, e.g. "0644". */
  mode: string;
  owner: string;
  group: string;
  size: number;
}

/** A fact: one read-only command and a pure parser of its output. */
export interface Fact<T> {
  name: string;
  command: string;
  parse(out: ExecResult): T;
}

/** What a module's check may do: read, never write. */
export interface CheckContext {
  host: { name: string; address: string };
  dryRun: boolean;
  /**
   * A dry-run in which earlier tasks would already have changed this host: a command run now sees
   * the host as it was before them (read and stat see what they would have written).
   */
  changedEarlier: boolean;
  /**
   * In a dry-run: another host whose earlier tasks would make something at this path. Hosts that
   * share a filesystem (a network store, several "hosts" on one machine) see each other's files.
   */
  plannedOn(path: string): string | undefined;
  /** In a dry-run: what earlier tasks would leave below a path (a command run now cannot see it). */
  plannedBelow(path: string): { path: string; stat: FileStat }[];
  /** In a dry-run: whether earlier tasks would have created (true) or removed (false) a user or group; undefined when none touches it. */
  plannedAccount(kind: 'user' | 'group', name: string): boolean | undefined;
  /**
   * In a handler: the earlier task of this run that (re)started this service after every change
   * that notified the handler, so the service already runs them; undefined when none did.
   */
  startedAfterNotice(service: string): string | undefined;
  /** The sha256 of a file's bytes, as read and stat see it; null when nothing is there. */
  sha256(path: string): Promise<string | null>;
  /** Runs a read-only command (through sudo when the task has `become`). */
  run(cmd: string, opts?: { stdin?: string; timeoutMs?: number }): Promise<ExecResult>;
  /** A file's text; null when it does not exist. In a dry-run, what earlier tasks would have written. */
  read(path: string): Promise<string | null>;
  stat(path: string): Promise<FileStat | null>;
  /** Memoized per host for the run; forgotten after a task on the host changed something. */
  fact<T>(f: Fact<T>): Promise<T>;
  /** Files on the controller (templates, uploads), relative to the playbook's folder. */
  local: { read(path: string): Promise<string>; readBytes(path: string): Promise<Buffer>; resolve(path: string): string };
  /** Renders `{{ }}` in a template with the host's variables; throws CheckFailed on an error. */
  render(text: string, origin: string): string;
  /** Waits, unless the run is being stopped. */
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
}

/** A command that ran on a host, and everything it answered. */
export interface CommandResult extends ExecResult {
  cmd: string;
}

/**
 * The task cannot be done: the host is in a state its check cannot work with, or a change failed
 * when it was made. The message says why in words; `command` is the command behind it, when one is.
 */
export class CheckFailed extends Error {
  constructor(
    message: string,
    readonly command?: CommandResult,
  ) {
    super(message);
  }
}

/** In a dry-run, what the check needs depends on an effect that cannot be known before it happens. */
export class Unknowable extends Error {}

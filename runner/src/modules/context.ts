import type { ExecResult } from '../transport/transport.js';

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
  /** Runs a read-only command. Through sudo when the task has `become`. */
  run(cmd: string): Promise<ExecResult>;
  /** null when the file does not exist. */
  read(path: string): Promise<string | null>;
  stat(path: string): Promise<FileStat | null>;
  fact<T>(f: Fact<T>): Promise<T>;
  /** Files on the controller (templates, uploads), relative to the playbook's folder. */
  local: { read(path: string): Promise<string>; resolve(path: string): string };
  /** Renders `{{ }}` in a template with the host's variables; errors are thrown as messages. */
  render(text: string, origin: string): string;
  /** Waits; a dry-run's probes are told not to. */
  sleep(ms: number): Promise<void>;
  signal: AbortSignal;
}

export class CheckFailed extends Error {
  constructor(
    message: string,
    readonly detail?: { cmd?: string; code?: number; stderr?: string },
  ) {
    super(message);
  }
}

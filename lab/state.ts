import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { NamespaceIds } from './container.js';
import type { LabHostSpec } from './layout.js';

/** A host and the processes that make it: unshare, and tini (its PID 1) with its start time. */
export interface HostState extends LabHostSpec {
  unshare: number;
  init: number;
  /** The init's start time: with the pid, it names one process for good. */
  start: number | undefined;
  ns: NamespaceIds | undefined;
}

export interface LabState {
  L: string;
  port: number;
  stateDir: string;
  inventoryPath: string;
  clientKey: string;
  knownHosts: string;
  hosts: HostState[];
}

export const STATE_FILE = 'state.json';

export function writeState(s: LabState): void {
  const file = join(s.stateDir, STATE_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(s, null, 2)}\n`);
  renameSync(tmp, file);
}

export function readState(stateDir: string): LabState | undefined {
  try {
    return JSON.parse(readFileSync(join(stateDir, STATE_FILE), 'utf8')) as LabState;
  } catch {
    return undefined;
  }
}

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LabHostSpec } from './layout.js';

/** A process the lab started; the start time guards against a pid reused by something else. */
export interface OwnedProcess {
  name: string;
  pid: number;
  start: number | undefined;
}

export interface LabState {
  L: string;
  port: number;
  stateDir: string;
  inventoryPath: string;
  clientKey: string;
  knownHosts: string;
  bin: string;
  hosts: (LabHostSpec & { root: string })[];
  processes: OwnedProcess[];
  startedRpcbind: boolean;
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

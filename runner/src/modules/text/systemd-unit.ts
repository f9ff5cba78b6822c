import { storeGuardExecStartPre, systemdWord } from '../lib/store-guard.js';

/** What a service unit says, section by section; absent settings are not written. */
export interface ServiceUnit {
  name: string;
  description: string;
  after?: readonly string[];
  wants?: readonly string[];
  requiresMountsFor?: readonly string[];
  /** With requiresMountsFor: ExecStartPre= refuses the start while a path is not a mount point. */
  mountGuard: boolean;
  type: string;
  user?: string;
  group?: string;
  environment?: readonly { name: string; value: string }[];
  execStart: string;
  execStop?: string;
  pidFile?: string;
  workingDirectory?: string;
  restart?: string;
  limitNofile?: number;
  wantedBy: string;
}

export const UNIT_HEADER = '# Managed by amq-runbook: edits made here are replaced on the next run.';

/** One `Environment=` assignment, quoted as a whole so the value may hold spaces (systemd expands no `$` there, only `%`). */
function environment(name: string, value: string): string {
  return `Environment="${`${name}=${value}`.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%')}"`;
}

/** The unit file's text. Pure. */
export function renderServiceUnit(u: ServiceUnit): string {
  const lines: string[] = [UNIT_HEADER, '[Unit]', `Description=${u.description}`];
  if (u.after?.length) lines.push(`After=${u.after.join(' ')}`);
  if (u.wants?.length) lines.push(`Wants=${u.wants.join(' ')}`);
  if (u.requiresMountsFor?.length) lines.push(`RequiresMountsFor=${u.requiresMountsFor.map(systemdWord).join(' ')}`);
  lines.push('', '[Service]', `Type=${u.type}`);
  if (u.user) lines.push(`User=${u.user}`);
  if (u.group) lines.push(`Group=${u.group}`);
  for (const e of u.environment ?? []) lines.push(environment(e.name, e.value));
  if (u.mountGuard) for (const path of u.requiresMountsFor ?? []) lines.push(`ExecStartPre=${storeGuardExecStartPre(u.name, path)}`);
  lines.push(`ExecStart=${u.execStart}`);
  if (u.execStop) lines.push(`ExecStop=${u.execStop}`);
  if (u.pidFile) lines.push(`PIDFile=${u.pidFile}`);
  if (u.workingDirectory) lines.push(`WorkingDirectory=${u.workingDirectory}`);
  if (u.restart) lines.push(`Restart=${u.restart}`);
  if (u.limitNofile !== undefined) lines.push(`LimitNOFILE=${u.limitNofile}`);
  lines.push('', '[Install]', `WantedBy=${u.wantedBy}`);
  return `${lines.join('\n')}\n`;
}

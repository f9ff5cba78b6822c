import type { CommandRun, RunEvent, TaskResultEvent } from '../engine/events.js';
import { HOST_STATUSES } from '../engine/events.js';
import { outputBlocks } from './output.js';

export interface PlainOptions {
  /** Show the diff of changes made (always shown for a dry-run's would-change). */
  diff: boolean;
  /** Every command each task ran, and all of a failing command's output. */
  verbose: boolean;
}

/** Lines of a failing command's output kept without --verbose. */
const OUTPUT_TAIL = 20;

const LABEL: Record<string, string> = {
  ok: 'ok',
  changed: 'changed',
  would_change: 'would change',
  would_fail: 'WOULD FAIL',
  skipped: 'skipped',
  failed: 'FAILED',
  unreachable: 'UNREACHABLE',
};

function indent(text: string, pad: string): string[] {
  return text.trimEnd().split('\n').map((l) => pad + l);
}

function resultLines(e: TaskResultEvent, o: PlainOptions, hostWidth: number): string[] {
  const ms = o.verbose ? ` (${e.ms} ms)` : '';
  const out = [`  ${LABEL[e.status].padEnd(12)} ${e.host.padEnd(hostWidth)}  ${e.message}${e.unknown ? ' [unknown until it runs]' : ''}${ms}`];
  const pad = ' '.repeat(4);
  const showDiff = e.status === 'would_change' || (e.status === 'changed' && o.diff) || (e.status === 'skipped' && o.diff);
  for (const d of e.details ?? []) out.push(`${pad}${d}`);
  for (const c of e.commands ?? []) out.push(...indent(`$ ${c}`, pad));
  if (showDiff && e.diff) out.push(...indent(e.diff, pad));
  if (e.unknown && e.unknown_reason && !e.message.includes(e.unknown_reason)) out.push(`${pad}unknown until it runs: ${e.unknown_reason}`);
  if (e.failure) out.push(...commandLines(e.failure, pad, o.verbose ? undefined : OUTPUT_TAIL));
  if (o.verbose && e.ran?.length) {
    out.push(`${pad}commands that ran:`);
    for (const r of e.ran) out.push(...commandLines(r, `${pad}  `, undefined));
  }
  return out;
}

function commandLines(r: CommandRun, pad: string, tail: number | undefined): string[] {
  const out = [`${pad}command: ${r.cmd.split('\n').join(`\n${pad}         `)}`, `${pad}exit code: ${r.exit_code}`];
  for (const b of outputBlocks(r, tail)) out.push(`${pad}${b.label}:`, ...b.lines.map((l) => `${pad}  ${l}`));
  return out;
}

/** Plain lines for pipes and logs: one `switch` over the event union. */
export function plainSink(write: (line: string) => void, o: PlainOptions): (e: RunEvent) => void {
  let hostWidth = 8;
  return (e) => {
    switch (e.type) {
      case 'run_start':
        hostWidth = Math.max(8, ...e.hosts.map((h) => h.length));
        write(`${e.dry_run ? 'DRY RUN of' : 'RUN'} ${e.playbook}${e.inventory ? ` on ${e.inventory}` : ''} (${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'}: ${e.hosts.join(', ')})`);
        return;
      case 'play_start':
        write('');
        write(`PLAY [${e.play}] ${e.hosts.join(', ') || '(no hosts)'}${e.serial ? `, ${e.serial} at a time` : ''}`);
        return;
      case 'host_unreachable':
        // The result line above gave the reason.
        write(`  ${'UNREACHABLE'.padEnd(12)} ${e.host.padEnd(hostWidth)}  no further tasks run on it`);
        return;
      case 'task_start':
        write(`TASK [${e.task}] ${e.module}`);
        return;
      case 'handler_start':
        write(`HANDLER [${e.handler}] ${e.module}`);
        return;
      case 'task_result':
      case 'handler_result':
        for (const l of resultLines(e, o, hostWidth)) write(l);
        return;
      case 'play_end':
        return;
      case 'interrupted':
        write('');
        write(`INTERRUPTED: ${e.message}`);
        return;
      case 'run_end': {
        write('');
        write('PLAY RECAP');
        for (const [host, counts] of Object.entries(e.recap)) {
          write(`${host.padEnd(hostWidth)}  ${HOST_STATUSES.map((s) => `${s}=${counts[s] ?? 0}`).join('  ')}`);
        }
        write(`exit code ${e.exit_code} (${(e.ms / 1000).toFixed(1)} s)`);
        return;
      }
      default: {
        const never: never = e;
        return never;
      }
    }
  };
}

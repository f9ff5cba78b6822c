import type { CommandRun, RunEvent, TaskResultEvent } from '../engine/events.js';
import { HOST_STATUSES, type HostStatus, type Recap } from '../engine/events.js';
import { countStatuses, isMany, recapGroups } from './many-hosts.js';
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

/** A result told by its count alone when a task has many hosts: nothing in it to look at. */
function quiet(e: TaskResultEvent): boolean {
  return (e.status === 'ok' || e.status === 'skipped') && !e.unknown && !e.failure && !e.details?.length && !e.commands?.length;
}

/** Hosts shown by name in a recap group with nothing wrong before the rest are counted. */
const NAMED_IN_GROUP = 10;

function recapLines(recap: Recap, hostWidth: number, verbose: boolean): string[] {
  const counts = (c: Record<HostStatus, number>) => HOST_STATUSES.map((s) => `${s}=${c[s] ?? 0}`).join('  ');
  const hosts = Object.keys(recap);
  if (verbose || !isMany(hosts)) return hosts.map((h) => `${h.padEnd(hostWidth)}  ${counts(recap[h]!)}`);
  // Many hosts: one line per set of counts. Every host with a problem is named.
  return recapGroups(recap).map((g) => {
    const named = g.bad || g.hosts.length <= NAMED_IN_GROUP ? g.hosts : g.hosts.slice(0, NAMED_IN_GROUP);
    const more = g.hosts.length - named.length;
    const label = g.hosts.length === 1 ? g.hosts[0]! : `${g.hosts.length} hosts: ${named.join(', ')}${more ? `, and ${more} more` : ''}`;
    return `${counts(g.counts)}  ${label}`;
  });
}

/** The hosts of a run or play by name; with many, the first few and how many more (--verbose: all). */
function hostList(hosts: readonly string[], verbose: boolean): string {
  if (verbose || !isMany(hosts)) return hosts.join(', ');
  return `${hosts.slice(0, NAMED_IN_GROUP).join(', ')}, and ${hosts.length - NAMED_IN_GROUP} more`;
}

/** Plain lines for pipes and logs: one `switch` over the event union. */
export function plainSink(write: (line: string) => void, o: PlainOptions): (e: RunEvent) => void {
  let hostWidth = 8;
  // With many hosts in a task: ok and skipped hosts counted, told as one line when the task ends.
  let counting = false;
  let counted: HostStatus[] = [];
  const flush = () => {
    for (const [s, n] of countStatuses(counted)) write(`  ${LABEL[s].padEnd(12)} ${n} host${n === 1 ? '' : 's'}`);
    counted = [];
  };
  return (e) => {
    if (e.type !== 'task_result' && e.type !== 'handler_result' && e.type !== 'host_unreachable') flush();
    switch (e.type) {
      case 'run_start':
        hostWidth = Math.max(8, ...e.hosts.map((h) => h.length));
        write(`${e.dry_run ? 'DRY RUN of' : 'RUN'} ${e.playbook}${e.inventory ? ` on ${e.inventory}` : ''} (${e.hosts.length} host${e.hosts.length === 1 ? '' : 's'}: ${hostList(e.hosts, o.verbose)})`);
        return;
      case 'play_start':
        write('');
        write(`PLAY [${e.play}] ${hostList(e.hosts, o.verbose) || '(no hosts)'}${e.serial ? `, ${e.serial} at a time` : ''}`);
        return;
      case 'host_unreachable':
        // The result line above gave the reason.
        write(`  ${'UNREACHABLE'.padEnd(12)} ${e.host.padEnd(hostWidth)}  no further tasks run on it`);
        return;
      case 'task_start':
        counting = isMany(e.hosts) && !o.verbose;
        write(`TASK [${e.task}] ${e.module}${counting ? ` (${e.hosts.length} hosts)` : ''}`);
        return;
      case 'handler_start':
        counting = isMany(e.hosts) && !o.verbose;
        write(`HANDLER [${e.handler}] ${e.module}${counting ? ` (${e.hosts.length} hosts)` : ''}`);
        return;
      case 'task_result':
      case 'handler_result':
        if (counting && quiet(e)) counted.push(e.status);
        else for (const l of resultLines(e, o, hostWidth)) write(l);
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
        for (const l of recapLines(e.recap, hostWidth, o.verbose)) write(l);
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

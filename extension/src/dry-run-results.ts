import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';

/**
 * What a dry-run said about each task, from its JSON events: per host, whether the task would
 * change something, is ok, would fail, or cannot be known before earlier changes happen.
 */

export type Outcome = 'would change' | 'ok' | 'would fail' | 'unknown' | 'skipped' | 'unreachable';

export interface HostResult {
  host: string;
  outcome: Outcome;
  message: string;
  diff?: string;
  /** Commands it would run. */
  commands: string[];
  /** Why it would fail: the message, and the failed command's error when there is one. */
  reason?: string;
}

export interface TaskResults {
  play: string;
  task: string;
  handler: boolean;
  hosts: HostResult[];
}

function outcomeOf(e: TaskResultEvent): Outcome {
  switch (e.status) {
    case 'would_change':
    case 'changed':
      return e.unknown ? 'unknown' : 'would change';
    case 'ok':
      return 'ok';
    case 'failed':
    case 'would_fail':
      return 'would fail';
    case 'skipped':
      return 'skipped';
    case 'unreachable':
      return 'unreachable';
  }
}

/** The line of a command's error output that says what went wrong: the first that sounds like it, else the last. */
function telling(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => l.trim()).filter(Boolean);
  return lines.find((l) => /\b(error|alert|fatal|denied|not found|no such|cannot|could not|unable)\b/i.test(l)) ?? lines[lines.length - 1] ?? '';
}

/** Every task's results, in the order they came, one entry per play and task (or handler). */
export function taskResults(events: readonly RunEvent[]): TaskResults[] {
  const out = new Map<string, TaskResults>();
  for (const e of events) {
    if (e.type !== 'task_result' && e.type !== 'handler_result') continue;
    const handler = e.type === 'handler_result';
    const task = handler ? e.handler : e.task;
    const key = `${e.play}\u0000${handler ? 'h' : 't'}\u0000${task}`;
    let t = out.get(key);
    if (!t) out.set(key, (t = { play: e.play, task, handler, hosts: [] }));
    const outcome = outcomeOf(e);
    const failure = e.failure ? `${e.failure.cmd}: exit code ${e.failure.exit_code}${e.failure.stderr || e.failure.stdout ? `: ${telling(e.failure.stderr || e.failure.stdout)}` : ''}` : undefined;
    t.hosts.push({
      host: e.host,
      outcome,
      message: e.message,
      ...(e.diff ? { diff: e.diff } : {}),
      commands: e.commands ?? [],
      ...(outcome === 'would fail' || outcome === 'unreachable' ? { reason: failure ? `${e.message} (${failure})` : e.message } : {}),
    });
  }
  return [...out.values()];
}

const SYMBOL: Record<Outcome, string> = { 'would change': '±', ok: '✓', 'would fail': '✗', unknown: '?', skipped: '-', unreachable: '!' };
const ORDER: Outcome[] = ['would fail', 'unreachable', 'would change', 'unknown', 'ok', 'skipped'];

/** The mark after a task's line: each outcome with its hosts, the most pressing first. */
export function markText(t: TaskResults): string {
  return ORDER.flatMap((o) => {
    const hosts = t.hosts.filter((h) => h.outcome === o).map((h) => h.host);
    return hosts.length ? [`${SYMBOL[o]} ${o}: ${hosts.join(', ')}`] : [];
  }).join('   ');
}

/** The hover of the mark: per host, what happens, the diff of the change, the commands. */
export function markHover(t: TaskResults): string {
  const fence = (lang: string, body: string) => `\`\`\`${lang}\n${body.trimEnd()}\n\`\`\``;
  return [
    `**Dry-run of ${t.handler ? 'handler' : 'task'} ${t.task}**`,
    ...t.hosts.map((h) => {
      const parts = [`**${h.host}**: ${SYMBOL[h.outcome]} ${h.outcome}: ${h.reason ?? h.message}`];
      if (h.diff) parts.push(fence('diff', h.diff));
      if (h.commands.length) parts.push(fence('sh', h.commands.map((c) => `$ ${c}`).join('\n')));
      return parts.join('\n\n');
    }),
  ].join('\n\n');
}

/** Parses JSON lines; a line that is not an event is handed back. */
export function readEvent(line: string): RunEvent | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    const e = JSON.parse(line) as RunEvent;
    return typeof e === 'object' && e !== null && typeof e.type === 'string' ? e : undefined;
  } catch {
    return undefined;
  }
}

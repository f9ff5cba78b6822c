import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule, type ClusterProblem, type HostTask } from './lib/define.js';
import { mustAgree } from './lib/cluster.js';
import { planFile } from './lib/file-target.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';
import { storeGuardShell } from './lib/store-guard.js';
import { blockBody, blockMarkers, escapeDouble, rawValue, setBlock, setRawValue } from './text/shell-vars.js';

const params = {
  file: { type: 'path', required: true, description: "the file the start script sources (Debian: the instance's options; a tarball: bin/env)" },
  seed: { type: 'path', description: 'a file on the host to start from when `file` does not exist (Debian: /usr/share/activemq/activemq-options)' },
  opts_variable: {
    type: 'string',
    choices: ['ACTIVEMQ_OPTS', 'ACTIVEMQ_OPTS_MEMORY'],
    default: 'ACTIVEMQ_OPTS',
    description: "the variable holding the JVM options (Debian's options: ACTIVEMQ_OPTS; upstream bin/env: ACTIVEMQ_OPTS_MEMORY)",
  },
  heap_mb: { type: 'int', min: 16, description: 'the JVM heap in MiB, as both -Xms and -Xmx (a broker\'s heap should not grow while it runs)' },
  jvm_options: {
    type: 'list',
    description: 'the other JVM options, exactly: replace every option of the variable but the heap (left out: kept as they are)',
    items: { type: 'string', singleLine: true, description: 'one JVM option, e.g. -XX:+UseG1GC' },
  },
  out: { type: 'path', description: "ACTIVEMQ_OUT: where the broker's output and console log go (Debian's default is /dev/null)" },
  require_mount: { type: 'path', description: 'the shared store: every start refuses, saying why, while it is not a mount point' },
  service: { type: 'string', default: 'activemq', singleLine: true, description: 'the name the store guard signs its message with' },
} as const satisfies ParamSpecs;

export type ActivemqEnvParams = ParamsOf<typeof params>;

export const STORE_GUARD_BLOCK = 'amq-runbook store guard';

const HEAP = /^-Xm[sx]\S*$/;

/** The JVM options after the heap and the other options are applied to the current ones. Pure. */
export function jvmOptions(current: string | undefined, heapMb: number | undefined, others: readonly string[] | undefined): string {
  const tokens = (current ?? '').split(/\s+/).filter(Boolean);
  const heap = heapMb === undefined ? tokens.filter((t) => HEAP.test(t)) : [`-Xms${heapMb}M`, `-Xmx${heapMb}M`];
  const rest = others === undefined ? tokens.filter((t) => !HEAP.test(t)) : others.map(escapeDouble);
  return [...heap, ...rest].join(' ');
}

/** The file with the settings applied, and a line per setting that changed. Pure. */
export function editEnv(text: string, p: ActivemqEnvParams): { text: string; details: string[] } {
  const details: string[] = [];
  const guardLine = blockMarkers(STORE_GUARD_BLOCK).begin;
  let out = text;
  const set = (name: string, raw: string) => {
    const before = rawValue(out, name);
    if (before === raw) return;
    out = setRawValue(out, name, raw, guardLine);
    details.push(`${name}: ${before ?? '(unset)'} -> ${raw}`);
  };
  if (p.heap_mb !== undefined || p.jvm_options !== undefined) set(p.opts_variable, jvmOptions(rawValue(out, p.opts_variable), p.heap_mb, p.jvm_options));
  if (p.out !== undefined) set('ACTIVEMQ_OUT', escapeDouble(p.out));
  const guard = p.require_mount === undefined ? null : storeGuardShell(p.service, p.require_mount);
  const had = blockBody(out, STORE_GUARD_BLOCK);
  if ((had ?? null) !== guard) {
    out = setBlock(out, STORE_GUARD_BLOCK, guard);
    details.push(guard === null ? 'store guard: removed' : `store guard: ${had === undefined ? 'added' : 'changed'} (starts refuse while ${p.require_mount} is not mounted)`);
  }
  return { text: out, details };
}

async function startingText(ctx: CheckContext, p: ActivemqEnvParams): Promise<{ text: string; from: string } | null> {
  const now = await ctx.read(p.file);
  if (now !== null) return null;
  if (p.seed === undefined) throw new CheckFailed(`${p.file} does not exist; give seed (Debian: /usr/share/activemq/activemq-options) to start from a copy`);
  const seed = await ctx.read(p.seed);
  if (seed === null) throw new CheckFailed(`${p.file} does not exist, and neither does its seed ${p.seed}: is ActiveMQ installed?`);
  return { text: seed, from: p.seed };
}

/** Brokers of one task run the same heap: after a failover the slave carries the master's load. */
function cluster(group: readonly HostTask<ActivemqEnvParams>[], report: (p: ClusterProblem) => void): void {
  if (group.length < 2) return;
  mustAgree(group, 'heap_mb', (t) => (t.params.heap_mb === undefined ? undefined : `${t.params.heap_mb} MiB`), (p) => report({ ...p, severity: 'warning' }), {
    code: 'amq-heap-mismatch',
    what: 'heap_mb',
    hint: 'a slave takes over the master\'s load: give the brokers of one cluster the same heap',
  });
}

export const activemqEnv = defineModule({
  name: 'activemq_env',
  summary: "The broker's start environment: JVM heap and options, its log, and the shared-store guard",
  docs: `Edits the file of shell variables the broker's start script sources, in place: Debian's
instance \`options\` (\`/etc/activemq/instances-available/main/options\`, started from a copy of
\`/usr/share/activemq/activemq-options\` through \`seed\`: Debian reads one or the other, never
both), or a tarball's \`bin/env\`. Other lines stay byte for byte.

- \`heap_mb\` sets \`-Xms\` and \`-Xmx\` in \`opts_variable\`; \`jvm_options\`, when given, are all its
  other options.
- \`out\` sets \`ACTIVEMQ_OUT\`: Debian's default sends the broker's output to /dev/null.
- \`require_mount\` adds a guard at the end of the file: a start while that path is not a mount
  point fails with \`<service>: refusing to start: <path> is not mounted (the shared store)...\`
  on stderr, in \`ACTIVEMQ_OUT\` and to syslog. Debian's init script sources the file right before
  it starts the JVM, so \`service activemq start\` (and \`restart\`, after the stop) refuse.`,
  params,
  cluster,
  examples: `- name: Broker JVM, log and store guard
  activemq_env:
    file: /etc/activemq/instances-available/main/options
    seed: /usr/share/activemq/activemq-options
    heap_mb: 1024
    out: /var/log/activemq/main.out
    require_mount: /shared/activemq-data
`,
  async check(ctx, p) {
    const seeded = await startingText(ctx, p);
    const base = seeded?.text ?? (await ctx.read(p.file))!;
    const edit = editEnv(base, p);
    if (seeded) edit.details.unshift(`a copy of ${seeded.from}`);
    const summary = edit.details.length === 1 ? edit.details[0] : `${edit.details.length} settings`;
    const plan = await planFile(ctx, p.file, edit.text, {}, { summary: `${seeded ? 'create' : 'edit'} ${p.file}: ${summary}`, note: `${p.file} already has these settings` });
    if (plan.status === 'change') for (const c of plan.changes) if (c.kind === 'file') c.details = [...edit.details, ...(c.details ?? [])];
    return plan;
  },
});

import { posix } from 'node:path';
import { q } from '../transport/quote.js';
import { defineModule } from './lib/define.js';
import { change, ok, type Change } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  cmd: { type: 'string', required: true, description: 'the command line, run by sh -c' },
  creates: { type: 'path', description: 'skip the command when this path exists' },
  removes: { type: 'path', description: 'skip the command when this path does not exist' },
  unless: { type: 'string', description: 'skip the command when this read-only command exits 0' },
  chdir: { type: 'path', description: 'directory to run the command in' },
} as const satisfies ParamSpecs;

export type CommandParams = ParamsOf<typeof params>;

export const command = defineModule({
  name: 'command',
  summary: 'Run a shell command, guarded so that a second run does nothing',
  docs: `Runs \`cmd\` through \`sh -c\` on the host.

A bare command runs on every run and always reports **changed**. Guard it so the runbook converges:
- \`creates\`: skip when this path exists;
- \`removes\`: skip when this path does not exist;
- \`unless\`: skip when this read-only command exits 0.

In a dry-run the guards are evaluated; the command itself never runs, and is shown as what would run.
Its effect on later tasks cannot be known before it runs, so they may report *unknown*.`,
  freeForm: 'cmd',
  params,
  examples: `- name: Reload the NFS exports
  command: { cmd: exportfs -ra }
- name: Unpack ActiveMQ once
  command:
    cmd: tar -xzf /tmp/apache-activemq-5.17.2-bin.tar.gz -C /opt
    creates: /opt/apache-activemq-5.17.2
`,
  async check(ctx, p) {
    // A relative guard path is relative to the directory the command runs in.
    const at = (path: string) => (p.chdir === undefined || posix.isAbsolute(path) ? path : posix.join(p.chdir, path));
    const creates = p.creates === undefined ? undefined : at(p.creates);
    const removes = p.removes === undefined ? undefined : at(p.removes);
    const why: string[] = [];
    if (creates !== undefined) {
      if (await ctx.stat(creates)) return ok(`${creates} already exists`);
      why.push(`${creates} does not exist`);
    }
    if (removes !== undefined) {
      if (!(await ctx.stat(removes))) return ok(`${removes} already absent`);
      why.push(`${removes} exists`);
    }
    if (p.unless !== undefined) {
      const r = await ctx.run(p.unless);
      if (r.code === 0) return ok(`skipped: ${p.unless} succeeded`);
      why.push(`${p.unless} exited ${r.code}`);
    }
    const run: Extract<Change, { kind: 'command' }> = {
      kind: 'command',
      cmd: p.chdir === undefined ? p.cmd : `cd -- ${q(p.chdir)} || exit 1; ${p.cmd}`,
    };
    if (why.length > 0) run.why = why.join(', ');
    if (creates !== undefined) run.creates = [creates];
    if (removes !== undefined) run.removes = [removes];
    return change(`run ${oneLine(p.cmd)}`, run);
  },
});

/** A command for a summary line: its first line, shortened. */
function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  const first = lines[0].length > 72 ? `${lines[0].slice(0, 71)}…` : lines[0];
  return lines.length > 1 && !first.endsWith('…') ? `${first} …` : first;
}

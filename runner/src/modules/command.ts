import { posix } from 'node:path';
import { q } from '../transport/quote.js';
import { withEnv } from './lib/env.js';
import { defineModule, type ParamProblem } from './lib/define.js';
import { change, ok, type Change } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  cmd: { type: 'string', required: true, description: 'the command line, run by sh -c' },
  creates: { type: 'path', description: 'skip the command when this path exists' },
  removes: { type: 'path', description: 'skip the command when this path does not exist' },
  unless: { type: 'string', description: 'skip the command when this read-only command exits 0' },
  chdir: { type: 'path', description: 'directory to run the command in' },
  env: { type: 'map', description: 'variables exported in the host\'s shell for the command (and unless): a secret given here is never on a command line' },
} as const satisfies ParamSpecs;

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The env mapping as text values: names checked by validate. */
function environment(env: Record<string, unknown> | undefined): Record<string, string> | undefined {
  if (!env || !Object.keys(env).length) return undefined;
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)]));
}

export type CommandParams = ParamsOf<typeof params>;

export const command = defineModule({
  name: 'command',
  summary: 'Run a shell command, guarded so that a second run does nothing',
  docs: `Runs \`cmd\` through \`sh -c\` on the host.

A bare command runs on every run and always reports **changed**. Guard it so the runbook converges:
- \`creates\`: skip when this path exists;
- \`removes\`: skip when this path does not exist;
- \`unless\`: skip when this read-only command exits 0.

\`env\` exports variables in the host's shell before the command (and \`unless\`) runs. Their values
go to the shell on its standard input, never on a command line, so a secret passed as
\`env: { TOKEN: "{{ token }}" }\` and used as \`$TOKEN\` does not show in the host's process list
(a secret written into \`cmd\` itself does).

In a dry-run the guards are evaluated; the command itself never runs, and is shown as what would run.
Whether it succeeds is known only when it runs, and so is its effect on later tasks: without
\`creates\` or \`removes\`, a later task's check that fails in the dry-run is reported *unknown*
instead of *would fail*, since the command might have changed what it found.`,
  freeForm: 'cmd',
  params,
  validate(p) {
    return Object.entries(p.env ?? {}).flatMap(([k, v]): ParamProblem[] => {
      if (!ENV_NAME.test(k)) return [{ param: 'env', path: ['env', k], message: `'${k}' is not a variable name for a shell`, hint: 'letters, digits and _, not starting with a digit', code: 'bad-value' }];
      if (v !== null && typeof v === 'object') return [{ param: 'env', path: ['env', k], message: `env ${k} must be a text, number or boolean, not a list or a mapping`, code: 'wrong-type' }];
      return [];
    });
  },
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
    const env = environment(p.env);
    if (p.unless !== undefined) {
      const guard: { cmd: string; stdin?: string } = env ? withEnv(p.unless, env) : { cmd: p.unless };
      const r = await ctx.run(guard.cmd, guard.stdin !== undefined ? { stdin: guard.stdin } : {});
      // The guard ran on the host as it is: in a dry-run, not as the earlier tasks would have left it.
      if (r.code === 0) return ok(`skipped: ${p.unless} succeeded`, ctx.changedEarlier ? `unless ran before the earlier changes of this run were made` : undefined);
      why.push(`${p.unless} exited ${r.code}`);
    }
    const run: Extract<Change, { kind: 'command' }> = {
      kind: 'command',
      cmd: p.chdir === undefined ? p.cmd : `cd -- ${q(p.chdir)} || exit 1; ${p.cmd}`,
    };
    if (why.length > 0) run.why = why.join(', ');
    if (creates !== undefined) run.creates = [creates];
    if (removes !== undefined) run.removes = [removes];
    // With a guard path the command says what it makes (or takes away); without, it may change anything.
    if (creates !== undefined || removes !== undefined) run.declared = true;
    if (env) run.env = env;
    const plan = change(`run ${oneLine(p.cmd)}`, run);
    if (ctx.dryRun) plan.unknown = 'whether a command succeeds is known only when it runs';
    return plan;
  },
});

/** A command for a summary line: its first line, shortened. */
function oneLine(text: string): string {
  const lines = text.trim().split('\n');
  const first = lines[0].length > 72 ? `${lines[0].slice(0, 71)}…` : lines[0];
  return lines.length > 1 && !first.endsWith('…') ? `${first} …` : first;
}

import { posix } from 'node:path';
import { cmd } from '../transport/quote.js';
import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { requireParent } from './lib/file-target.js';
import { change, ok, type Change } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  path: { type: 'path', required: true, description: 'where the symbolic link is' },
  target: { type: 'path', requiredWhen: { state: 'present' }, onlyWhen: { state: 'present' }, description: 'what the link points to (written as given: absolute or relative to the link)' },
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the link exists' },
  force: { type: 'bool', default: false, description: 'replace a file (never a directory) that is where the link should be' },
} as const satisfies ParamSpecs;

export type LinkParams = ParamsOf<typeof params>;

/** Makes the link beside its place and renames it over, so readers never find the path missing. */
export function linkCommand(path: string, target: string): string {
  const tmp = posix.join(posix.dirname(path), `.${posix.basename(path)}.amq-runbook.tmp`);
  return `${cmd('ln', '-sfn', '--', target, tmp)} && ${cmd('mv', '-Tf', '--', tmp, path)}`;
}

async function currentTarget(ctx: CheckContext, path: string): Promise<string> {
  const line = cmd('readlink', '--', path);
  const r = await ctx.run(line);
  if (r.code !== 0) throw new CheckFailed(`cannot read the link ${path}: ${r.stderr.trim() || `exit ${r.code}`}`, { cmd: line, ...r });
  return r.stdout.replace(/\n$/, '');
}

export const link = defineModule({
  name: 'link',
  summary: 'A symbolic link pointing where it should (or absent)',
  docs: `Ensures \`path\` is a symbolic link to \`target\`, or that no link is there (\`state: absent\`).

A link pointing elsewhere is replaced in one step (a new link renamed over it). A file in its place
is an error unless \`force: true\`; a directory always is. Debian enables an ActiveMQ instance with
such a link: \`/etc/activemq/instances-enabled/main\` → \`/etc/activemq/instances-available/main\`.`,
  params,
  examples: `- name: Enable the ActiveMQ instance
  link:
    path: /etc/activemq/instances-enabled/main
    target: /etc/activemq/instances-available/main
`,
  async check(ctx, p) {
    const stat = await ctx.stat(p.path);
    if (p.state === 'absent') {
      if (!stat) return ok(`${p.path} already absent`);
      if (stat.type !== 'link') throw new CheckFailed(`${p.path} is not a symbolic link; remove it with a ${stat.type === 'dir' ? 'directory' : 'file'} task`);
      return change(`remove the link ${p.path}`, { kind: 'command', cmd: cmd('rm', '-f', '--', p.path), why: `remove ${p.path}`, removes: [p.path], declared: true });
    }
    const target = p.target!;
    if (posix.resolve(posix.dirname(p.path), target) === posix.resolve(p.path)) throw new CheckFailed(`${p.path} cannot be a link to itself: give target another path`);
    const make: Change = { kind: 'command', cmd: linkCommand(p.path, target), why: `link ${p.path} -> ${target}`, creates: [p.path], declared: true };
    if (!stat) {
      await requireParent(ctx, p.path);
      return change(`link ${p.path} -> ${target}`, make);
    }
    if (stat.type === 'link') {
      const now = await currentTarget(ctx, p.path);
      if (now === target) return ok(`${p.path} -> ${target}`);
      return change(`relink ${p.path}: ${now} -> ${target}`, make);
    }
    if (stat.type === 'dir') throw new CheckFailed(`${p.path} is a directory, not a symbolic link; it is left as it is`);
    if (!p.force) throw new CheckFailed(`${p.path} is a ${stat.type === 'file' ? 'file' : 'special file'}, not a symbolic link (set force: true to replace it)`);
    return change(`replace the file ${p.path} with a link to ${target}`, make);
  },
});

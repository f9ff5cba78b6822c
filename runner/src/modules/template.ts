import { backup, group, mode, owner } from './lib/common.js';
import { CheckFailed, Unknowable } from './lib/context.js';
import { refusal, refused } from './lib/candidate.js';
import { defineModule } from './lib/define.js';
import { planFile, readLocal } from './lib/file-target.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  src: { type: 'path', required: true, description: 'the template file, relative to the playbook' },
  dest: { type: 'path', required: true, description: 'absolute path of the rendered file on the host' },
  owner,
  group,
  mode,
  validate: { type: 'string', description: 'command that checks the candidate file; %s is its path' },
  backup,
} as const satisfies ParamSpecs;

export type TemplateParams = ParamsOf<typeof params>;

export const template = defineModule({
  name: 'template',
  summary: 'A file rendered from a local template with the {{ }} expressions',
  docs: `Renders \`src\` (a file next to the playbook) with the same \`{{ }}\` expressions as the runbook,
with the host's variables, and writes the result to \`dest\` atomically.

\`validate\` runs a command on the candidate file before it replaces the old one; \`%s\` is the
candidate's path (\`haproxy -c -f %s\`). A failing check leaves the old file in place. The check
also runs before anything is written (the candidate on stdin, \`%s\` as /dev/stdin), so a dry-run
already says that the new file would be refused.`,
  params,
  validate(p) {
    if (p.validate !== undefined && !p.validate.includes('%s')) {
      return [{ param: 'validate', message: "validate must contain '%s' (the candidate file's path)", code: 'bad-value' }];
    }
    return [];
  },
  examples: `- name: Broker environment
  template:
    src: templates/activemq.default.tpl
    dest: /etc/default/activemq
    mode: "0644"
`,
  async check(ctx, p) {
    const text = await readLocal(ctx, p.src);
    let after: string;
    try {
      after = ctx.render(text, p.src);
    } catch (e) {
      if (e instanceof CheckFailed || e instanceof Unknowable) throw e;
      throw new CheckFailed(`cannot render ${p.src}: ${(e as Error).message}`);
    }
    const plan = await planFile(ctx, p.dest, after, p, { backup: p.backup, validate: p.validate });
    // The candidate is checked now, so a dry-run already refuses what the write would.
    const writes = plan.status === 'change' && plan.changes.some((c) => c.kind === 'file');
    const r = writes && p.validate !== undefined ? await refusal(ctx, p.validate, after, `the new ${p.dest}`) : undefined;
    if (r) throw refused(`the new ${p.dest}`, p.validate!, r);
    return plan;
  },
});

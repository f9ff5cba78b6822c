import { cmd } from '../transport/quote.js';
import { lookupGroup, lookupUser, type PasswdEntry } from './facts/accounts.js';
import { CheckFailed, Unknowable, type CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { requireAccounts } from './lib/file-target.js';
import { change, ok } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const present = { state: 'present' } as const;

const params = {
  name: { type: 'string', required: true, singleLine: true, description: 'the user name' },
  uid: { type: 'int', min: 0, onlyWhen: present, description: 'its numeric id (the same on every host that shares files over NFS)' },
  group: { type: 'string', singleLine: true, onlyWhen: present, description: 'its primary group, by name or gid (create it first with a group task)' },
  home: { type: 'path', onlyWhen: present, description: 'its home directory' },
  shell: { type: 'path', onlyWhen: present, description: 'its login shell (/usr/sbin/nologin for a service)' },
  comment: { type: 'string', singleLine: true, onlyWhen: present, description: 'the comment (GECOS) field' },
  system: { type: 'bool', default: false, onlyWhen: present, description: 'a system user (a uid from the system range), when it is created' },
  create_home: { type: 'bool', default: false, onlyWhen: present, description: 'create the home directory when the user is created' },
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the user exists (absent leaves its files)' },
} as const satisfies ParamSpecs;

export type UserParams = ParamsOf<typeof params>;

/** The gid a group parameter names: a number as it is, a name looked up on the host. */
async function gidOf(ctx: CheckContext, group: string): Promise<number> {
  if (/^\d+$/.test(group)) return Number(group);
  const g = await lookupGroup(ctx, group);
  if (g) return g.gid;
  if (ctx.dryRun) throw new Unknowable(`group ${group} does not exist yet (an earlier task may create it)`);
  throw new CheckFailed(`group ${group} does not exist: create it first with a group task`);
}

/** usermod's options for what differs, with the words saying it. */
async function differences(ctx: CheckContext, cur: PasswdEntry, p: UserParams): Promise<{ args: string[]; what: string[] }> {
  const args: string[] = [];
  const what: string[] = [];
  if (p.uid !== undefined && cur.uid !== p.uid) {
    args.push('--uid', String(p.uid));
    what.push(`uid ${cur.uid} -> ${p.uid}`);
  }
  if (p.group !== undefined) {
    const gid = await gidOf(ctx, p.group);
    if (cur.gid !== gid) {
      args.push('--gid', p.group);
      what.push(`group ${cur.gid} -> ${p.group}`);
    }
  }
  const text = [
    ['home', '--home', cur.home, p.home],
    ['shell', '--shell', cur.shell, p.shell],
    ['comment', '--comment', cur.comment, p.comment],
  ] as const;
  for (const [name, flag, now, want] of text) {
    if (want === undefined || now === want) continue;
    args.push(flag, want);
    what.push(`${name} ${now || '(empty)'} -> ${want}`);
  }
  return { args, what };
}

export const user = defineModule({
  name: 'user',
  summary: 'A local user: the account a service runs as',
  docs: `Ensures a local user exists with the given uid, primary group, home, shell and comment
(\`useradd\`, then \`usermod\` for what differs), or does not (\`userdel\`, which leaves its files).

A service account: \`system: true\`, \`shell: /usr/sbin/nologin\`, no home created. Brokers and the
NFS server see the store's owner by number, so give the user the same \`uid\` (and its group the
same gid) everywhere. Debian's activemq package creates \`activemq\` when it does not exist yet;
a tarball install needs this task.`,
  freeForm: 'name',
  params,
  examples: `- name: The ActiveMQ user
  user: { name: activemq, uid: 990, group: activemq, home: /var/lib/activemq, shell: /usr/sbin/nologin, system: true }
`,
  async check(ctx, p) {
    const cur = await lookupUser(ctx, p.name);
    if (p.state === 'absent') {
      return cur ? change(`remove user ${p.name}`, { kind: 'command', cmd: cmd('userdel', p.name), why: `remove user ${p.name}`, accounts: [{ kind: 'user', name: p.name, exists: false }], declared: true }) : ok(`user ${p.name} already absent`);
    }
    // useradd and usermod refuse a group that does not exist, after nothing else was done.
    if (p.group !== undefined) await requireAccounts(ctx, { group: p.group });
    if (!cur) {
      const args = ['useradd', ...(p.system ? ['--system'] : []), p.create_home ? '--create-home' : '--no-create-home'];
      if (p.uid !== undefined) args.push('--uid', String(p.uid));
      if (p.group !== undefined) args.push('--gid', p.group);
      if (p.home !== undefined) args.push('--home-dir', p.home);
      if (p.shell !== undefined) args.push('--shell', p.shell);
      if (p.comment !== undefined) args.push('--comment', p.comment);
      return change(`create user ${p.name}`, { kind: 'command', cmd: cmd(...args, p.name), why: `create user ${p.name}`, accounts: [{ kind: 'user', name: p.name, exists: true }], ...(p.create_home && p.home !== undefined ? { creates: [p.home] } : {}), declared: true });
    }
    const d = await differences(ctx, cur, p);
    if (d.args.length) return change(`user ${p.name}: ${d.what.join(', ')}`, { kind: 'command', cmd: cmd('usermod', ...d.args, p.name), why: `update user ${p.name}`, declared: true });
    return ok(`user ${p.name} (uid ${cur.uid}, gid ${cur.gid}, home ${cur.home}, shell ${cur.shell})`);
  },
});

import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule, type ClusterProblem, type HostTask, type ParamProblem } from './lib/define.js';
import { readCurrent, writeChange } from './lib/file-target.js';
import { mustAgree } from './lib/cluster.js';
import { change, ok, type Change, type Plan } from './lib/plan.js';
import { describeUserChanges, renderGroups, renderUsers } from './text/users-properties.js';
import { describeRealmChanges, renderLoginConfig, renderRealm } from './text/login-files.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  conf_dir: { type: 'path', required: true, description: "the broker's conf directory" },
  users: {
    type: 'list',
    default: [],
    uniqueBy: 'name',
    description: 'the users: { name, password, groups }',
    items: {
      type: 'map',
      description: 'one user',
      fields: {
        name: { type: 'string', required: true, description: 'user name' },
        password: { type: 'string', required: true, secret: true, description: 'password, from a secret' },
        groups: { type: 'list', items: { type: 'string', description: 'a group' }, default: [], description: 'groups the user belongs to' },
      },
    },
  },
  owner: { type: 'string', default: 'activemq', description: 'user that owns the files: the broker runs as it and reads them' },
  group: { type: 'string', default: 'activemq', description: "the files' group" },
  mode: { type: 'mode', default: '0640', description: 'permissions of the files: they hold passwords, so no one else reads them' },
  login_config: { type: 'bool', default: true, description: "write login.config beside them: the JAAS entry 'activemq' the broker's authentication plugin names" },
  console_realm: { type: 'path', description: "the web console's Jetty realm file (jetty-realm.properties), where a console runs: the same users" },
  console_admin_group: { type: 'string', default: 'admins', description: "the group whose users get the console's admin role (the others get user)" },
  backup: { type: 'bool', default: false, description: 'keep the old files before replacing them' },
} as const satisfies ParamSpecs;

export type ActivemqUsersParams = ParamsOf<typeof params>;

/** Every broker has the same users, groups and passwords (passwords compared, never shown). */
function cluster(group: readonly HostTask<ActivemqUsersParams>[], report: (p: ClusterProblem) => void): void {
  const users = (t: HostTask<ActivemqUsersParams>) => t.params.users.slice().sort((a, b) => a.name.localeCompare(b.name));
  const hint = 'every broker must have the same users and passwords, or clients fail after a failover';
  const names = (t: HostTask<ActivemqUsersParams>) => users(t).map((u) => (u.groups.length ? `${u.name} (${[...u.groups].sort().join(', ')})` : u.name)).join(', ') || 'no users';
  mustAgree(group, 'users', names, report, { code: 'amq-users-mismatch', what: 'the users', hint });
  const first = group[0];
  const other = group.find((t) => names(t) === names(first) && users(t).some((u, i) => u.password !== users(first)[i].password));
  if (other) report({ at: other.at(['users']), code: 'amq-users-mismatch', message: `the passwords differ between ${first.host} and ${other.host}`, hint });
}

async function check(ctx: CheckContext, p: ActivemqUsersParams): Promise<Plan> {
  const dir = await ctx.stat(p.conf_dir);
  if (dir?.type !== 'dir') {
    const why = dir ? `${p.conf_dir} is not a directory` : `${p.conf_dir} does not exist`;
    throw new CheckFailed(`${why}: conf_dir must be the broker's conf directory (the one holding activemq.xml)`);
  }
  const base = p.conf_dir.replace(/\/+$/, '');
  const usersPath = `${base}/users.properties`;
  const groupsPath = `${base}/groups.properties`;
  const [curUsers, curGroups] = await Promise.all([readCurrent(ctx, usersPath), readCurrent(ctx, groupsPath)]);
  const said = describeUserChanges(curUsers?.text ?? null, curGroups?.text ?? null, p.users);
  const files: [string, string, string[]][] = [
    [usersPath, renderUsers(p.users), said.users],
    [groupsPath, renderGroups(p.users), said.groups],
  ];
  if (p.login_config) files.push([`${base}/login.config`, renderLoginConfig(), ['JAAS entry activemq: PropertiesLoginModule on users.properties and groups.properties']]);
  const attrs = { owner: p.owner, group: p.group, mode: p.mode };
  const changes: Change[] = [];
  for (const [path, after, details] of files) {
    const cur = path === usersPath ? curUsers : path === groupsPath ? curGroups : await readCurrent(ctx, path);
    const write = await writeChange(ctx, path, cur, after, attrs, { backup: p.backup, details: details.length ? details : ['rewritten as managed'] });
    if (write) changes.push(write);
  }
  if (p.console_realm !== undefined) {
    const cur = await readCurrent(ctx, p.console_realm);
    const after = renderRealm(p.users, p.console_admin_group);
    const write = await writeChange(ctx, p.console_realm, cur, after, attrs, { backup: p.backup, details: describeRealmChanges(cur?.text ?? null, after) });
    if (write) changes.push(write);
  }
  const names = p.users.map((u) => u.name).sort().join(', ') || 'no users';
  if (!changes.length) return ok(`users as wanted: ${names}`);
  return change(`broker users: ${names}`, ...changes);
}

export const activemqUsers = defineModule({
  name: 'activemq_users',
  summary: 'Broker users, passwords and groups (users.properties, groups.properties, login.config, the console realm)',
  docs: `Writes \`users.properties\` (user=password) and \`groups.properties\` (group=user,user) in the
broker's conf directory, and \`login.config\`, whose entry \`activemq\` points JAAS's
PropertiesLoginModule at them (the entry the broker's authentication plugin names: see
activemq_broker's \`anonymous_access\`). The files hold exactly these users; they belong to the
broker's user and group (\`owner\`, \`group\`: activemq) with mode 0640, as they hold passwords.

Where a web console runs, \`console_realm\` (its \`jetty-realm.properties\`) gets the same users:
those of \`console_admin_group\` with the role admin, the others with the role user.

Passwords come only from secrets (\`{{ admin_password }}\` with \`admin_password\` under
\`secrets:\`), and are masked in every output and diff. Every broker of a cluster must have the same
users: validation checks this across the hosts of a play.`,
  params,
  cluster,
  validate(p) {
    const out: ParamProblem[] = [];
    for (const u of p.users) {
      if (!/^[A-Za-z0-9_.@-]+$/.test(u.name)) out.push({ param: 'users', message: `user name '${u.name}' may only hold letters, digits and _ . @ -`, code: 'bad-value' });
    }
    return out;
  },
  examples: `- name: Broker users
  activemq_users:
    conf_dir: /etc/activemq/instances-available/main
    users:
      - { name: admin, password: "{{ admin_password }}", groups: [admins] }
`,
  check,
});

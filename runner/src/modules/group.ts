import { cmd } from '../transport/quote.js';
import { lookupGroup } from './facts/accounts.js';
import { defineModule } from './lib/define.js';
import { change, ok } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  name: { type: 'string', required: true, singleLine: true, description: 'the group name' },
  gid: { type: 'int', min: 0, onlyWhen: { state: 'present' }, description: 'its numeric id (the same on every host that shares files over NFS)' },
  system: { type: 'bool', default: false, onlyWhen: { state: 'present' }, description: 'a system group (a gid from the system range), when it is created' },
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the group exists' },
} as const satisfies ParamSpecs;

export type GroupParams = ParamsOf<typeof params>;

export const group = defineModule({
  name: 'group',
  summary: 'A local group, with its gid',
  docs: `Ensures a local group exists (\`groupadd\`, \`groupmod --gid\`) or does not (\`groupdel\`).

Hosts that share files over NFS see owners by number: give the service group the same \`gid\` on
the NFS server and on every broker. \`system\` only matters when the group is created.`,
  freeForm: 'name',
  params,
  examples: `- name: The ActiveMQ group
  group: { name: activemq, gid: 990, system: true }
`,
  async check(ctx, p) {
    const cur = await lookupGroup(ctx, p.name);
    if (p.state === 'absent') {
      return cur ? change(`remove group ${p.name}`, { kind: 'command', cmd: cmd('groupdel', p.name), why: `remove group ${p.name}`, accounts: [{ kind: 'group', name: p.name, exists: false }], declared: true }) : ok(`group ${p.name} already absent`);
    }
    if (!cur) {
      const args = ['groupadd', ...(p.system ? ['--system'] : []), ...(p.gid !== undefined ? ['--gid', String(p.gid)] : []), p.name];
      return change(`create group ${p.name}${p.gid !== undefined ? ` (gid ${p.gid})` : ''}`, { kind: 'command', cmd: cmd(...args), why: `create group ${p.name}`, accounts: [{ kind: 'group', name: p.name, exists: true }], declared: true });
    }
    if (p.gid !== undefined && cur.gid !== p.gid) {
      return change(`group ${p.name}: gid ${cur.gid} -> ${p.gid}`, { kind: 'command', cmd: cmd('groupmod', '--gid', String(p.gid), p.name), why: `gid of ${p.name}`, declared: true });
    }
    return ok(`group ${p.name} (gid ${cur.gid})`);
  },
});

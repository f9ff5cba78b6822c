import { cmd } from '../transport/quote.js';
import { CheckFailed, type CheckContext } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { packageManager, type PackageManager } from './facts/os.js';
import { dpkgQuery, parseDpkgQuery, parseRpmQuery, rpmQuery } from './facts/packages.js';
import { change, ok, type Change } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  name: { type: ['string', 'list'], items: { type: 'string', description: 'a package name' }, required: true, description: 'a package name or a list of them' },
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the packages are installed or removed' },
  manager: { type: 'string', choices: ['auto', 'apt', 'dnf', 'yum'], default: 'auto', description: 'the package manager; auto detects it' },
  update_cache: { type: 'bool', default: false, description: 'refresh the package index (apt-get update) before installing' },
} as const satisfies ParamSpecs;

export type PackageParams = ParamsOf<typeof params>;

export const pkg = defineModule({
  name: 'package',
  summary: 'OS packages present or absent (apt, dnf or yum, detected)',
  docs: `Ensures that OS packages are installed (\`present\`) or removed (\`absent\`).

The package manager is detected on the host (apt on Debian and Ubuntu, dnf or yum on RHEL and
its kin) unless \`manager\` names one. Only the packages not yet in the desired state are passed
to the install or remove command, so a second run does nothing.`,
  freeForm: 'name',
  params,
  examples: `- name: Install the NFS server
  package: { name: nfs-kernel-server }
- name: Install ActiveMQ and Java
  package:
    name: [activemq, default-jre-headless]
    update_cache: true
`,
  async check(ctx, p) {
    const names = [...new Set(typeof p.name === 'string' ? [p.name] : p.name)];
    if (names.length === 0) return ok('no packages named');
    const manager = await managerOf(ctx, p.manager);
    const installed = new Set(await queryInstalled(ctx, manager, names));
    const present = p.state === 'present';
    const todo = names.filter((n) => installed.has(n) !== present);
    if (todo.length === 0) return ok(`${names.join(', ')} already ${present ? 'installed' : 'absent'}`);
    const changes: Change[] = [];
    if (present && p.update_cache) changes.push({ kind: 'command', cmd: refresh(manager), why: 'update_cache' });
    changes.push({ kind: 'command', cmd: act(manager, present ? 'install' : 'remove', todo) });
    return change(`${present ? 'install' : 'remove'} ${todo.join(', ')}`, ...changes);
  },
});

async function managerOf(ctx: CheckContext, chosen: PackageParams['manager']): Promise<PackageManager> {
  if (chosen !== 'auto') return chosen;
  const found = await ctx.fact(packageManager);
  if (!found) throw new CheckFailed(`no supported package manager on ${ctx.host.name}: none of apt-get, dnf or yum was found`);
  return found;
}

async function queryInstalled(ctx: CheckContext, manager: PackageManager, names: string[]): Promise<string[]> {
  const command = manager === 'apt' ? dpkgQuery(names) : rpmQuery(names);
  const r = await ctx.run(command);
  const result = manager === 'apt' ? parseDpkgQuery(r) : parseRpmQuery(r);
  if ('error' in result) throw new CheckFailed(`cannot tell which packages are installed: ${result.error}`, { cmd: command, ...r });
  return result.installed;
}

function refresh(manager: PackageManager): string {
  return manager === 'apt' ? cmd('apt-get', 'update') : cmd(manager, 'makecache');
}

function act(manager: PackageManager, verb: 'install' | 'remove', names: string[]): string {
  if (manager === 'apt') return cmd('DEBIAN_FRONTEND=noninteractive', 'apt-get', verb, '-y', ...names);
  return cmd(manager, verb, '-y', ...names);
}

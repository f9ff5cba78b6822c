import { group, mode, owner } from './lib/common.js';
import { cmd } from '../transport/quote.js';
import { attrsChange, attrsSetting, wantedAttrs, type AttrsChange, type WantedAttrs } from './lib/attrs.js';
import { CheckFailed, type CheckContext, type FileStat } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { mounts } from './facts/mounts.js';
import { requireAccounts } from './lib/file-target.js';
import { change, ok, type Change } from './lib/plan.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  path: { type: 'path', required: true, description: 'absolute path of the directory' },
  owner,
  group,
  mode,
  recurse: { type: 'bool', default: false, description: 'apply owner and group to everything below the directory' },
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the directory exists' },
} as const satisfies ParamSpecs;

export type DirectoryParams = ParamsOf<typeof params>;

export const directory = defineModule({
  name: 'directory',
  summary: 'A directory with owner, group and mode',
  docs: `Ensures a directory exists (with its parents) and has the given owner, group and mode,
or that it is gone (\`state: absent\`, removed with its contents).

With \`recurse: true\`, owner and group are applied to everything below it too.`,
  freeForm: 'path',
  params,
  examples: `- name: Create the shared data directory
  directory: { path: /data/activemq-data, owner: activemq, group: activemq, mode: "0775" }
`,
  async check(ctx, p) {
    const stat = await ctx.stat(p.path);
    if (stat && stat.type !== 'dir') throw new CheckFailed(`${p.path} exists and is ${kindOf(stat)}, not a directory`);
    if (p.state === 'absent') {
      if (!stat) return ok(`${p.path} already absent`);
      // A filesystem mounted in it keeps it: rm -rf would stop half-way with "Device or resource busy".
      const inside = (await ctx.fact(mounts)).find((m) => m.path === p.path || m.path.startsWith(`${p.path}/`));
      if (inside) throw new CheckFailed(`cannot remove ${p.path}: ${inside.path} is a mount point (unmount it first with a mount task, state: unmounted)`);
      return change(`remove ${p.path}`, { kind: 'remove', path: p.path, before: null });
    }

    const want = await wantedAttrs(ctx, p);
    // A directory whose chown would fail is not made at all.
    await requireAccounts(ctx, want);
    if (!stat) return change(`create ${p.path}`, { kind: 'dir', path: p.path, ...want });
    const deep = p.recurse && (want.owner !== undefined || want.group !== undefined);
    // With recurse, owner and group go to `chown -R`, which covers the directory itself too.
    const top = attrsChange(p.path, stat, deep ? { mode: want.mode } : want);
    const changes: Change[] = top ? [top] : [];
    const chown = deep ? await recursiveChown(ctx, p.path, stat, want) : null;
    if (chown) changes.push(chown);
    if (changes.length === 0) return ok(`${p.path} already ${p.recurse ? 'set up, with everything below it' : 'set up'}`);
    const what = [top ? attrsSetting(top) : '', chown ? `${ownership(want)} recursively` : ''].filter(Boolean);
    return change(`set ${what.join(', ')} on ${p.path}`, ...changes);
  },
});

function kindOf(stat: FileStat): string {
  return stat.type === 'file' ? 'a file' : stat.type === 'link' ? 'a symbolic link' : 'a special file';
}

function ownership(want: WantedAttrs): string {
  if (want.owner === undefined) return `group ${want.group}`;
  return `owner ${want.group === undefined ? want.owner : `${want.owner}:${want.group}`}`;
}

/**
 * The owner and group for everything at and below `path` (`chown -R`) when anything there has
 * others; null when nothing does. `stat` is the directory's own, as a check sees it.
 */
async function recursiveChown(ctx: CheckContext, path: string, stat: FileStat, want: WantedAttrs): Promise<AttrsChange | null> {
  const tests: string[] = [];
  if (want.owner !== undefined) tests.push('!', '-user', want.owner);
  if (want.owner !== undefined && want.group !== undefined) tests.push('-o');
  if (want.group !== undefined) tests.push('!', '-group', want.group);
  const find = cmd('find', path, '(', ...tests, ')', '-printf', '%u\\t%g\\t%p\\n', '-quit');
  const r = await ctx.run(find);
  let [owner, group, first] = r.stdout.split('\n')[0]!.split('\t');
  if (r.code !== 0 && !first) {
    if (!(ctx.dryRun && /No such file or directory/.test(r.stderr))) {
      throw new CheckFailed(`cannot look for files below ${path} with another owner: ${r.stderr.trim() || `exit ${r.code}`}`, { cmd: find, ...r });
    }
    // In a dry-run the directory may exist only in what earlier tasks would do: nothing is below it yet but what they put there.
    [owner, group] = [stat.owner, stat.group];
    first = (want.owner === undefined || want.owner === owner) && (want.group === undefined || want.group === group) ? '' : path;
  }
  if (!first) {
    // What earlier tasks of a dry-run would make of it and put below it, find cannot see.
    const planned = [{ path, stat }, ...ctx.plannedBelow(path)];
    const odd = planned.find((e) => (want.owner !== undefined && e.stat.owner !== want.owner) || (want.group !== undefined && e.stat.group !== want.group));
    if (!odd) return null;
    [owner, group] = [odd.stat.owner, odd.stat.group];
  }
  return {
    kind: 'attrs',
    path,
    recurse: true,
    ...(want.owner !== undefined ? { owner: [owner!, want.owner] as [string, string] } : {}),
    ...(want.group !== undefined ? { group: [group!, want.group] as [string, string] } : {}),
  };
}

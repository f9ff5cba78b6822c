import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Analysis } from './analyze.js';
import type { ConnectionFields } from './model.js';
import { INVALID, renderNode } from './placed.js';

export interface HostConnection {
  name: string;
  connection: 'ssh' | 'local';
  address: string;
  port: number;
  user: string;
  identity?: string;
  password?: string;
  becomePassword?: string;
  knownHosts: string;
  connectTimeoutMs: number;
  /** false: commands never go through sudo on this host. */
  become: boolean;
}

function expandHome(p: string): string {
  return p === '~' ? homedir() : p.startsWith('~/') ? join(homedir(), p.slice(2)) : p;
}

/** How to reach a host: its fields over the inventory defaults over built-in defaults, expressions rendered. */
export function hostConnection(a: Analysis, host: string): HostConnection {
  const inv = a.inventory!;
  const model = inv.hosts.get(host);
  const scope = a.scopes.scope(host, undefined);
  const field = (k: keyof ConnectionFields): unknown => {
    const node = model?.fields[k] ?? inv.defaults[k];
    if (node === undefined) return undefined;
    const v = renderNode({ text: inv.doc.text, doc: inv.doc.yaml, resolver: scope, report: () => undefined }, node);
    return v === INVALID || v === null ? undefined : v;
  };
  const str = (k: keyof ConnectionFields) => (field(k) === undefined ? undefined : String(field(k)));
  const identity = str('identity');
  const password = str('password');
  const becomePassword = str('become_password');
  return {
    name: host,
    connection: str('connection') === 'local' ? 'local' : 'ssh',
    address: str('address') ?? host,
    port: Number(field('port') ?? 22),
    user: str('user') ?? userInfo().username,
    ...(identity ? { identity: expandHome(identity) } : {}),
    ...(password !== undefined ? { password } : {}),
    ...(becomePassword !== undefined ? { becomePassword } : {}),
    knownHosts: expandHome(str('known_hosts') ?? '~/.ssh/known_hosts'),
    connectTimeoutMs: Number(field('connect_timeout') ?? 10) * 1000,
    become: field('become') !== false,
  };
}

/** haproxy.cfg rendered whole from structured frontends and backends. */

export const HAPROXY_HEADER = '# Managed by amq-runbook: edits made here are replaced on the next run.';

export interface CfgServer {
  name: string;
  address: string;
  check: boolean;
  inter?: string;
  fall?: number;
  rise?: number;
  backup: boolean;
}

export interface CfgFrontend {
  name: string;
  bind: string;
  mode: string;
  default_backend: string;
}

export interface CfgBackend {
  name: string;
  mode: string;
  balance: string;
  tcp_check: boolean;
  http_check?: string;
  servers: readonly CfgServer[];
}

export interface HaproxyConfig {
  global: readonly string[];
  /** The stats socket (read by `amq-run status`): a `stats socket` line in the global section. */
  stats_socket?: string;
  defaults: readonly string[];
  frontends: readonly CfgFrontend[];
  backends: readonly CfgBackend[];
}

/** A value that would break the file's line structure. */
export class HaproxyValueError extends Error {}

function line(where: string, value: string): string {
  if (/[\r\n]/.test(value)) throw new HaproxyValueError(`${where} holds a line break: ${JSON.stringify(value)}`);
  return `    ${value.trim()}`;
}

export function serverLine(s: CfgServer): string {
  const words = ['server', s.name, s.address];
  if (s.check ?? true) words.push('check');
  if (s.inter !== undefined) words.push('inter', s.inter);
  if (s.fall !== undefined) words.push('fall', String(s.fall));
  if (s.rise !== undefined) words.push('rise', String(s.rise));
  if (s.backup) words.push('backup');
  return words.join(' ');
}

function section(head: string, lines: readonly string[]): string {
  if (/[\r\n]/.test(head)) throw new HaproxyValueError(`section name holds a line break: ${JSON.stringify(head)}`);
  return [head, ...lines.map((l) => line(head, l))].join('\n');
}

export function renderHaproxyCfg(c: HaproxyConfig): string {
  const global = c.stats_socket === undefined ? c.global : [...c.global, `stats socket ${c.stats_socket} mode 600 level user`];
  const sections = [section('global', global), section('defaults', c.defaults)];
  for (const f of c.frontends) {
    sections.push(section(`frontend ${f.name}`, [`bind ${f.bind}`, `mode ${f.mode}`, `default_backend ${f.default_backend}`]));
  }
  for (const b of c.backends) {
    const lines = [`mode ${b.mode}`, `balance ${b.balance}`];
    if (b.tcp_check) lines.push('option tcp-check');
    if (b.http_check !== undefined) lines.push(`option httpchk ${b.http_check}`);
    lines.push(...b.servers.map(serverLine));
    sections.push(section(`backend ${b.name}`, lines));
  }
  return `${HAPROXY_HEADER}\n${sections.join('\n\n')}\n`;
}

/** Each section of a haproxy.cfg (by its header line) with its body, to name what changed. */
export function sectionsOf(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let head: string | undefined;
  let body: string[] = [];
  const flush = () => {
    if (head !== undefined) out.set(head, body.join('\n').trim());
  };
  for (const l of text.split('\n')) {
    if (/^[a-z]/.test(l)) {
      flush();
      head = l.trim().replace(/\s+/g, ' ');
      body = [];
    } else if (!/^\s*#/.test(l)) body.push(l.trim());
  }
  flush();
  return out;
}

/** `backend be: changed`, `frontend fe: added`, ... */
export function describeCfgChanges(before: string | null, after: string): string[] {
  if (before === null) return [`${after.split('\n').filter((l) => /^[a-z]/.test(l)).length} sections written (new file)`];
  const a = sectionsOf(before);
  const b = sectionsOf(after);
  const out: string[] = [];
  for (const [head, body] of b) {
    if (!a.has(head)) out.push(`${head}: added`);
    else if (a.get(head) !== body) out.push(`${head}: changed`);
  }
  for (const head of a.keys()) if (!b.has(head)) out.push(`${head}: removed`);
  return out;
}

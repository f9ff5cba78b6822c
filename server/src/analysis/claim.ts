/**
 * Which documents the server serves. A runbook is claimed by its content (a top-level `plays:`) or
 * by the editor's globs; an inventory when an open runbook names it, or by a glob. Other YAML files
 * are left alone.
 */

export type Claim = 'playbook' | 'inventory';

export interface ClaimInput {
  /** Absolute path, when the document is a file. */
  path?: string;
  /** The client's language id: 'runbook' means the editor already decided. */
  languageId?: string;
  text: string;
  /** Globs such as `**\/*.runbook.yaml`, matched against the path. */
  globs: readonly string[];
  /** Paths of inventories named by open runbooks. */
  inventories: ReadonlySet<string>;
}

const PLAYS = /^plays[ \t]*:/m;
const INVENTORY_KEYS = /^(hosts|groups|defaults)[ \t]*:/m;
const PLAYBOOK_KEYS = /^(name|plays)[ \t]*:/m;

export function looksLikePlaybook(text: string): boolean {
  return PLAYS.test(text);
}

function byContent(text: string): Claim {
  return !PLAYBOOK_KEYS.test(text) && INVENTORY_KEYS.test(text) ? 'inventory' : 'playbook';
}

export function claim(input: ClaimInput): Claim | undefined {
  if (looksLikePlaybook(input.text)) return 'playbook';
  if (input.path && input.inventories.has(input.path)) return 'inventory';
  if (input.languageId === 'runbook') return byContent(input.text);
  if (input.path && input.globs.some((g) => globToRegExp(g).test(input.path!))) return byContent(input.text);
  return undefined;
}

const cache = new Map<string, RegExp>();

/** `**` any folders, `*` and `?` within a name, `{a,b}` alternatives; a glob without `/` matches the file name. */
export function globToRegExp(glob: string): RegExp {
  let re = cache.get(glob);
  if (re) return re;
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '{') {
      const close = glob.indexOf('}', i);
      if (close < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, close).split(',').map(escape).join('|')})`;
        i = close;
      }
    } else out += escape(c);
  }
  re = new RegExp(`(?:^|/)${out}$`);
  cache.set(glob, re);
  return re;
}

function escape(s: string): string {
  return s.replace(/[.+^$()|[\]\\]/g, '\\$&');
}

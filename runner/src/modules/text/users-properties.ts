import { pushTo } from '../../util/multimap.js';

/** users.properties and groups.properties for ActiveMQ's JAAS PropertiesLoginModule. */

export const MANAGED_HEADER = '# Managed by amq-runbook: edits made here are replaced on the next run.';

export interface PropertyUser {
  name: string;
  password: string;
  groups: readonly string[];
}

const escapeChars = (s: string) =>
  s
    .replace(/\\/g, '\\\\')
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')
    .replace(/\f/g, '\\f')
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);

/** A key as java.util.Properties reads it back (ISO-8859-1 file, so other characters as \uXXXX). */
export const escapeKey = (s: string) => escapeChars(s).replace(/[=: #!]/g, (c) => `\\${c}`);

/** A value: separators need no escape after the key, a leading space does. */
export const escapeValue = (s: string) => escapeChars(s).replace(/^ /, '\\ ');

const byName = <T>(entries: [string, T][]) => entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function render(entries: [string, string][]): string {
  return [MANAGED_HEADER, ...byName(entries).map(([k, v]) => `${escapeKey(k)}=${escapeValue(v)}`)].join('\n') + '\n';
}

export function renderUsers(users: readonly PropertyUser[]): string {
  return render(users.map((u) => [u.name, u.password]));
}

/** Each group with its users, both sorted. */
export function groupMembers(users: readonly PropertyUser[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const u of users) for (const g of u.groups) pushTo(groups, g, u.name);
  return new Map(byName([...groups].map(([g, members]): [string, string[]] => [g, [...new Set(members)].sort()])));
}

export function renderGroups(users: readonly PropertyUser[]): string {
  return render([...groupMembers(users)].map(([g, members]) => [g, members.join(',')]));
}

/** The keys and values of a properties file, enough to say what changed (no continuation lines). */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.replace(/^\s+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    const m = /^((?:\\.|[^=:\s\\])*)\s*[=:\s]\s*(.*)$/.exec(line);
    const key = (m ? m[1] : line).replace(/\\(.)/g, '$1');
    out.set(key, m ? m[2] : '');
  }
  return out;
}

/** Human lines for what the new users.properties and groups.properties change; never a password. */
export function describeUserChanges(oldUsers: string | null, oldGroups: string | null, users: readonly PropertyUser[]): { users: string[]; groups: string[] } {
  const before = parseProperties(oldUsers ?? '');
  const after = parseProperties(renderUsers(users));
  const userLines: string[] = [];
  for (const [name, pw] of after) {
    if (!before.has(name)) userLines.push(`user ${name}: added`);
    else if (before.get(name) !== pw) userLines.push(`user ${name}: password changed`);
  }
  for (const name of before.keys()) if (!after.has(name)) userLines.push(`user ${name}: removed`);
  const gBefore = parseProperties(oldGroups ?? '');
  const gAfter = parseProperties(renderGroups(users));
  const groupLines: string[] = [];
  for (const [g, members] of gAfter) {
    const old = gBefore.get(g);
    if (old === undefined) groupLines.push(`group ${g}: added (${members})`);
    else if (old !== members) groupLines.push(`group ${g}: ${old || '(none)'} -> ${members}`);
  }
  for (const [g] of gBefore) if (!gAfter.has(g)) groupLines.push(`group ${g}: removed`);
  return { users: userLines, groups: groupLines };
}

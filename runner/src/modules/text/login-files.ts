/** login.config for the broker's JAAS plugin, and the web console's Jetty realm, from the broker's users. */
import { JAAS_CONFIGURATION } from './broker-security.js';
import { escapeKey, escapeValue, MANAGED_HEADER, parseProperties, type PropertyUser } from './users-properties.js';

/**
 * The JAAS entry the broker's jaasAuthenticationPlugin names. The file names are relative: the
 * login module reads them from login.config's own directory (the broker's conf directory).
 */
export function renderLoginConfig(): string {
  return [
    MANAGED_HEADER.replace(/^#/, '//'),
    `${JAAS_CONFIGURATION} {`,
    '    org.apache.activemq.jaas.PropertiesLoginModule required',
    '        org.apache.activemq.jaas.properties.user="users.properties"',
    '        org.apache.activemq.jaas.properties.group="groups.properties"',
    '        reload=true;',
    '};',
    '',
  ].join('\n');
}

/** Jetty's HashLoginService realm: `name: password, role`; the admin group's users are admins. */
export function renderRealm(users: readonly PropertyUser[], adminGroup: string): string {
  const lines = [...users]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((u) => `${escapeKey(u.name)}: ${escapeValue(u.password)}, ${u.groups.includes(adminGroup) ? 'admin' : 'user'}`);
  return [MANAGED_HEADER, ...lines].join('\n') + '\n';
}

/** What a new realm changes, by user and role; never a password. */
export function describeRealmChanges(before: string | null, after: string): string[] {
  const parse = (text: string) =>
    new Map(
      [...parseProperties(text)].map(([name, value]) => {
        const cut = value.lastIndexOf(',');
        return [name, { password: value.slice(0, cut).trim(), role: value.slice(cut + 1).trim() }] as const;
      }),
    );
  const old = parse(before ?? '');
  const now = parse(after);
  const out: string[] = [];
  for (const [name, u] of now) {
    const was = old.get(name);
    if (!was) out.push(`console user ${name}: added (${u.role})`);
    else {
      if (was.role !== u.role) out.push(`console user ${name}: role ${was.role || '(none)'} -> ${u.role}`);
      if (was.password !== u.password) out.push(`console user ${name}: password changed`);
    }
  }
  for (const name of old.keys()) if (!now.has(name)) out.push(`console user ${name}: removed`);
  return out.length ? out : ['rewritten as managed'];
}

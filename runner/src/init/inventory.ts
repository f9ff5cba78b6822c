import type { StartHost } from './kinds.js';

const flow = (o: Record<string, string>) => `{ ${Object.entries(o).map(([k, v]) => `${k}: ${v}`).join(', ')} }`;

/** The inventory `init` writes: the classic addresses, and comments on what to change. */
export function inventoryText(playbook: string, hosts: StartHost[]): string {
  const width = Math.max(...hosts.map((h) => h.name.length), ...hosts.map((h) => h.group.length)) + 1;
  const pad = (s: string) => `${s}:`.padEnd(width);
  const lines = hosts.map((h) => {
    const entry = flow({ address: h.address, ...(Object.keys(h.vars).length ? { vars: flow(h.vars) } : {}) });
    return { text: `  ${pad(h.name)} ${entry}`, note: h.note };
  });
  const noteAt = Math.max(...lines.map((l) => l.text.length)) + 2;
  const groups = [...new Set(hosts.map((h) => h.group))].map((g) => `  ${pad(g)} { hosts: [${hosts.filter((h) => h.group === g).map((h) => h.name).join(', ')}] }`);
  return [
    `# The hosts ${playbook} works on, and how to reach them. Change each address to your host's.`,
    '# The names are labels: keep them, or rename a host everywhere in this file.',
    '# Every host is reached over SSH as `user` with the private key `identity`: change them under',
    '# defaults, or for one host: broker1: { address: 10.0.0.5, user: deploy }. Tasks run with sudo;',
    '# if sudo asks for a password, run with --ask-become-pass. Unknown host keys are refused: log in',
    '# to each host once with ssh, or run once with --accept-new-host-keys.',
    'defaults: { user: root, port: 22, identity: ~/.ssh/id_ed25519, connection: ssh }',
    'hosts:',
    ...lines.map((l) => (l.note ? `${l.text.padEnd(noteAt)}# ${l.note}` : l.text)),
    'groups:',
    ...groups,
    '',
  ].join('\n');
}

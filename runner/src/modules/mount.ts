import { defineModule } from './define.js';

export interface MountParams {
  path: string;
  src: string;
  fstype: string;
  opts: string;
  dump: number;
  pass: number;
  state: 'mounted' | 'present' | 'unmounted' | 'absent';
  fstab: string;
}

export const mount = defineModule<MountParams>({
  name: 'mount',
  summary: 'An fstab entry, and the filesystem mounted (NFS client, bind mounts)',
  docs: `Ensures a mount point: its line in fstab, and whether it is mounted now (read from /proc/mounts).

| state | fstab line | mounted now |
|---|---|---|
| mounted | yes | yes (the mount point is created) |
| present | yes | left as it is |
| unmounted | left as it is | no |
| absent | no | no |

For an NFS client: \`src: 192.168.10.191:/data/activemq-data\`, \`fstype: nfs\`. A bind mount is
\`fstype: none\`, \`opts: bind\`.`,
  params: {
    path: { type: 'path', required: true, description: 'the mount point' },
    src: { type: 'string', required: true, description: 'what to mount: server:/export for NFS, a directory for a bind mount' },
    fstype: { type: 'string', default: 'nfs', description: 'filesystem type (nfs, nfs4, none for bind mounts, ...)' },
    opts: { type: 'string', default: 'defaults', description: 'mount options, comma separated' },
    dump: { type: 'int', default: 0, description: 'fstab dump field' },
    pass: { type: 'int', default: 0, description: 'fstab fsck pass field' },
    state: { type: 'string', choices: ['mounted', 'present', 'unmounted', 'absent'], default: 'mounted', description: 'fstab line and live mount state' },
    fstab: { type: 'path', default: '/etc/fstab', description: 'the fstab file to keep the line in' },
  },
  examples: `- name: Mount the shared store
  mount:
    path: /shared/activemq-data
    src: 192.168.10.191:/data/activemq-data
    fstype: nfs
    opts: rw,hard,intr
`,
});

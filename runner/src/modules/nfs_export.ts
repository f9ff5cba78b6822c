import { defineModule } from './define.js';

export interface NfsClient {
  host: string;
  options: string[];
}

export interface NfsExportParams {
  path: string;
  clients: NfsClient[];
  file?: string;
  format: 'exports' | 'ganesha';
  export_id: number;
  pseudo?: string;
  reload?: string;
  state: 'present' | 'absent';
}

export const DEFAULT_NFS_OPTIONS = ['rw', 'sync', 'no_root_squash'];

export const nfsExport = defineModule<NfsExportParams>({
  name: 'nfs_export',
  summary: 'An NFS export: an /etc/exports entry (or an nfs-ganesha EXPORT block)',
  docs: `Ensures a directory is exported over NFS.

- \`format: exports\` (default) keeps one line in \`/etc/exports\` for the kernel server,
  \`/data/activemq-data *(rw,sync,no_root_squash)\`, and runs \`exportfs -ra\` when it changed.
- \`format: ganesha\` keeps one \`EXPORT { }\` block in an nfs-ganesha configuration
  (\`/etc/ganesha/ganesha.conf\`), identified by \`export_id\`; restart ganesha from a handler.

Other lines and blocks of the file are kept as they are.`,
  freeForm: 'path',
  params: {
    path: { type: 'path', required: true, description: 'the directory to export' },
    clients: {
      type: 'list',
      default: [{ host: '*', options: DEFAULT_NFS_OPTIONS }],
      description: 'who may mount it, and with which options',
      items: {
        type: 'map',
        description: 'one client: a host, network or *, and its options',
        fields: {
          host: { type: 'string', required: true, description: 'a host name, an address, a network (10.0.0.0/24) or *' },
          options: { type: 'list', items: { type: 'string', description: 'an export option' }, default: DEFAULT_NFS_OPTIONS, description: 'export options, e.g. [rw, sync, no_root_squash]' },
        },
      },
    },
    file: { type: 'path', description: 'the exports file (default /etc/exports, or /etc/ganesha/ganesha.conf for ganesha)' },
    format: { type: 'string', choices: ['exports', 'ganesha'], default: 'exports', description: 'kernel /etc/exports line or nfs-ganesha EXPORT block' },
    export_id: { type: 'int', default: 1, description: 'ganesha: the Export_Id of the block' },
    pseudo: { type: 'path', description: 'ganesha: the NFSv4 pseudo path (default: the exported path)' },
    reload: { type: 'string', description: 'command run when the exports changed (default exportfs -ra for the kernel server, none for ganesha)' },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the export exists' },
  },
  examples: `- name: Export the ActiveMQ data directory
  nfs_export:
    path: /data/activemq-data
    clients: [{ host: "192.168.10.0/24", options: [rw, sync, no_root_squash] }]
`,
});

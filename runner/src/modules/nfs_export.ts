import { defineModule } from './lib/define.js';
import { readCurrent, writeChange } from './lib/file-target.js';
import { requireProgram } from './lib/program.js';
import { change, ok, type Change } from './lib/plan.js';
import { removeExport, upsertExport, type ExportClient } from './text/exports.js';
import { removeGaneshaExport, upsertGaneshaExport } from './text/ganesha.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

export const DEFAULT_NFS_OPTIONS = ['rw', 'sync', 'no_root_squash'];

const params = {
  path: { type: 'path', required: true, description: 'the directory to export' },
  clients: {
    type: 'list',
    default: [{ host: '*', options: DEFAULT_NFS_OPTIONS }],
    description: 'who may mount it, and with which options',
    items: {
      type: 'map',
      scalarField: 'host',
      description: 'one client: a host, network or *, and its options (a host alone gets the default options)',
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
} as const satisfies ParamSpecs;

export type NfsExportParams = ParamsOf<typeof params>;

export const nfsExport = defineModule({
  name: 'nfs_export',
  summary: 'An NFS export: an /etc/exports entry (or an nfs-ganesha EXPORT block)',
  docs: `Ensures a directory is exported over NFS.

- \`format: exports\` (default) keeps one line in \`/etc/exports\` for the kernel server,
  \`/data/activemq-data *(rw,sync,no_root_squash)\`, and runs \`exportfs -ra\` when it changed.
- \`format: ganesha\` keeps one \`EXPORT { }\` block in an nfs-ganesha configuration
  (\`/etc/ganesha/ganesha.conf\`), identified by \`export_id\`; restart ganesha from a handler.
  A \`*\` client sets the export's Access_Type (RW, or RO with \`ro\`) and Squash; every other
  client gets a \`CLIENT { }\` block, and without a \`*\` client nobody else may mount it.

Other lines and blocks of the file are kept as they are.`,
  freeForm: 'path',
  params,
  examples: `- name: Export the ActiveMQ data directory
  nfs_export:
    path: /data/activemq-data
    clients: [{ host: "192.168.10.0/24", options: [rw, sync, no_root_squash] }]
`,
  async check(ctx, p) {
    const ganesha = p.format === 'ganesha';
    const file = p.file ?? (ganesha ? '/etc/ganesha/ganesha.conf' : '/etc/exports');
    const cur = await readCurrent(ctx, file);
    const before = cur?.text ?? '';
    const after = desired(before, p);
    const what = ganesha ? `EXPORT block ${p.export_id} (${p.path})` : p.path;
    // Nothing to take away from a file that is not there: it is not created empty.
    const write = after === before ? null : await writeChange(ctx, file, cur, after, {});
    if (!write) return ok(p.state === 'absent' ? `${what} not exported in ${file}` : `${what} exported in ${file}`);
    const reload = p.reload ?? (ganesha ? undefined : 'exportfs -ra');
    if (reload) await requireProgram(ctx, reload, `the exports of ${file} cannot be reloaded`);
    const changes: Change[] = [write];
    if (reload) changes.push({ kind: 'command', cmd: reload, why: `reload the exports of ${file}`, declared: true });
    return change(p.state === 'absent' ? `unexport ${what}` : `export ${what}`, ...changes);
  },
});

function desired(text: string, p: NfsExportParams): string {
  const clients: ExportClient[] = p.clients.map((c) => ({ host: c.host, options: c.options ?? DEFAULT_NFS_OPTIONS }));
  if (p.format === 'ganesha') {
    if (p.state === 'absent') return removeGaneshaExport(text, p.export_id);
    return upsertGaneshaExport(text, { exportId: p.export_id, path: p.path, pseudo: p.pseudo ?? p.path, clients });
  }
  return p.state === 'absent' ? removeExport(text, p.path) : upsertExport(text, p.path, clients);
}

import type { PlayRule } from '../lib/define.js';
import { mount } from '../mount.js';
import { nfsExport } from '../nfs_export.js';
import { pushTo } from '../../util/multimap.js';

const trim = (p: string) => p.replace(/\/+$/, '') || '/';

/** An NFS mount reads a path its server exports, when the runbook sets up both. */
export const mountSource: PlayRule = {
  name: 'nfs-mount-source',
  check(view, report) {
    const exports = new Map<string, string[]>();
    for (const task of view.tasksOf(nfsExport)) {
      for (const t of task) if (t.runs && t.params.state === 'present') pushTo(exports, t.host, trim(t.params.path));
    }
    for (const task of view.tasksOf(mount)) {
      for (const t of task) {
        if (!t.runs || t.params.opts.split(',').includes('bind')) continue;
        const m = /^([^:/[\]]+|\[[^\]]+\]):(\/.*)$/.exec(t.params.src);
        const server = m && view.hostAt(m[1].replace(/^\[(.*)\]$/, '$1'));
        const paths = server ? exports.get(server) : undefined;
        if (!m || !server || !paths || paths.includes(trim(m[2]))) continue;
        report({ at: t.at(['src']), code: 'nfs-mount-source', message: `${t.host} mounts ${t.params.src}, which ${server} does not export`, hint: `${server} exports ${paths.join(', ')}` });
      }
    }
  },
};

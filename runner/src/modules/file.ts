import { backup, group, mode, owner } from './lib/common.js';
import { defineModule } from './lib/define.js';
import { planFile, planRemoval, readLocalBytes } from './lib/file-target.js';
import { isText, planUpload } from './lib/upload.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  path: { type: 'path', required: true, description: 'absolute path of the file on the host' },
  content: { type: 'string', description: 'the exact content of the file' },
  src: { type: 'path', description: 'a local file (relative to the playbook) to upload as it is' },
  owner,
  group,
  mode,
  backup,
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the file exists' },
} as const satisfies ParamSpecs;

export type FileParams = ParamsOf<typeof params>;

export const file = defineModule({
  name: 'file',
  summary: 'A file with exact content (inline or from a local file)',
  docs: `Ensures a file has exactly the given content, owner, group and mode, or is absent.

The content comes from \`content\` (inline text, expressions rendered) or from \`src\`, a file next
to the playbook that is uploaded as it is. A binary \`src\` (an ActiveMQ tarball) is compared by its
sha256 checksum instead of a diff. The new file is written to a temporary file in the same
directory and renamed over the old one, so readers never see half a file.`,
  params,
  exclusive: [['content', 'src']],
  oneOf: [{ params: ['content', 'src'], when: { state: 'present' } }],
  examples: `- name: Broker JVM options
  file:
    path: /etc/activemq/instances-available/main/options
    content: |
      ACTIVEMQ_OPTS_MEMORY="-Xms512M -Xmx512M"
    mode: "0644"
`,
  async check(ctx, p) {
    if (p.state === 'absent') return planRemoval(ctx, p.path);
    if (p.content !== undefined) return planFile(ctx, p.path, p.content, p, { backup: p.backup });
    const data = await readLocalBytes(ctx, p.src!);
    if (!isText(data)) return planUpload(ctx, p.path, data, p, p.backup);
    return planFile(ctx, p.path, data.toString('utf8'), p, { backup: p.backup });
  },
});

import { group, mode, owner } from './common.js';
import { defineModule } from './define.js';

export interface DirectoryParams {
  path: string;
  owner?: string;
  group?: string;
  mode?: string;
  recurse: boolean;
  state: 'present' | 'absent';
}

export const directory = defineModule<DirectoryParams>({
  name: 'directory',
  summary: 'A directory with owner, group and mode',
  docs: `Ensures a directory exists (with its parents) and has the given owner, group and mode,
or that it is gone (\`state: absent\`, removed with its contents).

With \`recurse: true\`, owner and group are applied to everything below it too.`,
  freeForm: 'path',
  params: {
    path: { type: 'path', required: true, description: 'absolute path of the directory' },
    owner,
    group,
    mode,
    recurse: { type: 'bool', default: false, description: 'apply owner and group to everything below the directory' },
    state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the directory exists' },
  },
  examples: `- name: Create the shared data directory
  directory: { path: /data/activemq-data, owner: activemq, group: activemq, mode: "0775" }
`,
});

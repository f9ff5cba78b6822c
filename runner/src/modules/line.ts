import { group, mode, owner } from './lib/common.js';
import { CheckFailed } from './lib/context.js';
import { defineModule } from './lib/define.js';
import { planOf, readCurrent, writeChange } from './lib/file-target.js';
import { ok } from './lib/plan.js';
import { editLines, type LineOutcome } from './text/lineinfile.js';
import type { ParamSpecs, ParamsOf } from './lib/params.js';

const params = {
  path: { type: 'path', required: true, description: 'the file to edit' },
  line: { type: 'string', singleLine: true, requiredWhen: { state: 'present' }, description: 'the whole line that must be present' },
  match: { type: 'regex', description: 'a regular expression: the last matching line is replaced' },
  state: { type: 'string', choices: ['present', 'absent'], default: 'present', description: 'whether the line is present' },
  create: { type: 'bool', default: false, description: 'create the file when it does not exist' },
  insert_after: { type: 'regex', description: 'a regular expression: insert a new line after its last match (default: end of file)' },
  owner,
  group,
  mode,
} as const satisfies ParamSpecs;

export type LineParams = ParamsOf<typeof params>;

export const line = defineModule({
  name: 'line',
  summary: 'One line present in (or absent from) a file',
  docs: `Ensures one line is in a file, like Ansible's lineinfile.

With \`match\` (a regular expression), the last line that matches is replaced by \`line\`; when none
matches, \`line\` is appended (or inserted after the last line matching \`insert_after\`). Without
\`match\`, the line is added when no identical line exists. With \`state: absent\`, every line matching
\`match\` (or equal to \`line\`) is removed.`,
  params,
  oneOf: [{ params: ['line', 'match'], when: { state: 'absent' } }],
  examples: `- name: Java home for ActiveMQ
  line:
    path: /etc/default/activemq
    match: '^JAVA_HOME='
    line: JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
    create: true
`,
  async check(ctx, p) {
    const cur = await readCurrent(ctx, p.path);
    if (cur === null) {
      if (p.state === 'absent') return ok(`${p.path} does not exist`);
      if (!p.create) throw new CheckFailed(`${p.path} does not exist (set create: true to create it)`);
    }
    const edit = editLines(cur?.text ?? '', {
      state: p.state,
      ...(p.line !== undefined ? { line: p.line } : {}),
      ...(p.match !== undefined ? { match: new RegExp(p.match) } : {}),
      ...(p.insert_after !== undefined ? { insertAfter: new RegExp(p.insert_after) } : {}),
    });
    return planOf(p.path, await writeChange(ctx, p.path, cur, edit.text, p), {
      summary: cur === null ? `create ${p.path} with the line` : describe(edit.outcome, p.path),
      note: p.state === 'present' ? `line already in ${p.path}` : `no such line in ${p.path}`,
    });
  },
});

function describe(o: LineOutcome, path: string): string {
  switch (o.action) {
    case 'replaced':
      return `replace line ${o.at} of ${path}`;
    case 'inserted':
      return `insert a line at line ${o.at} of ${path}`;
    case 'appended':
      return `add a line to ${path}`;
    case 'removed':
      return `remove ${o.count === 1 ? 'a line' : `${o.count} lines`} from ${path}`;
    case 'unchanged':
      return `update ${path}`;
  }
}

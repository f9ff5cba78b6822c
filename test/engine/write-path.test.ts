import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { masker } from '../../runner/src/engine/mask.js';
import { runPlaybook } from '../../runner/src/engine/run.js';
import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { LocalTransport } from '../../runner/src/transport/local.js';

/** Every file-writing module, its task writing into `dir` (a folder that may not exist), with `attrs` (`, owner: x`) where it takes them. */
const WRITERS: { module: string; task(dir: string, attrs?: string): string; owners: boolean }[] = [
  { module: 'file', owners: true, task: (d, o) => `file: { path: "${d}/app.conf", content: "a=1\\n"${o ?? ''} }` },
  { module: 'file (an upload)', owners: true, task: (d, o) => `file: { path: "${d}/blob.bin", src: blob.bin${o ?? ''} }` },
  { module: 'line', owners: true, task: (d, o) => `line: { path: "${d}/env", line: "A=1", create: true${o ?? ''} }` },
  { module: 'template', owners: true, task: (d, o) => `template: { src: motd.tpl, dest: "${d}/motd"${o ?? ''} }` },
  { module: 'directory', owners: true, task: (d, o) => `directory: { path: "${d}/data"${o ?? ''} }` },
  { module: 'nfs_export', owners: false, task: (d) => `nfs_export: { path: /srv/x, file: "${d}/exports", reload: "true" }` },
  { module: 'nfs_export (ganesha)', owners: false, task: (d) => `nfs_export: { path: /srv/x, file: "${d}/ganesha.conf", format: ganesha }` },
  { module: 'mount (its fstab)', owners: false, task: (d) => `mount: { path: /mnt/x, src: "/srv/x", fstype: none, opts: bind, state: present, fstab: "${d}/fstab" }` },
  { module: 'haproxy', owners: false, task: (d) => `haproxy: { config: "${d}/haproxy.cfg", validate: "true %s" }` },
  { module: 'activemq_users', owners: false, task: (d) => `activemq_users: { conf_dir: "${d}", users: [] }` },
  { module: 'activemq_broker', owners: false, task: (d) => `activemq_broker: { conf: "${d}/activemq.xml", broker_name: b1 }` },
  { module: 'activemq_console', owners: false, task: (d) => `activemq_console: { conf: "${d}/jetty.xml", port: 8161 }` },
];

let root: string;

async function run(task: string, dryRun: boolean): Promise<{ code: number; result: TaskResultEvent }> {
  const text = `name: write path\ninventory:\n  hosts:\n    h1: { connection: local }\nplays:\n  - name: p\n    hosts: h1\n    tasks:\n      - name: the write\n        ${task}\n`;
  const a = analyze(text, {});
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], text);
  const events: RunEvent[] = [];
  const code = await runPlaybook(a, { dryRun, selection: {}, playbookName: 'write path', playbookDir: root, stop: new AbortController().signal, mask: masker([]) }, { connect: async (h) => new LocalTransport(h), emit: (e) => events.push(e) });
  const result = events.find((e): e is TaskResultEvent => e.type === 'task_result')!;
  return { code, result };
}

function tree(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((p) => `${p}${statSync(join(dir, p)).isDirectory() ? '/' : ''}`).sort();
}

describe('the one write path: what a check can see fails in words, in the dry-run first, and nothing is left half-done', function () {
  this.timeout(60_000);
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'amq-write-'));
    writeFileSync(join(root, 'blob.bin'), Buffer.from([0, 1, 2, 255]));
    writeFileSync(join(root, 'motd.tpl'), 'hello\n');
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  for (const w of WRITERS) {
    it(`${w.module}: a missing directory`, async () => {
      const missing = join(root, 'no', 'such', 'dir');
      const before = tree(root);
      const dry = await run(w.task(missing), true);
      const real = await run(w.task(missing), false);
      if (w.module === 'directory') {
        assert.deepEqual([dry.result.status, real.result.status], ['would_change', 'changed'], 'mkdir -p makes its parents');
        rmSync(join(root, 'no'), { recursive: true });
        return;
      }
      assert.equal(dry.result.status, 'would_fail');
      assert.equal(dry.code, 2);
      assert.match(dry.result.message, /\/no\/such\/dir.* does not exist/);
      assert.doesNotMatch(dry.result.message, /sh: |exited with|Directory nonexistent/);
      assert.deepEqual([real.result.status, real.result.message], ['failed', dry.result.message], 'the apply fails with the same words');
      assert.deepEqual(tree(root), before, 'nothing created');
    });

    if (!w.owners) continue;
    it(`${w.module}: an owner or group that does not exist`, async () => {
      const dir = join(root, 'owned');
      rmSync(dir, { recursive: true, force: true });
      for (const [attrs, word] of [[', owner: amq-no-such-user', 'owner'], [', owner: root, group: nobody', 'group']] as const) {
        const before = tree(root);
        const dry = await run(w.task(w.module === 'directory' ? dir : root, attrs), true);
        assert.equal(dry.result.status, 'would_fail', dry.result.message);
        assert.match(dry.result.message, new RegExp(`the ${word} (amq-no-such-user|nobody) does not exist on h1`));
        const real = await run(w.task(w.module === 'directory' ? dir : root, attrs), false);
        assert.deepEqual([real.result.status, real.result.message], ['failed', dry.result.message]);
        assert.deepEqual(tree(root), before, 'nothing created, not even the directory');
      }
    });
  }

  it("names a close match of the host's accounts: Debian's nobody group is nogroup", async () => {
    const dry = await run(`directory: { path: "${root}/d", owner: nobody, group: nobody }`, true);
    assert.equal(dry.result.message, 'the group nobody does not exist on h1: there is no group of that name (the user nobody has the group nogroup)');
  });
});

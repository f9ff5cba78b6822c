import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoRoot } from '../../lab/demo-root.js';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';
import { localTwin } from '../helpers/local-twin.js';
import { AMQ_RUN } from '../helpers/paths.js';

function amqRun(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [AMQ_RUN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const snapshot = (dir: string) => Object.fromEntries(['inventory.yaml', 'ha.yaml', 'network.yaml', '.vscode/settings.json'].filter((f) => existsSync(join(dir, f))).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));

describe('amq-run init', function () {
  this.timeout(60_000);
  let tmp: string;
  beforeEach(() => {
    tmp = mkdtempSync(join(tmpdir(), 'amq-init-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  /** A dry-run of the project's playbook on a local twin of its inventory, as JSON events. */
  async function previewLocally(project: string, playbook: string, brokers: string[]) {
    const twin = join(tmp, 'twin.yaml');
    writeFileSync(twin, localTwin(readFileSync(join(project, 'inventory.yaml'), 'utf8')));
    const root = join(tmp, 'root');
    seedDemoRoot(root, brokers);
    const before = snapshot(project);
    const run = await amqRunJson([join(project, playbook), '-i', twin, '--dry-run', '--diff', '-e', `demo_root=${root}`], { AMQ_ADMIN_PASSWORD: 'init-test-password' });
    assert.equal(run.code, 0, run.stderr);
    assert.deepEqual(resultKeys(run, 'failed', 'unreachable', 'changed'), []);
    assert.deepEqual(snapshot(project), before, 'the dry-run changed nothing in the project');
    return run;
  }

  it('into an empty folder: the inventory, ha.yaml and the editor settings; it validates with 0 diagnostics and dry-runs cleanly', async () => {
    const project = join(tmp, 'my-cluster');
    const init = amqRun(['init', project], tmp);
    assert.equal(init.code, 0, init.err);
    assert.deepEqual(readdirSync(project, { recursive: true }).sort(), ['.vscode', '.vscode/settings.json', 'files', 'files/activemq-log4j.properties', 'ha.yaml', 'inventory.yaml']);
    for (const f of ['inventory.yaml', 'ha.yaml', '.vscode/settings.json']) assert.match(init.out, new RegExp(`^wrote my-cluster/${f.replace('.', '\\.')}$`, 'm'));
    assert.match(init.out, /export AMQ_ADMIN_PASSWORD=/);
    assert.match(readFileSync(join(project, 'inventory.yaml'), 'utf8'), /^ {2}broker2: +\{ address: 192\.168\.10\.193, vars: \{ broker_name: broker2 \} \}$/m);

    const validate = amqRun(['validate', 'ha.yaml'], project);
    assert.equal(validate.code, 0, validate.out);
    assert.equal(validate.out, 'ok: 3 plays, 29 tasks, 4 hosts, 0 warnings\n', 'no diagnostics');

    const run = await previewLocally(project, 'ha.yaml', ['broker1', 'broker2']);
    assert.ok(resultKeys(run, 'would_change').length >= 12, resultKeys(run, 'would_change').join(', '));
  });

  it('run twice: the second refuses, names the files that are there, and writes nothing', () => {
    assert.equal(amqRun(['init'], tmp).code, 0);
    writeFileSync(join(tmp, 'inventory.yaml'), `${readFileSync(join(tmp, 'inventory.yaml'), 'utf8')}# my edit\n`);
    unlinkSync(join(tmp, 'ha.yaml'));
    const before = snapshot(tmp);
    const again = amqRun(['init'], tmp);
    assert.equal(again.code, 1);
    assert.equal(again.out, '');
    assert.match(again.err, /^amq-run init: inventory\.yaml, files\/activemq-log4j\.properties, \.vscode\/settings\.json already exist; nothing was written/);
    assert.deepEqual(snapshot(tmp), before, 'the edited inventory is kept and ha.yaml is not written');
    assert.ok(!existsSync(join(tmp, 'ha.yaml')));
  });

  it('--brokers 3: a third broker everywhere, validated and dry-run on this machine', async () => {
    assert.equal(amqRun(['init', '--brokers', '3'], tmp).code, 0);
    assert.equal(amqRun(['validate', 'ha.yaml'], tmp).out, 'ok: 3 plays, 29 tasks, 5 hosts, 0 warnings\n');
    const run = await previewLocally(tmp, 'ha.yaml', ['broker1', 'broker2', 'broker3']);
    const haproxy = run.results.find((r) => r.type === 'task_result' && r.task === 'Configure HAProxy')!;
    assert.match(haproxy.diff!, /^\+\s+server broker3 127\.0\.10\.4:61616 .*backup/m);
    assert.ok(run.results.some((r) => r.type === 'task_result' && r.task === 'Configure the broker' && r.host === 'broker3' && r.status === 'would_change'));
  });

  it('--network --brokers 3: network.yaml, each broker forwarding to the two others, validated and dry-run on this machine', async () => {
    const init = amqRun(['init', '--network', '--brokers', '3'], tmp);
    assert.equal(init.code, 0, init.err);
    assert.ok(existsSync(join(tmp, 'network.yaml')) && !existsSync(join(tmp, 'ha.yaml')));
    assert.match(init.out, /export AMQ_ADMIN_PASSWORD=/, "network.yaml's one secret: the brokers' users log in with it");
    assert.equal(amqRun(['validate', 'network.yaml'], tmp).out, 'ok: 1 play, 8 tasks, 3 hosts, 0 warnings\n');
    const run = await previewLocally(tmp, 'network.yaml', ['broker1', 'broker2', 'broker3']);
    const broker2 = run.results.find((r) => r.type === 'task_result' && r.host === 'broker2' && r.task === 'Configure the broker and its network connector')!;
    assert.match(broker2.diff!, /static:\(tcp:\/\/127\.0\.10\.3:61616\)/);
    assert.match(broker2.diff!, /static:\(tcp:\/\/127\.0\.10\.1:61616\)/);
  });

  it('a --brokers that is not a whole number from 2 is a usage error, and nothing is written', () => {
    for (const n of ['1', 'two', '64']) {
      const r = amqRun(['init', '--brokers', n], tmp);
      assert.equal(r.code, 1);
      assert.match(r.err, new RegExp(`--brokers takes a whole number from 2 to 63, not '${n}'`));
    }
    assert.deepEqual(readdirSync(tmp), []);
  });
});

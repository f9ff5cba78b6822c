import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PlanFile } from '../../runner/src/plan/plan-file.js';
import { AMQ_RUN } from '../helpers/paths.js';

const SECRET = 'plan-secret-value-42';

/** Two local hosts, each in its own folder: a file with a secret in it, and a config file. */
const PLAYBOOK = `name: plan demo
inventory: inventory.yaml
secrets:
  pw: { env: PLAN_PW }
plays:
  - name: files
    hosts: all
    tasks:
      - name: a file with a secret
        file: { path: "{{ dir }}/{{ host.name }}/secret.txt", content: "password={{ pw }}\\n", mode: "0600" }
      - name: a config file
        file: { path: "{{ dir }}/{{ host.name }}/app.conf", content: "size={{ size }}\\n" }
`;

describe('amq-run plan, show and apply (local hosts)', function () {
  this.timeout(60_000);
  let dir: string;
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [AMQ_RUN, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, PLAN_PW: SECRET, FORCE_COLOR: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const plan = (name: string): PlanFile => JSON.parse(readFileSync(join(dir, name), 'utf8')) as PlanFile;
  const file = (...p: string[]) => readFileSync(join(dir, ...p), 'utf8');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-plan-'));
    writeFileSync(join(dir, 'inventory.yaml'), `defaults: { connection: local }\ngroups:\n  all_hosts: { hosts: [h1, h2], vars: { dir: ${dir}, size: 1 } }\nhosts:\n  h1: { address: 127.0.0.1 }\n  h2: { address: 127.0.0.1 }\n`);
    writeFileSync(join(dir, 'playbook.yaml'), PLAYBOOK);
    for (const h of ['h1', 'h2']) spawnSync('mkdir', ['-p', join(dir, h)]);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('plan saves the pending changes (exit 10) without the secret; apply makes exactly those; a second plan has none (exit 0)', () => {
    const p = run('plan', 'playbook.yaml', '-o', 'plan.json', '--plain');
    assert.equal(p.code, 10, p.err);
    assert.match(p.err, /plan written to plan\.json: 4 changes/);
    const text = readFileSync(join(dir, 'plan.json'), 'utf8');
    assert.ok(!text.includes(SECRET), 'no secret value in the plan');
    const saved = plan('plan.json');
    assert.deepEqual(saved.secrets, ['pw'], 'the secret by its name');
    assert.deepEqual(saved.changes.map((c) => c.key).sort(), ['a config file@h1', 'a config file@h2', 'a file with a secret@h1', 'a file with a secret@h2']);
    assert.ok(saved.readings.h1.some((r) => r.what === `owner and mode of ${dir}/h1/app.conf`), 'what each check read, by path');

    const shown = run('show', 'plan.json', '--plain');
    assert.equal(shown.code, 0, shown.err);
    assert.match(shown.out, /would change h1 +create .*\/h1\/secret\.txt/);
    assert.match(shown.out, /\+password=\*{6}/, 'the diff as the dry-run showed it, secret masked');

    const a = run('apply', 'plan.json', '--yes', '--json');
    assert.equal(a.code, 0, a.err);
    const changed = a.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; status?: string; task?: string; host?: string }).filter((e) => e.status === 'changed').map((e) => `${e.task}@${e.host}`);
    assert.deepEqual(changed.sort(), saved.changes.map((c) => c.key).sort(), 'exactly the planned changes');
    assert.equal(file('h1', 'secret.txt'), `password=${SECRET}\n`, 'the real value on the host');

    const again = run('plan', 'playbook.yaml', '-o', 'again.json', '--plain');
    assert.equal(again.code, 0, again.err);
    assert.deepEqual(plan('again.json').changes, []);
  });

  it('a file the plan read, edited by hand on h1: apply exits 5 naming it with both sha256 prefixes, changes nothing on h1, applies the plan on h2', () => {
    assert.equal(run('playbook.yaml', '--plain').code, 0);
    writeFileSync(join(dir, 'inventory.yaml'), readFileSync(join(dir, 'inventory.yaml'), 'utf8').replace('size: 1', 'size: 2'));
    const p = run('plan', 'playbook.yaml', '-o', 'plan.json', '--plain');
    assert.equal(p.code, 10, p.err);
    const read = plan('plan.json').readings.h1.find((r) => r.what === `file ${dir}/h1/app.conf`);
    assert.ok(read, 'the check read app.conf');
    writeFileSync(join(dir, 'h1', 'app.conf'), 'size=99\n');
    const a = run('apply', 'plan.json', '--yes', '--plain');
    assert.equal(a.code, 5, a.err);
    const now = spawnSync('sha256sum', [join(dir, 'h1', 'app.conf')], { encoding: 'utf8' }).stdout.slice(0, 12);
    assert.match(a.err, new RegExp(`h1: file ${dir}/h1/app\\.conf changed: sha256 ${read.sha256.slice(0, 12)} -> sha256 ${now}`));
    assert.match(a.err, /h1 is left as it is: nothing is changed there/);
    assert.equal(file('h1', 'app.conf'), 'size=99\n', 'nothing changed on h1');
    assert.equal(file('h2', 'app.conf'), 'size=2\n', 'h2 got the planned change');
    assert.doesNotMatch(a.out, /\bh1\b.*changed/);
  });

  it('a plan whose playbook or inventory changed since is refused with exit 5, and nothing runs', () => {
    assert.equal(run('plan', 'playbook.yaml', '-o', 'plan.json', '--plain').code, 10);
    writeFileSync(join(dir, 'playbook.yaml'), `${PLAYBOOK}# edited\n`);
    const a = run('apply', 'plan.json', '--yes', '--plain');
    assert.equal(a.code, 5);
    assert.match(a.err, /the plan is stale: the playbook .*playbook\.yaml changed since the plan: sha256 [0-9a-f]{12} -> [0-9a-f]{12}/);
    assert.equal(a.out, '');
    assert.equal(spawnSync('ls', [join(dir, 'h1')], { encoding: 'utf8' }).stdout, '', 'nothing written');
  });

  it('apply without --yes or --step when stdin is not a terminal: a usage error, nothing applied', () => {
    assert.equal(run('plan', 'playbook.yaml', '-o', 'plan.json', '--plain').code, 10);
    const a = run('apply', 'plan.json');
    assert.equal(a.code, 1);
    assert.match(a.err, /add --yes/);
    const bad = run('apply', 'playbook.yaml', '--yes');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /is not a plan/);
  });
});

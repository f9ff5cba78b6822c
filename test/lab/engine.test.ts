import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { labUp, type Lab } from '../../lab/lab.js';
import { amqRunJson, resultKeys } from '../helpers/amq-run.js';
import { fixture } from '../helpers/paths.js';
import { treeChecksum } from '../helpers/tree.js';

const EVIL = 'it\'s "q" $(touch PWNED-dollar) `touch PWNED-backtick` ; touch PWNED-semi & x | y > z';

/** Files a shell would have made had it interpreted a hostile value. */
function pwned(dirs: string[]): string[] {
  const found: string[] = [];
  const walk = (d: string, depth: number) => {
    let names: string[];
    try {
      names = readdirSync(d);
    } catch {
      return;
    }
    for (const n of names) {
      if (n.startsWith('PWNED-')) found.push(join(d, n));
      if (depth > 0 && !n.startsWith('.')) walk(join(d, n), depth - 1);
    }
  };
  for (const d of dirs) walk(d, 6);
  return found;
}

describe('lab: the engine over SSH (real sshd)', function () {
  this.timeout(240_000);
  let lab: Lab;
  const root = (h: string) => lab.host(h).root;
  before(async () => {
    lab = await labUp();
  });
  after(async () => {
    await lab?.down();
  });

  it('every system module: a dry-run predicts the real run without writing; the second run changes nothing', async () => {
    const args = [fixture('lab', 'modules.yaml'), '-i', lab.inventoryPath];
    const before = treeChecksum(...lab.writableTrees());
    const dry = await amqRunJson([...args, '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.equal(treeChecksum(...lab.writableTrees()), before);
    const real = await amqRunJson(args);
    assert.equal(real.code, 0, `${real.stderr}${JSON.stringify(real.results.filter((r) => r.status === 'failed'))}`);
    assert.deepEqual(resultKeys(real, 'changed'), resultKeys(dry, 'would_change'));
    const modules = new Set(real.results.map((r) => r.module));
    for (const m of ['package', 'directory', 'file', 'line', 'template', 'nfs_export', 'mount', 'command', 'service', 'wait_for']) assert.ok(modules.has(m), m);
    const t = join(root('broker1'), 't');
    assert.equal(readFileSync(join(t, 'dir/app.conf'), 'utf8'), 'name=broker1\nport=61616\n');
    assert.equal(readFileSync(join(t, 'dir/uploaded.txt'), 'utf8'), 'uploaded as it is: {{ not rendered }}\n');
    assert.equal(readFileSync(join(t, 'motd'), 'utf8'), 'Welcome to broker1 (127.0.10.2).\nBrokers: broker1, broker2\n');
    assert.match(lab.mounts('broker1'), / \/t\/mnt /, "mounted in broker1's own mount table");
    const again = await amqRunJson(args);
    assert.equal(again.code, 0);
    assert.deepEqual(resultKeys(again, 'changed', 'would_change', 'failed'), []);
  });

  it('hostile values (quotes, $(...), backticks, ;, &, |, spaces, newlines) are applied literally; nothing is executed', async () => {
    const args = [fixture('lab', 'hostile.yaml'), '-i', lab.inventoryPath];
    const run = await amqRunJson(args);
    assert.equal(run.code, 0, `${run.stderr}${JSON.stringify(run.results.filter((r) => r.status === 'failed'))}`);
    const h = join(root('broker1'), 'h');
    const dir = join(h, `dir ${EVIL}`);
    assert.equal(readFileSync(join(dir, `file ${EVIL}`), 'utf8'), `${EVIL}\nsecond line\n`);
    assert.ok(existsSync(join(h, 'new\nline')), 'a directory whose name holds a newline');
    assert.equal(readFileSync(join(h, 'lines'), 'utf8'), `${EVIL}\n`);
    assert.equal(readFileSync(join(h, 'pwd-out'), 'utf8'), `/h/dir ${EVIL}\n`, 'the command ran in the hostile directory (its real path on the host)');
    assert.ok(readFileSync(join(h, 'exports'), 'utf8').includes('PWNED-dollar'), 'the export names the path');
    assert.deepEqual(pwned([lab.L, '/root', '/tmp', ...lab.hosts.map((x) => join(x.root, 'run')), dir]), [], 'no shell interpreted a value');
    const again = await amqRunJson(args);
    assert.equal(again.code, 0);
    assert.deepEqual(resultKeys(again, 'changed', 'failed'), []);
  });

  it('secrets never appear in plain output, JSON output, diffs or errors', async () => {
    const secret = 'Zq9-known-SECRET-value';
    const pb = fixture('lab', 'secrets.yaml');
    const env = { LAB_TOKEN: secret };
    const outputs: string[] = [];
    for (const extra of [['--dry-run'], [], []]) {
      const json = await amqRunJson([pb, '-i', lab.inventoryPath, ...extra], env);
      outputs.push(json.stdout, json.stderr);
      assert.equal(json.code, extra.length ? 0 : 2, 'the failing task fails when it runs');
    }
    const failed = (await amqRunJson([pb, '-i', lab.inventoryPath], env)).results.find((r) => r.status === 'failed')!;
    assert.match(failed.failure!.stderr, /token is \*{6}/);
    const { spawnSync } = await import('node:child_process');
    const plain = spawnSync(process.execPath, ['bin/amq-run.js', pb, '-i', lab.inventoryPath, '--plain', '--diff', '--verbose'], { encoding: 'utf8', env: { ...process.env, ...env } });
    outputs.push(plain.stdout, plain.stderr);
    assert.match(plain.stdout, /\*{6}/);
    for (const o of outputs) assert.ok(!o.includes(secret), 'the secret shows in an output');
    assert.match(readFileSync(join(root('broker1'), 'secret.conf'), 'utf8'), new RegExp(`token=${secret}`), 'the host has the real value');
  });

  it('an sshd killed in the middle of a run: that host is unreachable, no file half-written, the others finish; a re-run converges', async () => {
    const args = [fixture('lab', 'faults.yaml'), '-i', lab.inventoryPath];
    let killed = false;
    const run = await amqRunJson(args, {}, (e) => {
      if (!killed && e.type === 'task_start' && e.task === 'a slow step') {
        killed = true;
        setTimeout(() => void lab.killSshd('broker2'), 1000);
      }
    });
    assert.equal(run.code, 3, run.stderr);
    assert.deepEqual(resultKeys(run, 'unreachable'), ['a slow step@broker2']);
    assert.deepEqual(resultKeys(run, 'changed').filter((k) => k.endsWith('@broker1')).length, 4, 'broker1 finished');
    assert.deepEqual(resultKeys(run, 'changed').filter((k) => k.endsWith('@nfs1')).length, 4, 'nfs1 finished');
    const t = join(root('broker2'), 'faults');
    for (const f of ['a', 'b', 'c']) assert.ok(!existsSync(join(t, f)) || readFileSync(join(t, f), 'utf8').endsWith('complete\n'), `${f} is whole or absent`);
    assert.deepEqual(existsSync(t) ? readdirSync(t).filter((n) => n.includes('.tmp')) : [], []);
    await lab.startSshd('broker2');
    const rerun = await amqRunJson(args);
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.equal(readFileSync(join(t, 'c'), 'utf8'), 'c complete\n');
    const third = await amqRunJson(args);
    assert.deepEqual(resultKeys(third, 'changed'), []);
  });

  it('a host key swapped for another is refused, and nothing is done on that host', async () => {
    await lab.swapHostKey('broker1');
    const run = await amqRunJson([fixture('lab', 'modules.yaml'), '-i', lab.inventoryPath, '--limit', 'broker1']);
    assert.equal(run.code, 3);
    const r = run.results.find((x) => x.host === 'broker1')!;
    assert.equal(r.status, 'unreachable');
    assert.match(r.message, /host key/i);
    assert.match(r.message, /SHA256:/);
  });
});

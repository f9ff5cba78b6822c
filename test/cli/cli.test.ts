import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../runner/src/cli/program.js';
import { EXIT, EXIT_MEANING } from '../../runner/src/engine/exit-codes.js';
import { AMQ_RUN, ROOT } from '../helpers/paths.js';

function amqRun(args: string[], cwd = ROOT, env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [AMQ_RUN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function noStackTrace(text: string) {
  assert.doesNotMatch(text, /^\s+at .+\(.*:\d+:\d+\)$/m, 'no stack trace');
  assert.doesNotMatch(text, /node:internal|Error: /);
}

describe('amq-run command line', function () {
  this.timeout(20_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'amq-cli-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('--help lists the commands and exit codes', () => {
    const r = amqRun(['--help']);
    assert.equal(r.code, 0);
    for (const word of ['validate', 'list', 'modules', 'run', 'Exit codes']) assert.match(r.out, new RegExp(word));
    for (const [code, meaning] of Object.entries(EXIT_MEANING)) assert.match(r.out, new RegExp(`^ +${code} +${meaning}$`, 'm'), `exit code ${code}`);
    const sub = amqRun(['run', '--help']);
    assert.equal(sub.code, 0);
    for (const flag of ['--dry-run', '--step', '--limit', '--tags', '--skip-tags', '--start-at', '--forks', '--json', '--plain', '--detailed-exitcode', '-e, --extra-vars']) {
      assert.ok(sub.out.includes(flag), flag);
    }
  });

  it('validate: a valid playbook prints its summary alone and exits 0', () => {
    const r = amqRun(['validate', 'playbooks/ha.yaml']);
    assert.equal(r.code, 0);
    assert.equal(r.out, 'ok: 3 plays, 29 tasks, 4 hosts, 0 warnings\n');
  });

  it('validate: errors as FILE:LINE:COL: error: MESSAGE (hint), exit 4', () => {
    const r = amqRun(['validate', 'test/fixtures/invalid/11-unknown-module-near.yaml']);
    assert.equal(r.code, 4);
    assert.equal(
      r.out.split('\n')[0],
      "test/fixtures/invalid/11-unknown-module-near.yaml:9:9: error: unknown module 'nfs_exprt' (did you mean 'nfs_export'?)",
    );
    assert.match(r.out, /^1 error, 0 warnings$/m);
  });

  it('validate: -i replaces the inventory; -e sets variables', () => {
    const inv = join(tmp, 'inv.yaml');
    writeFileSync(inv, 'hosts:\n  nfs1: { address: 10.0.0.1 }\n  broker1: { address: 10.0.0.2, vars: { broker_name: a } }\n  broker2: { address: 10.0.0.3, vars: { broker_name: a } }\n  lb1: {}\ngroups:\n  nfs: { hosts: [nfs1] }\n  brokers: { hosts: [broker1, broker2] }\n  lb: { hosts: [lb1] }\n');
    const r = amqRun(['validate', 'playbooks/ha.yaml', '-i', inv]);
    assert.equal(r.code, 4);
    assert.match(r.out, /playbooks\/ha\.yaml:\d+:\d+: error: brokers broker1 and broker2 would both be named 'a'/);
    const e = amqRun(['validate', 'playbooks/ha.yaml', '-e', 'console_port=61616']);
    assert.equal(e.code, 4, e.out);
    assert.match(e.out, /playbooks\/ha\.yaml:\d+:\d+: error: web console would listen on port 61616 of broker1 and broker2, which transport openwire of task 'Configure the broker' already takes/);
    assert.match(e.out, /web console backend 'console_back' sends HTTP to broker1:61616, where transport openwire listens/);
  });

  it('the console balanced onto 61616 is refused before anything runs', () => {
    const r = amqRun(['playbooks/ha.yaml', '-e', 'console_port=61616', '--json', '--yes']);
    assert.equal(r.code, 4);
    assert.equal(r.out, '', 'no event: nothing ran');
    assert.match(r.err, /playbooks\/ha\.yaml:\d+:\d+: error: web console would listen on port 61616 of broker1 and broker2, which transport openwire of task 'Configure the broker' already takes/);
  });

  it('list shows plays, resolved hosts and tasks', () => {
    const r = amqRun(['list', 'playbooks/ha.yaml']);
    assert.equal(r.code, 0);
    assert.match(r.out, /Prepare the NFS server {2}\[nfs1\]/);
    assert.match(r.out, /Install and configure the brokers, one at a time {2}\[broker1, broker2\], become, serial 1/);
    assert.match(r.out, /- Configure the broker {2}\(activemq_broker\) {2}notify: restart activemq/);
    const one = amqRun(['list', 'playbooks/ha.yaml', '--play', 'HAProxy in front of the brokers']);
    assert.equal(one.code, 0);
    assert.equal(one.out.match(/^play #/gm)?.length, 1);
    assert.match(one.out, /^play #3: HAProxy in front of the brokers/m);
    const typo = amqRun(['list', 'playbooks/ha.yaml', '--play', 'HAProxy in front of the broker']);
    assert.equal(typo.code, 1);
    assert.match(typo.err, /no play named 'HAProxy in front of the broker' \(did you mean 'HAProxy in front of the brokers'\?\)/);
    const limited = amqRun(['list', 'playbooks/ha.yaml', '--limit', 'lb']);
    assert.match(limited.out, /Install and configure the brokers, one at a time {2}\[no hosts\]/);
  });

  describe('edges of the command line: usage errors before anything runs', () => {
    const tagged = () => {
      const pb = join(tmp, 'tagged.yaml');
      writeFileSync(
        pb,
        `name: tagged\ninventory:\n  hosts:\n    h1: { connection: local }\nplays:\n  - name: p\n    hosts: h1\n    tags: [install]\n    tasks:\n      - name: one\n        command: { cmd: "true" }\n        tags: [first]\n        notify: h\n    handlers:\n      - name: h\n        command: { cmd: "true" }\n`,
      );
      return pb;
    };

    it('-e for a declared secret: exit 1, naming the secret and how to set it', () => {
      const r = amqRun(['playbooks/ha.yaml', '-i', 'playbooks/local.inventory.yaml', '-e', 'demo_root=/nonexistent', '-e', 'admin_password=hunter2-visible', '--dry-run', '--json']);
      assert.equal(r.code, 1);
      assert.equal(r.out, '', 'nothing ran');
      assert.match(r.err, /-e admin_password: 'admin_password' is a secret and cannot be set with -e .*set the environment variable AMQ_ADMIN_PASSWORD instead/);
      noStackTrace(r.err);
    });

    it('--step without a terminal: exit 1 with a clear message, asked nothing', () => {
      const r = amqRun([tagged(), '--step']);
      assert.equal(r.code, 1);
      assert.equal(r.err.trim(), 'amq-run: --step asks before each change, and stdin is not a terminal: run it in a terminal, or drop --step (--yes applies without asking)');
      assert.equal(r.out, '');
    });

    it('--detailed-exitcode without --dry-run: exit 1', () => {
      const r = amqRun([tagged(), '--detailed-exitcode']);
      assert.equal(r.code, 1);
      assert.match(r.err, /--detailed-exitcode only has a meaning with --dry-run/);
      assert.equal(r.out, '');
    });

    it('play tags: every task and handler of the play has them; a tag no task has is an error with "did you mean"', () => {
      const listed = amqRun(['list', tagged()]);
      assert.match(listed.out, /- one {2}\(command\) {2}tags: install, first/);
      const typo = amqRun([tagged(), '--tags', 'instal', '--dry-run']);
      assert.equal(typo.code, 1);
      assert.match(typo.err, /--tags: no task or handler has the tag 'instal' \(did you mean 'install'\?\)/);
      const skip = amqRun([tagged(), '--skip-tags', 'frist', '--dry-run']);
      assert.equal(skip.code, 1);
      assert.match(skip.err, /--skip-tags: no task or handler has the tag 'frist' \(did you mean 'first'\?\)/);
      const byPlayTag = amqRun([tagged(), '--tags', 'install', '--json']);
      assert.equal(byPlayTag.code, 0, byPlayTag.err);
      const done = byPlayTag.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; task?: string; handler?: string });
      assert.deepEqual(done.filter((e) => e.type.endsWith('_result')).map((e) => e.task ?? `handler ${e.handler}`), ['one', 'handler h']);
      const skipped = amqRun([tagged(), '--skip-tags', 'install', '--json']);
      assert.deepEqual(skipped.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string }).filter((e) => e.type.endsWith('_result')), [], 'the play tag skips its tasks and handlers');
    });

    it('--no-color is an option; plain and JSON output have no escape codes with or without it', () => {
      for (const extra of [['--no-color'], []]) {
        for (const face of ['--plain', '--json']) {
          const r = amqRun([tagged(), '--dry-run', face, ...extra], ROOT, { NO_COLOR: extra.length ? '' : '1' });
          assert.equal(r.code, 0, r.err);
          assert.ok(!(r.out + r.err).includes('\u001b'), `${face} ${extra.join(' ')}`);
        }
      }
    });
  });

  it('modules lists the catalog and documents one module', () => {
    const all = amqRun(['modules']);
    assert.equal(all.code, 0);
    assert.equal(all.out.trim().split('\n').filter((l) => /^\w+ {2,}\S/.test(l)).length, 23);
    const one = amqRun(['modules', 'haproxy']);
    assert.equal(one.code, 0);
    assert.match(one.out, /haproxy -c -f/);
    assert.match(one.out, /balance \(string, default roundrobin/);
    const typo = amqRun(['modules', 'haprxy']);
    assert.equal(typo.code, 1);
    assert.match(typo.err, /did you mean 'haproxy'/);
  });

  describe('bad input never shows a stack trace', () => {
    it('a missing playbook: exit 4', () => {
      const r = amqRun(['validate', 'no/such/playbook.yaml']);
      assert.equal(r.code, 4);
      assert.equal(r.err.trim(), "amq-run: cannot read the playbook 'no/such/playbook.yaml'");
      noStackTrace(r.err + r.out);
    });

    it('bad YAML: exit 4 with the position', () => {
      const f = join(tmp, 'bad.yaml');
      writeFileSync(f, 'name: x\nplays: [\n  - name: {\n');
      const r = amqRun(['validate', f]);
      assert.equal(r.code, 4);
      assert.match(r.out, /bad\.yaml:\d+:\d+: error: YAML: /);
      noStackTrace(r.err + r.out);
      const run = amqRun([f, '--dry-run']);
      assert.equal(run.code, 4);
      noStackTrace(run.err + run.out);
    });

    it('an unreadable inventory (a directory, a missing file): exit 4', () => {
      for (const inv of [tmp, join(tmp, 'missing.yaml')]) {
        const r = amqRun(['validate', 'playbooks/ha.yaml', '-i', inv]);
        assert.equal(r.code, 4);
        assert.match(r.out, /:1:1: error: cannot read the inventory file \(check the path given to -i\)/);
        noStackTrace(r.err + r.out);
      }
    });

    it('an inventory that is not YAML: exit 4', () => {
      const f = join(tmp, 'inv-bad.yaml');
      writeFileSync(f, 'hosts: [a, b\n');
      const r = amqRun(['validate', 'playbooks/ha.yaml', '-i', f]);
      assert.equal(r.code, 4);
      assert.match(r.out, /inv-bad\.yaml:1:\d+: error: YAML: /);
      noStackTrace(r.err + r.out);
    });

    it('an unknown flag or command: exit 1 with a pointer to --help', () => {
      for (const args of [['--bogus'], ['validate', '--bogus', 'playbooks/ha.yaml'], ['playbooks/ha.yaml', '--forks', 'many'], ['validate'], ['playbooks/ha.yaml', '-e', 'no-equals']]) {
        const r = amqRun(args);
        assert.equal(r.code, 1, args.join(' '));
        assert.ok(r.err.length > 0);
        noStackTrace(r.err + r.out);
      }
    });

    it('an internal error (here: the output cannot be written) has its own exit code, not a task failure', async () => {
      const err: string[] = [];
      const code = await main(['node', 'amq-run', 'modules'], { out: () => { throw new Error('EPIPE: the reader went away'); }, err: (s) => err.push(s) });
      assert.equal(code, EXIT.internal);
      assert.notEqual(code, EXIT.taskFailed);
      assert.deepEqual(err, ['amq-run: internal error: EPIPE: the reader went away (AMQ_RUN_DEBUG=1 shows where)']);
    });
  });
});

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMQ_RUN, fixture, ROOT } from '../helpers/paths.js';

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/** The whole pane, scrollback included; with `escapes`, its colours as escape sequences. */
function screen(session: string, escapes = false): string {
  return tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-S', '-', '-t', session);
}

async function exited(dir: string, file: string, session: string): Promise<string> {
  const t0 = Date.now();
  while (!existsSync(join(dir, file))) {
    if (Date.now() - t0 > 30_000) throw new Error(`the runner did not exit; the screen:\n${screen(session)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return readFileSync(join(dir, file), 'utf8').trim();
}

/** Processes whose command line holds `mark`; not tmux itself (its server keeps the command line it was started with). */
function running(mark: string): string {
  return spawnSync('pgrep', ['-af', mark], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.trim() && !/^\d+ tmux /.test(l))
    .join('\n');
}

async function waitFor(session: string, re: RegExp, what: string, timeoutMs = 20_000): Promise<string> {
  const t0 = Date.now();
  for (;;) {
    const s = screen(session);
    if (re.test(s)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out waiting for ${what}; the screen:\n${s}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the interactive runner in a real terminal (tmux)', function () {
  this.timeout(60_000);
  const session = `amq-step-${process.pid}`;
  let dir: string;

  before(() => {
    const v = spawnSync('tmux', ['-V'], { encoding: 'utf8' });
    if (v.status !== 0) throw new Error('tmux is not installed (apt-get install tmux; .ci/lab-packages.sh installs it)');
    dir = mkdtempSync(join(tmpdir(), 'amq-step-'));
  });
  after(() => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('--step: n to the first change, y to the second, q at the third; each diff shows before its question; exit 130', async () => {
    const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color '${process.execPath}' '${AMQ_RUN}' '${fixture('step', 'step.yaml')}' -e 'root=${dir}' --step; echo "exit=$?" > '${dir}/exit'; sleep 30`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);

    const first = await waitFor(session, /Apply "first file"/, 'the first question');
    assert.ok(first.indexOf('+first=1') >= 0 && first.indexOf('+first=1') < first.indexOf('Apply "first file"'), 'the first diff shows before its question');
    tmux('send-keys', '-t', session, 'n');

    const second = await waitFor(session, /Apply "second file"/, 'the second question');
    const secondTail = second.slice(second.lastIndexOf('first file'));
    assert.ok(secondTail.indexOf('+second=2') < secondTail.indexOf('Apply "second file"'), 'the second diff shows before its question');
    tmux('send-keys', '-t', session, 'y');

    const third = await waitFor(session, /Apply "third file"/, 'the third question');
    assert.ok(third.lastIndexOf('+third=3') < third.lastIndexOf('Apply "third file"'));
    tmux('send-keys', '-t', session, 'q');

    const t0 = Date.now();
    while (!existsSync(join(dir, 'exit'))) {
      if (Date.now() - t0 > 20_000) throw new Error(`the runner did not exit; the screen:\n${screen(session)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(readFileSync(join(dir, 'exit'), 'utf8').trim(), 'exit=130');
    assert.equal(existsSync(join(dir, 'first.conf')), false, 'the first change was not made');
    assert.equal(readFileSync(join(dir, 'second.conf'), 'utf8'), 'second=2\n', 'the second was');
    assert.equal(existsSync(join(dir, 'third.conf')), false, 'the third was not');
    assert.equal(existsSync(join(dir, 'fourth.conf')), false, 'nothing after');

    const end = screen(session);
    const recap = end.slice(end.lastIndexOf('RECAP'));
    assert.match(recap, /local1\s+0\s+1\s+0\s+0\s+2\s+0\s+0/, `the recap: ok 0, changed 1, would change 0, would fail 0, skipped 2 (first and third), failed 0, unreachable 0:\n${recap}`);
    assert.match(end, /exit code 130/);
  });

  it('NO_COLOR=1 and --no-color: no colour in a terminal; without them, colours', async () => {
    const run = async (name: string, env: string, flag: string) => {
      const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION -u NO_COLOR -u FORCE_COLOR TERM=xterm-256color ${env} '${process.execPath}' '${AMQ_RUN}' '${fixture('step', 'step.yaml')}' -e 'root=${dir}' --dry-run ${flag}; echo "exit=$?" > '${dir}/exit-${name}'; sleep 30`;
      tmux('new-session', '-d', '-s', `${session}-${name}`, '-x', '100', '-y', '30', cmd);
      try {
        assert.equal(await exited(dir, `exit-${name}`, `${session}-${name}`), 'exit=0');
        return screen(`${session}-${name}`, true);
      } finally {
        spawnSync('tmux', ['kill-session', '-t', `${session}-${name}`]);
      }
    };
    const coloured = await run('colour', '', '');
    assert.match(coloured, /\u001b\[[0-9;]*3\dm/, 'colours by default');
    assert.match(coloured, /PLAY RECAP/);
    for (const [name, env, flag] of [['no-color-env', 'NO_COLOR=1', ''], ['no-color-flag', '', '--no-color']]) {
      const bare = await run(name!, env!, flag!);
      assert.match(bare, /PLAY RECAP/, name);
      assert.doesNotMatch(bare, /\u001b\[[0-9;]*[34]\dm/, `${name}: no colour`);
      assert.match(bare, /± would change/, `${name}: statuses read as words`);
    }
  });

  it('Ctrl-C twice: every running command is stopped with its whole process group, the recap shows, exit 130', async () => {
    const name = `${session}-abort`;
    const mark = `amq-tmux-abort-${process.pid}`;
    const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION '${process.execPath}' '${AMQ_RUN}' '${fixture('step', 'abort.yaml')}' -e 'root=${dir}' -e 'mark=${mark}'; echo "exit=$?" > '${dir}/exit-abort'; sleep 30`;
    tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30', cmd);
    try {
      await waitFor(name, /long one/, 'the long task');
      const t0 = Date.now();
      while (running(mark).split('\n').filter((l) => l.includes('sleep 600')).length < 4) {
        if (Date.now() - t0 > 20_000) throw new Error(`the commands did not start: ${running(mark)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      tmux('send-keys', '-t', name, 'C-c');
      await waitFor(name, /stopping after the running task/, 'the stop notice');
      tmux('send-keys', '-t', name, 'C-c');
      assert.equal(await exited(dir, 'exit-abort', name), 'exit=130');
      const end = screen(name);
      assert.match(end, /aborted: the commands that were running were stopped/);
      assert.match(end, /stopped by the abort/);
      assert.match(end.slice(end.lastIndexOf('PLAY RECAP')), /local1\s+0\s+1\s+0\s+0\s+0\s+1\s+0/, 'quick one changed, long one failed (stopped)');
      assert.match(end, /exit code 130 \(interrupted\)/);
      assert.equal(running(mark), '', 'nothing the run started keeps running');
      assert.equal(existsSync(join(dir, 'local1-three')), false);
    } finally {
      spawnSync('tmux', ['kill-session', '-t', name]);
      // Should the test fail half-way, what it started is stopped, by pid.
      for (const pid of running(mark).split('\n').map((l) => Number(l.split(' ')[0])).filter((n) => n > 1)) process.kill(pid, 'SIGKILL');
    }
  });

  it('Ctrl-C once: the notice shows, the running task finishes, nothing after it runs; exit 130', async () => {
    const name = `${session}-stop`;
    const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION '${process.execPath}' '${AMQ_RUN}' '${fixture('step', 'slow.yaml')}' -e 'root=${dir}'; echo "exit=$?" > '${dir}/exit-stop'; sleep 30`;
    tmux('new-session', '-d', '-s', name, '-x', '80', '-y', '24', cmd);
    try {
      await waitFor(name, /slow one/, 'the slow task');
      tmux('send-keys', '-t', name, 'C-c');
      await waitFor(name, /stopping after the running task/, 'the stop notice');
      const t0 = Date.now();
      while (!existsSync(join(dir, 'exit-stop'))) {
        if (Date.now() - t0 > 20_000) throw new Error(`the runner did not exit; the screen:\n${screen(name)}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      assert.equal(readFileSync(join(dir, 'exit-stop'), 'utf8').trim(), 'exit=130');
      assert.ok(existsSync(join(dir, 'slow-done')), 'the running task finished');
      assert.equal(existsSync(join(dir, 'three')), false, 'nothing after it ran');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', name]);
    }
  });

  it('50 hosts at 100x30: one line per task with its counts, the one failure expanded, the recap by groups; exit 2', async () => {
    const hosts = Array.from({ length: 50 }, (_, i) => `h${String(i + 1).padStart(2, '0')}`);
    const runbook = join(dir, 'fifty.yaml');
    writeFileSync(
      runbook,
      [
        'name: fifty hosts in a terminal',
        'inventory:',
        '  hosts:',
        ...hosts.map((h) => `    ${h}: { connection: local }`),
        '  groups:',
        `    fleet: { hosts: [${hosts.join(', ')}] }`,
        'plays:',
        '  - name: fleet',
        '    hosts: fleet',
        '    tasks:',
        '      - name: Host folder',
        `        directory: { path: "${dir}/fifty/{{ host.name }}" }`,
        '      - name: Host file',
        `        file: { path: "${dir}/fifty/{{ host.name }}/name", content: "{{ host.name }}" }`,
        '      - name: Only h17 refuses',
        '        command: { cmd: "test {{ host.name }} != h17 || { echo h17 says no >&2; exit 4; }" }',
        '      - name: After it',
        `        file: { path: "${dir}/fifty/{{ host.name }}/after", content: "done" }`,
        '',
      ].join('\n'),
    );
    const fifty = `${session}-50`;
    const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION TERM=xterm-256color '${process.execPath}' '${AMQ_RUN}' '${runbook}'; echo "exit=$?" > '${dir}/exit50'; sleep 30`;
    tmux('new-session', '-d', '-s', fifty, '-x', '100', '-y', '30', cmd);
    try {
      assert.equal(await exited(dir, 'exit50', fifty), 'exit=2');
      const lines = screen(fifty).split('\n').map((l) => l.trimEnd());
      for (const l of lines) assert.ok([...l].length <= 100, `wider than 100: ${l}`);
      const rows = (task: string) => lines.filter((l) => l.startsWith(`TASK ${task} `));
      const row = (task: string) => {
        const found = rows(task);
        assert.equal(found.length, 1, `one line for ${task} in\n${lines.join('\n')}`);
        return found[0]!;
      };
      assert.match(row('Host folder'), /50\/50 +~ 50 changed/);
      assert.match(row('Host file'), /50\/50 +~ 50 changed/);
      assert.match(row('Only h17 refuses'), /50\/50 +~ 49 changed +✗ 1 failed/);
      assert.match(row('After it'), /49\/49 +~ 49 changed/);
      assert.ok(lines.some((l) => /✗ h17: /.test(l)), `the failure expanded:\n${lines.join('\n')}`);
      assert.ok(lines.some((l) => /h17 says no/.test(l)), 'with what the command printed');
      const at = lines.indexOf('PLAY RECAP');
      assert.ok(at > 0, 'the recap');
      assert.ok(lines.slice(at).some((l) => /^h17\s+0\s+2\s+0\s+0\s+0\s+1\s+0$/.test(l)), `h17 on a line of its own:\n${lines.slice(at).join('\n')}`);
      assert.ok(lines.slice(at).some((l) => /^49 hosts\s+0\s+4\s+0/.test(l)), 'the 49 others as one group');
      assert.equal(readFileSync(join(dir, 'fifty', 'h50', 'after'), 'utf8'), 'done');
      assert.equal(existsSync(join(dir, 'fifty', 'h17', 'after')), false, 'nothing after the failure on h17');
    } finally {
      spawnSync('tmux', ['kill-session', '-t', fifty]);
    }
  });
});

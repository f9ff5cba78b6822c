import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AMQ_RUN, fixture, ROOT } from '../helpers/paths.js';

function tmux(...args: string[]): string {
  return execFileSync('tmux', args, { encoding: 'utf8' });
}

/** The whole pane, scrollback included. */
function screen(session: string): string {
  return tmux('capture-pane', '-p', '-J', '-S', '-', '-t', session);
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
    assert.match(recap, /local1\s+0\s+1\s+0\s+2\s+0\s+0/, `the recap: ok 0, changed 1, would change 0, skipped 2 (first and third), failed 0, unreachable 0:\n${recap}`);
    assert.match(end, /exit code 130/);
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
});

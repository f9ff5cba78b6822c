import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { labUp, type Lab } from '../../lab/lab.js';
import { AMQ_RUN, fixture, ROOT } from '../helpers/paths.js';

const tmux = (...args: string[]) => execFileSync('tmux', args, { encoding: 'utf8' });
const screen = (s: string) => tmux('capture-pane', '-p', '-J', '-S', '-', '-t', s);
/** Processes whose command line holds `mark`; not tmux itself (its server keeps the command line it was started with). */
const running = (mark: string) =>
  spawnSync('pgrep', ['-af', mark], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter((l) => l.trim() && !/^\d+ tmux /.test(l))
    .join('\n');

async function until(what: string, cond: () => boolean, session: string, ms = 30_000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}; the screen:\n${screen(session)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('lab: Ctrl-C twice over SSH, in a real terminal (tmux)', function () {
  this.timeout(120_000);
  let lab: Lab;
  let dir: string;
  const session = `amq-lab-abort-${process.pid}`;
  const mark = `amq-lab-abort-${process.pid}`;
  before(async () => {
    if (spawnSync('tmux', ['-V']).status !== 0) throw new Error('tmux is not installed (.ci/lab-packages.sh installs it)');
    dir = mkdtempSync(join(tmpdir(), 'amq-lab-abort-'));
    lab = await labUp();
  });
  after(async () => {
    spawnSync('tmux', ['kill-session', '-t', session]);
    for (const pid of running(mark).split('\n').map((l) => Number(l.split(' ')[0])).filter((n) => n > 1)) process.kill(pid, 'SIGKILL');
    await lab?.down();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the commands running on both brokers are stopped with their process groups; the recap shows; exit 130', async () => {
    const cmd = `cd '${ROOT}' && env -u CI -u CONTINUOUS_INTEGRATION '${process.execPath}' '${AMQ_RUN}' '${fixture('lab', 'abort.yaml')}' -i '${lab.inventoryPath}' -e 'mark=${mark}'; echo "exit=$?" > '${dir}/exit'; sleep 60`;
    tmux('new-session', '-d', '-s', session, '-x', '100', '-y', '30', cmd);
    // Each broker runs the command's shell, its sleep, and the inner sh with its sleep.
    await until('the commands on both brokers', () => running(mark).split('\n').filter((l) => / sleep 600$|sleep 600;/.test(l)).length >= 4, session);
    tmux('send-keys', '-t', session, 'C-c');
    await until('the stop notice', () => /stopping after the running task/.test(screen(session)), session);
    tmux('send-keys', '-t', session, 'C-c');
    await until('the end', () => existsSync(join(dir, 'exit')), session);
    assert.equal(readFileSync(join(dir, 'exit'), 'utf8').trim(), 'exit=130');
    const end = screen(session);
    assert.match(end, /aborted: the commands that were running were stopped/);
    assert.match(end, /PLAY RECAP/);
    assert.match(end, /broker1\s+0\s+0\s+0\s+0\s+0\s+1\s+0/);
    assert.match(end, /broker2\s+0\s+0\s+0\s+0\s+0\s+1\s+0/);
    assert.equal(running(mark), '', 'nothing the run started keeps running on the hosts');
    for (const h of ['broker1', 'broker2']) assert.equal(existsSync(join(lab.L, 'hosts', h, 'never')), false);
  });
});

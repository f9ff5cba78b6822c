import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { LocalTransport } from '../../runner/src/transport/local.js';
import { ROOT } from '../helpers/paths.js';

/** Processes whose command line holds `mark` (our own pgrep is left out). */
function running(mark: string): string[] {
  const r = spawnSync('pgrep', ['-af', mark], { encoding: 'utf8' });
  return r.stdout.split('\n').filter((l) => l.trim() && !l.includes('pgrep'));
}

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
  return true;
}

describe('local transport: one shell, commands in process groups of their own', function () {
  this.timeout(30_000);
  let t: LocalTransport;
  beforeEach(() => {
    t = new LocalTransport('local');
  });
  afterEach(() => t.close());

  it('runs commands with their own stdin, exit code and streams', async () => {
    assert.deepEqual(await t.exec('cat; echo err >&2; exit 3', { stdin: 'in\n' }), { code: 3, stdout: 'in\n', stderr: 'err\n' });
    assert.deepEqual(await t.exec('echo "$#" "$1"'), { code: 0, stdout: '0 \n', stderr: '' }, 'no arguments of the wrapper leak into the command');
  });

  it('abort stops the running command and everything it started, and the transport stays usable', async () => {
    const mark = `amq-abort-${randomBytes(4).toString('hex')}`;
    const cmd = `sh -c 'sleep 300; : ${mark}-a' & sh -c 'sleep 300; : ${mark}-b'; echo never`;
    const result = t.exec(cmd);
    assert.ok(await until(() => running(mark).length >= 2, 10_000), 'both started');
    const t0 = Date.now();
    await t.abort();
    const r = await result;
    assert.equal(r.code, 143, 'ended by SIGTERM');
    assert.equal(r.stdout, '');
    assert.ok(Date.now() - t0 < 5_000);
    assert.ok(await until(() => running(mark).length === 0, 5_000), `still running: ${running(mark).join('; ')}`);
    assert.equal((await t.exec('echo again')).stdout, 'again\n');
  });

  it('a timeout stops the command group at the deadline: code 137 and a note', async () => {
    const mark = `amq-deadline-${randomBytes(4).toString('hex')}`;
    const t0 = Date.now();
    const r = await t.exec(`sh -c 'sleep 300; : ${mark}' & wait`, { timeoutMs: 500 });
    assert.equal(r.code, 137);
    assert.match(r.stderr, /\(timed out after 500 ms\)$/);
    assert.ok(Date.now() - t0 < 5_000);
    assert.ok(await until(() => running(mark).length === 0, 5_000));
  });

  it('an idle transport does not keep the process alive', () => {
    const script = `import { LocalTransport } from '${ROOT}out/runner/src/transport/local.js'; const t = new LocalTransport('x'); console.log((await t.exec('echo hi')).stdout.trim());`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, 'hi\n');
  });
});

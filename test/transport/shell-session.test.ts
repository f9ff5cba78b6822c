import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { ShellSession } from '../../runner/src/transport/shell-session.js';

/** A session over a local `sh`, the same way the SSH transport runs one over its channel. */
function localSession(): { session: ShellSession; child: ChildProcess } {
  const child = spawn('sh', [], { stdio: ['pipe', 'pipe', 'pipe'] });
  const session = new ShellSession(
    {
      write: (t) => child.stdin!.write(t),
      onOut: (cb) => child.stdout!.on('data', cb),
      onErr: (cb) => child.stderr!.on('data', cb),
      onClose: (cb) => child.on('close', cb),
      close: () => child.stdin!.end(),
    },
    () => new Error('session lost'),
  );
  return { session, child };
}

describe('shell session: many commands through one shell', () => {
  let s: ReturnType<typeof localSession>;
  beforeEach(() => {
    s = localSession();
  });
  afterEach(() => {
    s.child.kill('SIGKILL');
  });

  it('keeps output bytes, stderr and exit codes of each command apart', async () => {
    assert.deepEqual(await s.session.run('printf "a\\nb"', undefined), { code: 0, stdout: 'a\nb', stderr: '' });
    assert.deepEqual(await s.session.run('echo out; echo err >&2; exit 3', undefined), { code: 3, stdout: 'out\n', stderr: 'err\n' });
    assert.deepEqual(await s.session.run('printf "\\n\\n"', undefined), { code: 0, stdout: '\n\n', stderr: '' });
    assert.deepEqual(await s.session.run('printf "é€ ✓"', undefined), { code: 0, stdout: 'é€ ✓', stderr: '' });
  });

  it('gives each command its own stdin, exactly, and nothing when there is none', async () => {
    const text = "line 1\n'quoted' $(not run) `not run`\nno final newline";
    assert.equal((await s.session.run('cat', text)).stdout, text);
    assert.equal((await s.session.run('cat', '')).stdout, '');
    assert.equal((await s.session.run('cat', undefined)).stdout, '');
    const big = 'x'.repeat(1024 * 1024 - 1) + '\n';
    const r = await s.session.run('cat', big);
    assert.equal(r.stdout.length, big.length);
    assert.equal(r.stdout, big);
  });

  it('runs queued commands in order; exit or cd in one does not touch the session', async () => {
    const results = await Promise.all([s.session.run('cd /; exit 4', undefined), s.session.run('pwd', undefined), s.session.run('echo still here', undefined)]);
    assert.equal(results[0].code, 4);
    assert.equal(results[1].stdout.trim(), process.cwd());
    assert.equal(results[2].stdout, 'still here\n');
  });

  it('a command that prints a marker-like line cannot end another early', async () => {
    const r = await s.session.run("printf '\\nAMQ-END-0123 0\\n'; echo after", undefined);
    assert.equal(r.stdout, '\nAMQ-END-0123 0\nafter\n');
  });

  it('rejects pending and later commands when the shell dies', async () => {
    const pending = s.session.run('sleep 5', undefined);
    s.child.kill('SIGKILL');
    await assert.rejects(pending, /session lost/);
    await assert.rejects(s.session.run('true', undefined), /session lost/);
  });
});

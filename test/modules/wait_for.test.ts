import assert from 'node:assert/strict';
import { createServer, type AddressInfo } from 'node:net';
import { CheckFailed, type CheckContext } from '../../runner/src/modules/lib/context.js';
import { ok } from '../../runner/src/modules/lib/plan.js';
import { probeCommand } from '../../runner/src/modules/lib/tcp-probe.js';
import { waitFor, type WaitForParams } from '../../runner/src/modules/wait_for.js';
import { LocalTransport } from '../../runner/src/transport/local.js';
import type { ExecResult } from '../../runner/src/transport/transport.js';
import { FakeHost } from '../helpers/fake-host.js';

const OPEN: ExecResult = { code: 0, stdout: '', stderr: '' };
const REFUSED: ExecResult = { code: 1, stdout: '', stderr: 'bash: connect: Connection refused\nbash: line 1: /dev/tcp/127.0.0.1/61616: Connection refused\n' };
const SILENT: ExecResult = { code: 124, stdout: '', stderr: '' };
const PROBE = probeCommand('127.0.0.1', 61616);

const params = (p: Partial<WaitForParams> = {}): WaitForParams => ({ port: 61616, state: 'open', timeout: 60, ...p });

/** A context that records how long the check asked to sleep, without sleeping. */
function timedCtx(host: FakeHost, dryRun = false): { ctx: CheckContext; slept: number[] } {
  const slept: number[] = [];
  const ctx = host.ctx({ dryRun });
  ctx.sleep = async (ms) => {
    slept.push(ms);
  };
  return { ctx, slept };
}

/** Replies with the given results in turn, the last one from then on. */
function sequence(...results: ExecResult[]): () => ExecResult {
  let i = 0;
  return () => results[Math.min(i++, results.length - 1)];
}

describe('wait_for module', () => {
  it('probes 127.0.0.1 with bash /dev/tcp, falling back to nc', () => {
    assert.equal(
      PROBE,
      "if command -v bash >/dev/null 2>&1; then timeout 2 bash -c ': < /dev/tcp/127.0.0.1/61616'; elif command -v nc >/dev/null 2>&1; then nc -z -w 2 127.0.0.1 61616; else echo 'cannot probe a port: neither bash nor nc is installed' >&2; exit 127; fi",
    );
  });

  it('the probe command tells a real listener from a closed port on this machine', async () => {
    const server = createServer((sock) => sock.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const local = new LocalTransport('local');
    try {
      assert.equal((await local.exec(probeCommand('127.0.0.1', port))).code, 0);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    const closed = await local.exec(probeCommand('127.0.0.1', port));
    await local.close();
    assert.notEqual(closed.code, 0);
    assert.match(closed.stderr, /refused/i);
  });

  it('is ok at once when the port is open', async () => {
    const host = new FakeHost().on(PROBE, OPEN);
    const { ctx, slept } = timedCtx(host);
    assert.deepEqual(await waitFor.check!(ctx, params()), ok('127.0.0.1:61616 is open'));
    assert.deepEqual(slept, []);
  });

  it('polls once a second until the port opens', async () => {
    const host = new FakeHost().on(PROBE, sequence(REFUSED, REFUSED, SILENT, OPEN));
    const { ctx, slept } = timedCtx(host);
    assert.deepEqual(await waitFor.check!(ctx, params()), ok('127.0.0.1:61616 is open (after 3 s)'));
    assert.deepEqual(slept, [1000, 1000, 1000]);
    assert.equal(host.reads.length, 4);
  });

  it('fails after the timeout with what the last probe saw', async () => {
    const host = new FakeHost().on(PROBE, REFUSED);
    const { ctx, slept } = timedCtx(host);
    await assert.rejects(waitFor.check!(ctx, params({ timeout: 5 })), (e: unknown) => {
      assert.ok(e instanceof CheckFailed);
      assert.equal(e.message, '127.0.0.1:61616 not open after 5 s; last probe: connection refused');
      assert.equal(e.command?.cmd, PROBE);
      assert.equal(e.command?.code, 1);
      return true;
    });
    // Probe time counts toward the timeout, so the naps add up to the timeout less what the probes took.
    const napped = slept.reduce((a, b) => a + b, 0);
    assert.ok(napped > 4000 && napped <= 5000, `slept ${napped} ms`);
  });

  it('state closed waits for the port to refuse connections', async () => {
    const host = new FakeHost().on(PROBE, sequence(OPEN, REFUSED));
    const { ctx } = timedCtx(host);
    assert.deepEqual(await waitFor.check!(ctx, params({ state: 'closed' })), ok('127.0.0.1:61616 is closed (after 1 s)'));
    const still = new FakeHost().on(PROBE, OPEN);
    await assert.rejects(waitFor.check!(timedCtx(still).ctx, params({ state: 'closed', timeout: 2 })), /127.0.0.1:61616 not closed after 2 s; last probe: open/);
  });

  it('names an unknown host as bash reports it', async () => {
    const host = new FakeHost().on(probeCommand('db1', 5432), { code: 1, stdout: '', stderr: 'bash: db1: Name or service not known\nbash: line 1: /dev/tcp/db1/5432: Invalid argument\n' });
    await assert.rejects(waitFor.check!(timedCtx(host).ctx, params({ host: 'db1', port: 5432, timeout: 1 })), /db1:5432 not open after 1 s; last probe: db1: Name or service not known/);
  });

  it('probes the given host', async () => {
    const host = new FakeHost().on(probeCommand('127.0.10.2', 61613), OPEN);
    assert.deepEqual(await waitFor.check!(timedCtx(host).ctx, params({ host: '127.0.10.2', port: 61613 })), ok('127.0.10.2:61613 is open'));
  });

  it('a dry-run probes once, never waits and never fails; what it would wait for is unknown until the run gets there', async () => {
    const later = 'whether 127.0.0.1:61616 is open in time is known only when the run gets there';
    for (const [reply, note, unknown] of [
      [REFUSED, 'would wait up to 60 s for 127.0.0.1:61616 to be open (closed now)', later],
      [SILENT, 'would wait up to 60 s for 127.0.0.1:61616 to be open (closed now)', later],
      [OPEN, '127.0.0.1:61616 is open', undefined],
      [{ code: 127, stdout: '', stderr: 'cannot probe a port: neither bash nor nc is installed\n' }, 'would wait up to 60 s for 127.0.0.1:61616 to be open (cannot probe now: cannot probe a port: neither bash nor nc is installed)', later],
    ] as const) {
      const host = new FakeHost().on(PROBE, reply);
      const { ctx, slept } = timedCtx(host, true);
      assert.deepEqual(await waitFor.check!(ctx, params()), ok(note, unknown));
      assert.deepEqual(slept, []);
      assert.equal(host.reads.length, 1);
    }
  });

  it('a probe that cannot run fails at once, naming why', async () => {
    const host = new FakeHost().on(PROBE, { code: 127, stdout: '', stderr: 'cannot probe a port: neither bash nor nc is installed\n' });
    await assert.rejects(waitFor.check!(timedCtx(host).ctx, params()), /cannot probe 127.0.0.1:61616: cannot probe a port: neither bash nor nc is installed/);
  });

  it('check() never writes', async () => {
    const host = new FakeHost().on(PROBE, sequence(REFUSED, OPEN));
    await waitFor.check!(timedCtx(host).ctx, params());
    await waitFor.check!(timedCtx(host, true).ctx, params({ state: 'closed' }));
    assert.deepEqual(host.writes, []);
  });
});

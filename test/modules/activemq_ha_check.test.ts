import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { activemqHaCheck, splitHostPort, type ActivemqHaCheckParams } from '../../runner/src/modules/activemq_ha_check.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { ok } from '../../runner/src/modules/lib/plan.js';
import { probeCommand } from '../../runner/src/modules/lib/tcp-probe.js';
import { FakeHost } from '../helpers/fake-host.js';
import { withRealShell } from '../helpers/real-shell.js';

const B1 = '192.168.10.192:61616';
const B2 = '192.168.10.193:61616';
const P1 = probeCommand('192.168.10.192', 61616);
const P2 = probeCommand('192.168.10.193', 61616);
const OPEN = { code: 0, stdout: '', stderr: '' };
const REFUSED = { code: 1, stdout: '', stderr: 'bash: line 1: connect: Connection refused\nbash: line 1: /dev/tcp/192.168.10.193/61616: Connection refused\n' };
const params = (p: Partial<ActivemqHaCheckParams> = {}): ActivemqHaCheckParams => ({ brokers: [B1, B2], timeout: 60, ...p });
const check = (host: FakeHost, p: ActivemqHaCheckParams, dryRun = false) => activemqHaCheck.check!(host.ctx({ dryRun }), p);

describe('activemq_ha_check module', () => {
  it('splits host:port and [v6]:port', () => {
    assert.deepEqual(splitHostPort('10.0.0.1:61616'), { host: '10.0.0.1', port: 61616 });
    assert.deepEqual(splitHostPort('[fd00::1]:61616'), { host: 'fd00::1', port: 61616 });
  });

  it('never plans a change: with no master it fails after the timeout', async () => {
    const host = new FakeHost().on(P1, REFUSED).on(P2, REFUSED);
    await assert.rejects(
      check(host, params({ timeout: 5 })),
      (e: Error) =>
        e instanceof CheckFailed &&
        e.message === `no master: none of ${B1}, ${B2} accepts connections (after 5 s); no broker holds the store lock: are the brokers running, and do they reach the shared store?`,
    );
    assert.equal(host.reads.length, 12, 'probed both brokers once a second: at 0..5 s');
  });

  it('is ok when exactly one broker accepts connections', async () => {
    const host = new FakeHost().on(P1, REFUSED).on(P2, OPEN);
    assert.deepEqual(await check(host, params()), ok(`master ${B2}; slave ${B1}`));
  });

  it('is ok again on a second check (a probe plans nothing to apply)', async () => {
    const host = new FakeHost().on(P1, OPEN).on(P2, REFUSED);
    const plan = await check(host, params());
    host.apply(plan);
    assert.deepEqual(await check(host, params()), plan);
  });

  it('only reads the host, in a run and in a dry-run', async () => {
    const host = new FakeHost().on(P1, OPEN).on(P2, OPEN);
    await assert.rejects(check(host, params({ timeout: 2 })));
    await check(host, params(), true);
    assert.deepEqual(host.writes, []);
    assert.ok(host.reads.every((c) => c === P1 || c === P2));
  });

  it('fails on two masters, naming them', async () => {
    const host = new FakeHost().on(P1, OPEN).on(P2, OPEN);
    await assert.rejects(
      check(host, params({ timeout: 3 })),
      (e: Error) => e instanceof CheckFailed && e.message === `2 masters: ${B1}, ${B2} accept connections — the store is not shared or the lock is broken (after 3 s)`,
    );
  });

  it('waits until the slave of a failover takes over', async () => {
    let probes = 0;
    const host = new FakeHost().on(P1, REFUSED).on(P2, () => (++probes >= 4 ? OPEN : REFUSED));
    assert.deepEqual(await check(host, params()), ok(`master ${B2}; slave ${B1} (after 3 s)`));
  });

  it('in a dry-run probes once and reports what it sees, without failing or waiting', async () => {
    const none = new FakeHost().on(P1, REFUSED).on(P2, REFUSED);
    const later = 'whether exactly one broker is master in time is known only when the run gets there';
    assert.deepEqual(await check(none, params(), true), ok(`now: no master: none of ${B1}, ${B2} accepts connections; would wait up to 60 s for exactly one master`, later));
    assert.equal(none.reads.length, 2);
    const one = new FakeHost().on(P1, OPEN).on(P2, REFUSED);
    assert.deepEqual(await check(one, params(), true), ok(`now: master ${B1}; slave ${B2}`));
    const broken = new FakeHost().on(P1, { code: 127, stdout: '', stderr: 'cannot probe a port: neither bash nor nc is installed' }).on(P2, OPEN);
    assert.deepEqual(await check(broken, params(), true), ok(`cannot probe ${B1} now: cannot probe a port: neither bash nor nc is installed`, later));
  });

  it('fails when the probe itself cannot run', async () => {
    const host = new FakeHost().on(P1, { code: 127, stdout: '', stderr: 'cannot probe a port: neither bash nor nc is installed' }).on(P2, OPEN);
    await assert.rejects(check(host, params()), (e: Error) => e instanceof CheckFailed && e.message === `cannot probe ${B1}: cannot probe a port: neither bash nor nc is installed` && e.command?.cmd === P1);
  });

  describe('with real listeners on loopback, probed by a real shell', () => {
    const servers: Server[] = [];
    let open = '';
    let closed = '';

    const listen = (host: string, port = 0) =>
      new Promise<Server>((resolve, reject) => {
        const s = createServer((c) => c.destroy());
        s.once('error', reject);
        s.listen(port, host, () => {
          servers.push(s);
          resolve(s);
        });
      });
    const portOf = (s: Server) => (s.address() as { port: number }).port;
    const close = (s: Server) => new Promise<void>((r) => s.close(() => r()));

    before(async () => {
      open = `127.0.0.2:${portOf(await listen('127.0.0.2'))}`;
      const gone = await listen('127.0.0.3');
      closed = `127.0.0.3:${portOf(gone)}`;
      servers.splice(servers.indexOf(gone), 1);
      await close(gone);
    });
    after(async () => {
      await Promise.all(servers.map(close));
    });

    const real = (p: ActivemqHaCheckParams, dryRun = false) => activemqHaCheck.check!(withRealShell(new FakeHost().ctx({ dryRun })), p);

    it('finds the one listening broker as master', async () => {
      assert.deepEqual(await real(params({ brokers: [closed, open] })), ok(`master ${open}; slave ${closed}`));
    });

    it('fails on two listening brokers', async () => {
      const second = `127.0.0.3:${portOf(await listen('127.0.0.3'))}`;
      await assert.rejects(real(params({ brokers: [open, second], timeout: 1 })), (e: Error) => e instanceof CheckFailed && e.message.startsWith(`2 masters: ${open}, ${second} accept connections`));
    });

    it('fails on none, and only reports it in a dry-run', async () => {
      await assert.rejects(real(params({ brokers: [closed, closed], timeout: 1 })), (e: Error) => e instanceof CheckFailed && e.message.startsWith('no master'));
      assert.equal((await real(params({ brokers: [closed, closed] }), true)).status, 'ok');
    });
  });
});

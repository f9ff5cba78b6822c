import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseShowStat, servingServer, showStatCommand, type StatServer } from '../../runner/src/cluster/haproxy-stat.js';
import { renderHaproxyCfg } from '../../runner/src/modules/text/haproxy-cfg.js';
import { LocalTransport } from '../../runner/src/transport/local.js';
import { HAPROXY, requireHaproxy } from '../helpers/haproxy.js';

/** A port that accepts connections (a broker that is master), and one that refuses them (a slave). */
async function listener(): Promise<{ server: Server; port: number }> {
  const server = createServer((s) => s.destroy());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as { port: number }).port };
}

describe("HAProxy's stats socket, read as amq-run status reads it (a real haproxy)", function () {
  this.timeout(60_000);
  let dir: string;
  let haproxy: ChildProcess | undefined;
  let up: { server: Server; port: number };
  let closedPort: number;
  let frontPort: number;
  const local = new LocalTransport('lb1');

  before(async () => {
    requireHaproxy();
    dir = mkdtempSync(join(tmpdir(), 'amq-stats-'));
    up = await listener();
    const closed = await listener();
    const front = await listener();
    closedPort = closed.port;
    frontPort = front.port;
    await new Promise((r) => closed.server.close(r));
    await new Promise((r) => front.server.close(r));
  });
  after(async () => {
    if (haproxy?.pid && haproxy.exitCode === null) {
      haproxy.kill('SIGTERM');
      await new Promise((r) => haproxy!.once('exit', r));
    }
    await new Promise((r) => up.server.close(r));
    await local.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the stats_socket line is valid for haproxy; show stat names every server, its state and the backup; clients go to the first server up', async () => {
    const socket = join(dir, 'admin.sock');
    const cfg = renderHaproxyCfg({
      global: ['maxconn 100'],
      stats_socket: socket,
      defaults: ['mode tcp', 'timeout connect 1s', 'timeout client 10s', 'timeout server 10s'],
      frontends: [{ name: 'stomp_front', bind: `127.0.0.1:${frontPort}`, mode: 'tcp', default_backend: 'stomp_back' }],
      backends: [
        {
          name: 'stomp_back',
          mode: 'tcp',
          balance: 'first',
          tcp_check: true,
          servers: [
            { name: 'broker1', address: `127.0.0.1:${closedPort}`, check: true, inter: '200ms', fall: 1, rise: 1, backup: false },
            { name: 'broker2', address: `127.0.0.1:${up.port}`, check: true, inter: '200ms', fall: 1, rise: 1, backup: true },
          ],
        },
      ],
    });
    assert.match(cfg, new RegExp(`^ {4}stats socket ${socket} mode 600 level user$`, 'm'));
    const file = join(dir, 'haproxy.cfg');
    writeFileSync(file, cfg);
    haproxy = spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'ignore', 'pipe'] });
    let rows: StatServer[] = [];
    const t0 = Date.now();
    // Waits for the checks to have run: broker1 refused, broker2 accepting.
    while (Date.now() - t0 < 30_000) {
      const r = await local.exec(showStatCommand(socket), { readOnly: true });
      if (r.code === 0) {
        rows = parseShowStat(r.stdout);
        if (rows.every((x) => /^(UP|DOWN)$/.test(x.state))) break;
      }
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual(rows, [
      { backend: 'stomp_back', server: 'broker1', state: 'DOWN', backup: false },
      { backend: 'stomp_back', server: 'broker2', state: 'UP', backup: true },
    ]);
    assert.equal(servingServer(rows)?.server, 'broker2', 'no active server up: the backup gets the clients');
    assert.equal(servingServer([{ ...rows[0], state: 'UP' }, rows[1]])?.server, 'broker1', 'an active server up comes before the backup');
    assert.equal(servingServer([rows[0], { ...rows[1], state: 'DOWN' }]), undefined);
  });

  it('output that is not show stat is an error in words', () => {
    assert.throws(() => parseShowStat('Unknown command.\n'), /not the output of 'show stat': Unknown command\./);
  });
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClusterStatus } from '../../runner/src/cluster/status.js';
import { AMQ_RUN } from '../helpers/paths.js';
import { treeChecksum } from '../helpers/tree.js';

describe('amq-run status on a cluster that is not running (local hosts)', function () {
  this.timeout(30_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-status-'));
    writeFileSync(join(dir, 'inventory.yaml'), 'defaults: { connection: local }\nhosts:\n  b1: { address: 127.0.0.1 }\n  lb: { address: 127.0.0.1 }\ngroups:\n  brokers: { hosts: [b1] }\n  lbs: { hosts: [lb] }\n');
    writeFileSync(
      join(dir, 'playbook.yaml'),
      `name: status
inventory: inventory.yaml
plays:
  - name: brokers
    hosts: brokers
    tasks:
      - name: Configure the broker
        activemq_broker: { conf: ${dir}/activemq.xml, broker_name: b1, transports: [openwire, stomp], bind: 127.0.0.1 }
      - name: ActiveMQ is running
        service: { name: activemq, state: started, manager: command, start: /bin/false, pidfile: ${dir}/amq.pid, process: { pidfile: ${dir}/amq.pid, cmdline: java } }
  - name: lb
    hosts: lbs
    tasks:
      - name: HAProxy
        haproxy:
          config: ${dir}/haproxy.cfg
          stats_socket: ${dir}/admin.sock
          frontends: [{ name: stomp_front, bind: "127.0.0.1:1", mode: tcp, default_backend: stomp_back }]
          backends: [{ name: stomp_back, mode: tcp, balance: first, servers: [{ name: b1, address: "127.0.0.1:61613" }] }]
`,
    );
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('names each broker down with its reason, each problem on a line, exits 2, and changes nothing', () => {
    const before = treeChecksum(dir);
    const r = spawnSync(process.execPath, [AMQ_RUN, 'status', 'playbook.yaml', '--json'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 2, r.stderr);
    const s = JSON.parse(r.stdout) as ClusterStatus;
    assert.equal(s.ok, false);
    assert.deepEqual(s.brokers.map((b) => [b.host, b.role, b.pid, b.store_mounted, b.reason]), [['b1', 'down', null, null, `not running: no ${dir}/amq.pid`]]);
    assert.match(s.problems[0], new RegExp(`^cannot read HAProxy's stats socket ${dir}/admin\\.sock on lb: connect\\(.*\\): No such file or directory$`));
    assert.deepEqual(s.problems.slice(1), [
      'no broker is master',
      'lb: a client through stomp_front (127.0.0.1:1) reaches no broker: connect ECONNREFUSED 127.0.0.1:1',
    ]);
    const text = spawnSync(process.execPath, [AMQ_RUN, 'status', 'playbook.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(text.status, 2);
    assert.match(text.stdout, /^ {2}b1 +down +no pid\n +not running: no .*amq\.pid$/m);
    assert.match(text.stdout, /^NOT healthy:\n {2}- cannot read HAProxy's stats socket/m);
    assert.equal(treeChecksum(dir), before, 'status changed nothing');
  });

  it('a runbook without brokers: a usage error in words', () => {
    writeFileSync(join(dir, 'none.yaml'), 'name: none\ninventory: inventory.yaml\nplays:\n  - name: p\n    hosts: lbs\n    tasks:\n      - name: c\n        command: { cmd: "true" }\n');
    const r = spawnSync(process.execPath, [AMQ_RUN, 'status', 'none.yaml'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 1);
    assert.match(r.stderr, /^amq-run: the runbook configures no broker \(no activemq_broker task\)/);
  });
});

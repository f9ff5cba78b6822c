import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { fingerprint } from '../../runner/src/transport/known-hosts.js';
import { q } from '../../runner/src/transport/quote.js';
import { connectSsh } from '../../runner/src/transport/ssh.js';
import { UnreachableError, type Transport } from '../../runner/src/transport/transport.js';
import { isAlive, labUp, portAnswers, waitForLog, waitForPort, type Lab } from '../../lab/lab.js';
import { ROOT } from '../helpers/paths.js';

const CLI = fileURLToPath(new URL('../../lab/cli.js', import.meta.url));
const ADDRESSES = { nfs1: '127.0.10.1', broker1: '127.0.10.2', broker2: '127.0.10.3', lb1: '127.0.10.4' };

function sh(cmd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .map((l) => l.split(' ')[1] ?? '')
    .filter((m) => m.startsWith(`${dir}/`));
}

describe('the lab (npm run lab)', function () {
  this.timeout(60_000);

  it('fails loudly, naming what is missing, when a dependency is not installed', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('amq-lab-')).length;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(labUp(), (e: Error) => {
        assert.match(e.message, /missing: .*java/);
        assert.match(e.message, /nfs-ganesha/);
        assert.match(e.message, /\.ci\/lab-packages\.sh/);
        return true;
      });
    } finally {
      process.env.PATH = path;
    }
    assert.equal(readdirSync(tmpdir()).filter((n) => n.startsWith('amq-lab-')).length, before, 'nothing was created');
  });

  describe('up, use, down', () => {
    let lab: Lab;
    const open: Transport[] = [];
    const connect = async (host: string) => {
      const t = await connectSsh(lab.sshOptions(host));
      open.push(t);
      return t;
    };

    before(async () => {
      const t0 = Date.now();
      lab = await labUp();
      console.log(`      (lab up in ${Date.now() - t0} ms)`);
    });
    after(async () => {
      for (const t of open) await t.close();
      await lab?.down();
    });

    it('four hosts: each sshd answers on its own address only, with its key pinned in known_hosts', async () => {
      assert.deepEqual(
        lab.hosts.map((h) => [h.name, h.address]),
        Object.entries(ADDRESSES),
      );
      const listening = sh('ss -ltnH').out;
      const known = readFileSync(lab.knownHosts, 'utf8').trim().split('\n');
      assert.equal(known.length, 4);
      for (const h of lab.hosts) {
        assert.ok(listening.includes(`${h.address}:${lab.port} `), `${h.name} listens on ${h.address}:${lab.port}`);
        const t = await connect(h.name);
        assert.equal((await t.exec('echo $SSH_CONNECTION')).stdout.trim().split(' ').slice(2).join(' '), `${h.address} ${lab.port}`);
        const pub = readFileSync(join(h.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').split(' ');
        assert.ok(known.includes(`[${h.address}]:${lab.port} ${pub[0]} ${pub[1]}`), `${h.name} pinned`);
      }
      const other = new Set(lab.hosts.map((h) => fingerprint(Buffer.from(readFileSync(join(h.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').split(' ')[1], 'base64'))));
      assert.equal(other.size, 4, 'four different host keys');
      assert.ok(!listening.includes(`0.0.0.0:${lab.port} `), 'no sshd on all addresses');
    });

    it('writes a valid inventory that points at the lab', () => {
      const text = readFileSync(lab.inventoryPath, 'utf8');
      const a = analyze(text, { path: lab.inventoryPath });
      assert.equal(a.kind, 'inventory');
      assert.deepEqual(
        a.diagnostics.filter((d) => d.severity === 'error'),
        [],
      );
      const inv = a.inventory!;
      assert.deepEqual([...inv.hosts.keys()], Object.keys(ADDRESSES));
      assert.deepEqual(inv.groups.get('brokers')!.members, ['broker1', 'broker2']);
      assert.deepEqual(inv.groups.get('nfs')!.members, ['nfs1']);
      assert.deepEqual(inv.groups.get('lb')!.members, ['lb1']);
      for (const [key, value] of [
        ['port', `port: ${lab.port}`],
        ['identity', `identity: ${lab.clientKey}`],
        ['known_hosts', `known_hosts: ${lab.knownHosts}`],
        ['user', 'user: root'],
        ['connection', 'connection: ssh'],
      ]) {
        assert.ok(text.includes(value), key);
      }
      for (const h of lab.hosts) {
        assert.ok(text.includes(`root: ${h.root}`), `${h.name} root`);
        assert.ok(text.includes(`address: ${h.address}`), `${h.name} address`);
      }
      assert.ok(text.includes('broker_name: broker1') && text.includes('broker_name: broker2'));
    });

    it('gives each host a root laid out like a host with its packages installed', () => {
      for (const b of ['broker1', 'broker2']) {
        const r = lab.host(b).root;
        const conf = join(r, 'etc/activemq/instances-available/main');
        assert.equal(readFileSync(join(conf, 'activemq.xml'), 'utf8'), readFileSync('/etc/activemq/instances-available/main/activemq.xml', 'utf8'));
        assert.match(readFileSync(join(conf, 'log4j.properties'), 'utf8'), /^log4j\.rootLogger=INFO/m);
        assert.equal(readFileSync(join(r, 'etc/fstab'), 'utf8'), '');
        assert.ok(statSync(join(r, 'run')).isDirectory() && statSync(join(r, 'var/log')).isDirectory());
      }
      assert.equal(readFileSync(join(lab.host('lb1').root, 'etc/haproxy/haproxy.cfg'), 'utf8'), '');
      const ganesha = readFileSync(join(lab.host('nfs1').root, 'etc/ganesha/ganesha.conf'), 'utf8');
      assert.match(ganesha, /Bind_addr = 127\.0\.10\.1;/);
      assert.ok(ganesha.includes(`RecoveryRoot = ${lab.L}/`));
      assert.doesNotMatch(ganesha, /^EXPORT/m);
    });

    it('nfs1 runs rpcbind and ganesha; an export is served once added and ganesha-restart has run', async () => {
      const rpc = sh('rpcinfo -p 127.0.10.1').out;
      assert.match(rpc, /100003\s+4\s+tcp\s+2049\s+nfs/);
      assert.match(rpc, /100005\s+3\s+tcp\s+20048\s+mountd/);
      const nfs = lab.host('nfs1');
      const exportDir = join(nfs.root, 'srv/amq');
      mkdirSync(exportDir, { recursive: true });
      writeFileSync(join(exportDir, 'hello.txt'), 'hello\n');
      assert.notEqual(sh(`nfs-ls ${q(`nfs://127.0.10.1${exportDir}`)}`).code, 0, 'no export yet');

      const conf = join(nfs.root, 'etc/ganesha/ganesha.conf');
      appendFileSync(conf, `EXPORT {\n    Export_Id = 1;\n    Path = ${exportDir};\n    Pseudo = /amq;\n    Access_Type = RW;\n    Squash = No_Root_Squash;\n    SecType = sys;\n    Protocols = 3, 4;\n    Transports = TCP;\n    FSAL { Name = VFS; }\n}\n`);
      const oldPid = Number(readFileSync(join(nfs.root, 'run/ganesha.pid'), 'utf8'));
      // Over SSH, as a playbook's reload handler runs it.
      const t = await connect('nfs1');
      const r = await t.exec(join(lab.bin, 'ganesha-restart'));
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /ganesha running/);
      assert.ok(!isAlive(oldPid), 'the old ganesha is gone');
      const ls = sh(`nfs-ls ${q(`nfs://127.0.10.1${exportDir}`)}`);
      assert.equal(ls.code, 0, ls.err);
      assert.match(ls.out, /hello\.txt/);
      assert.match(sh(`nfs-ls 'nfs://127.0.10.1/amq?version=4'`).out, /hello\.txt/);
    });

    it('run-broker.sh runs a broker from the host root\'s Debian config, started over SSH like a service', async function () {
      const b = lab.host('broker1');
      const xml = join(b.root, 'etc/activemq/instances-available/main/activemq.xml');
      writeFileSync(xml, readFileSync(xml, 'utf8').replace('tcp://127.0.0.1:61616', `tcp://${b.address}:61616`).replace('brokerName="localhost"', 'brokerName="broker1"'));
      const out = join(b.root, 'var/log/activemq/main.out');
      const pidFile = join(b.root, 'run/activemq.pid');
      const t = await connect('broker1');
      const r = await t.exec(`cd /; nohup setsid ${q(join(lab.bin, 'run-broker.sh'))} ${q(b.root)} > ${q(out)} 2>&1 < /dev/null & echo $! > ${q(pidFile)}`);
      assert.equal(r.code, 0, r.stderr);
      const line = await waitForLog(out, /Apache ActiveMQ .* \(broker1, .*\) started/, 45_000);
      assert.ok(line);
      await waitForPort(b.address, 61616, 5_000);
      const pid = Number(readFileSync(pidFile, 'utf8'));
      assert.ok(isAlive(pid));
      assert.match(readFileSync(`/proc/${pid}/cmdline`, 'utf8'), /activemq\.jar/, 'the pid is the JVM');
      assert.ok(existsSync(join(b.root, 'var/lib/activemq/main/data/kahadb')), 'data under the host root');
    });

    it('killSshd drops one host, the others still answer; startSshd brings it back', async () => {
      const t = await connect('broker2');
      await lab.killSshd('broker2');
      assert.equal(await portAnswers('127.0.10.3', lab.port), false);
      assert.equal(await portAnswers('127.0.10.2', lab.port), true);
      await assert.rejects(t.exec('true'), UnreachableError);
      await lab.startSshd('broker2');
      const again = await connect('broker2');
      assert.equal((await again.exec('echo back')).stdout, 'back\n');
    });

    it('down stops everything (the broker started later too), unmounts, removes $L', async () => {
      const b1 = lab.host('broker1');
      const shared = join(lab.host('nfs1').root, 'srv/amq');
      const mnt = join(b1.root, 'var/lib/activemq/shared');
      mkdirSync(mnt, { recursive: true });
      const m = sh(`mount --bind ${q(shared)} ${q(mnt)}`);
      assert.equal(m.code, 0, m.err);
      assert.equal(mountsUnder(lab.L).length, 1);

      const { processes } = await lab.status();
      const pids = processes.map((p) => p.pid!).filter((p) => p && isAlive(p));
      const broker = Number(readFileSync(join(b1.root, 'run/activemq.pid'), 'utf8'));
      assert.ok(pids.includes(broker), 'status lists the broker by its pidfile');
      assert.ok(pids.length >= 7, `sshd x4, rpcbind, ganesha, broker: ${pids.length}`);
      for (const t of open.splice(0)) await t.close();

      await lab.down();
      for (const p of pids) assert.ok(!isAlive(p), `pid ${p} still runs`);
      assert.equal(existsSync(lab.L), false);
      assert.deepEqual(mountsUnder(lab.L), []);
      assert.equal(existsSync('/run/rpcbind.sock'), false);
      assert.equal(await portAnswers('127.0.0.1', 111), false);
      for (const h of lab.hosts) assert.equal(await portAnswers(h.address, lab.port), false);
    });
  });

  describe('command line', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });

    it('up prints the inventory path, status reports it running, down leaves nothing', () => {
      const up = cli('up');
      try {
        assert.equal(up.status, 0, up.stderr);
        assert.match(up.stdout, /inventory: .*\.lab\/inventory\.yaml/);
        const state = JSON.parse(readFileSync(join(ROOT, '.lab/state.json'), 'utf8')) as { L: string; processes: { pid: number }[] };
        assert.ok(existsSync(state.L));
        const status = cli('status');
        assert.equal(status.status, 0, status.stdout);
        assert.match(status.stdout, /running\s+ganesha/);
        assert.match(status.stdout, /answers\s+sshd lb1\s+127\.0\.10\.4:/);
        const down = cli('down');
        assert.equal(down.status, 0, down.stderr);
        for (const p of state.processes) assert.ok(!isAlive(p.pid), `pid ${p.pid}`);
        assert.equal(existsSync(state.L), false);
        assert.equal(existsSync(join(ROOT, '.lab')), false);
        assert.match(cli('status').stdout, /no lab is up/);
      } finally {
        if (existsSync(join(ROOT, '.lab/state.json'))) cli('down');
      }
    });

    it('a wrong command: usage, exit 2', () => {
      const r = cli('sideways');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /usage: npm run lab -- up \| down \| status/);
    });
  });
});

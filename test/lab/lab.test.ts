import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { fingerprint } from '../../runner/src/transport/known-hosts.js';
import { q } from '../../runner/src/transport/quote.js';
import { connectSsh } from '../../runner/src/transport/ssh.js';
import { UnreachableError, type Transport } from '../../runner/src/transport/transport.js';
import { isAlive, labUp, portAnswers, type Lab } from '../../lab/lab.js';
import { ROOT } from '../helpers/paths.js';

const CLI = fileURLToPath(new URL('../../lab/cli.js', import.meta.url));
const ADDRESSES = { nfs1: '127.0.10.1', broker1: '127.0.10.2', broker2: '127.0.10.3', lb1: '127.0.10.4' };

function sh(cmd: string): { code: number | null; out: string; err: string } {
  const r = spawnSync('sh', ['-c', cmd], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('the lab (npm run lab)', function () {
  this.timeout(90_000);

  it('fails loudly, naming what is missing, when a dependency is not installed', async () => {
    const before = readdirSync(tmpdir()).filter((n) => n.startsWith('amq-lab-')).length;
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent';
    try {
      await assert.rejects(labUp(), (e: Error) => {
        assert.match(e.message, /missing: .*java/);
        assert.match(e.message, /nfs-ganesha/);
        assert.match(e.message, /unshare/);
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
      const name = (address: string) => (lab.port === 22 ? address : `[${address}]:${lab.port}`);
      for (const h of lab.hosts) {
        assert.ok(listening.includes(`${h.address}:${lab.port} `), `${h.name} listens on ${h.address}:${lab.port}`);
        const t = await connect(h.name);
        assert.equal((await t.exec('echo $SSH_CONNECTION')).stdout.trim().split(' ').slice(2).join(' '), `${h.address} ${lab.port}`);
        const pub = readFileSync(join(h.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').split(' ');
        assert.ok(known.includes(`${name(h.address)} ${pub[0]} ${pub[1]}`), `${h.name} pinned`);
      }
      const keys = new Set(lab.hosts.map((h) => fingerprint(Buffer.from(readFileSync(join(h.root, 'etc/ssh/ssh_host_ed25519_key.pub'), 'utf8').split(' ')[1], 'base64'))));
      assert.equal(keys.size, 4, 'four different host keys');
      assert.ok(!listening.includes(`0.0.0.0:${lab.port} `), 'no sshd on all addresses');
    });

    it('each host is its own machine: its name, its process table with tini as PID 1 and sshd started by its init script, its own mounts', async () => {
      const mine = readlinkSync('/proc/self/ns/pid');
      for (const h of lab.hosts) {
        const t = await connect(h.name);
        const r = await t.exec('hostname; cat /proc/1/comm; cat /run/sshd.pid; ps -o pid= -C sshd | head -1; grep -c "" /proc/mounts');
        const [hostname, pid1, sshdPid, firstSshd] = r.stdout.trim().split('\n').map((s) => s.trim());
        assert.equal(hostname, h.name);
        assert.equal(pid1, 'tini');
        assert.equal(sshdPid, firstSshd, 'the sshd of /run/sshd.pid is the one in this process table');
        const ps = lab.processes(h.name);
        assert.equal(ps[0].pid, 1);
        assert.match(ps[0].cmdline, /^\/usr\/bin\/tini -- \/usr\/local\/sbin\/lab-init$/);
        const sshd = ps.find((p) => p.pid === Number(sshdPid))!;
        assert.equal(sshd.ppid, 1, "Debian's init script daemonized sshd: its parent is the host's init");
        assert.notEqual(readlinkSync(`/proc/${sshd.hostPid}/ns/pid`), mine);
      }
      const nss = new Set(lab.hosts.map((h) => readlinkSync(`/proc/${lab.processes(h.name)[0].hostPid}/ns/mnt`)));
      assert.equal(nss.size, 4, 'four mount namespaces');
    });

    it('writes a valid inventory with real paths (no root) that points at the lab', () => {
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
      for (const value of [`port: ${lab.port}`, `identity: ${lab.clientKey}`, `known_hosts: ${lab.knownHosts}`, 'user: root', 'connection: ssh']) assert.ok(text.includes(value), value);
      for (const h of lab.hosts) assert.ok(text.includes(`address: ${h.address}`), `${h.name} address`);
      assert.doesNotMatch(text, /\broot:/, 'the playbooks run with root ""');
      assert.ok(text.includes('broker_name: broker1') && text.includes('broker_name: broker2'));
      assert.ok(text.includes('nfs_reload: service nfs-ganesha reload'));
    });

    it("each host sees this machine's installed packages at their real paths; what it writes stays its own", async () => {
      for (const h of lab.hosts) {
        const conf = join(h.root, 'etc/activemq/instances-available/main/activemq.xml');
        assert.equal(readFileSync(conf, 'utf8'), readFileSync('/etc/activemq/instances-available/main/activemq.xml', 'utf8'));
        assert.deepEqual(readdirSync(join(h.root, 'etc/activemq/instances-enabled')), [], 'no instance enabled, as after apt-get install');
        assert.match(readFileSync(join(h.root, 'etc/hosts'), 'utf8'), /127\.0\.10\.2\tbroker1\n127\.0\.10\.3\tbroker2\n/);
        assert.doesNotMatch(readFileSync(join(h.root, 'etc/fstab'), 'utf8'), /^[^#]/m, 'a fresh fstab, not this machine\'s');
        assert.deepEqual(readdirSync(join(h.root, 'root')), [], "its own /root, not this machine's");
      }
      const t = await connect('broker1');
      assert.equal((await t.exec('echo only-broker1 > /etc/lab-probe && cat /etc/lab-probe')).stdout, 'only-broker1\n');
      assert.equal(existsSync(join(lab.host('broker2').root, 'etc/lab-probe')), false, 'broker2 does not see it');
      assert.equal(existsSync('/etc/lab-probe'), false, 'this machine does not see it');
      assert.equal((await t.exec('rm /etc/lab-probe')).code, 0);
    });

    it("Debian's activemq init script, with no instance enabled: says it started, exits 0, and starts nothing", async () => {
      const t = await connect('broker1');
      const start = await t.exec('service activemq start');
      assert.equal(start.code, 0);
      assert.match(start.stdout, /No instances found at \/etc\/activemq\/instances-enabled/);
      const status = await t.exec('service activemq status');
      assert.equal(status.code, 0, 'status says nothing is wrong');
      assert.deepEqual(lab.processes('broker1').filter((p) => /java/.test(p.cmdline)), [], 'and no JVM runs');
    });

    it('nfs1 runs rpcbind and ganesha from their init scripts; an export added is served after `service nfs-ganesha reload`', async () => {
      const rpc = sh('rpcinfo -p 127.0.10.1').out;
      assert.match(rpc, /100003\s+4\s+tcp\s+2049\s+nfs/);
      assert.match(rpc, /100005\s+3\s+tcp\s+20048\s+mountd/);
      assert.deepEqual(
        lab
          .processes('nfs1')
          .filter((p) => /rpcbind|ganesha/.test(p.cmdline))
          .map((p) => [p.ppid, p.cmdline.split(' ')[0]]),
        [
          [1, '/sbin/rpcbind'],
          [1, 'ganesha.nfsd'],
        ],
      );
      const t = await connect('nfs1');
      assert.equal((await t.exec('mkdir -p /data/srv && echo hello > /data/srv/hello.txt')).code, 0);
      assert.equal(readFileSync(join(lab.nfsDisk, 'srv/hello.txt'), 'utf8'), 'hello\n', "/data is nfs1's disk");
      assert.notEqual(sh(`nfs-ls ${q('nfs://127.0.10.1/data/srv')}`).code, 0, 'no export yet');
      const block = 'EXPORT {\n    Export_Id = 1;\n    Path = /data/srv;\n    Pseudo = /srv;\n    Access_Type = RW;\n    Squash = No_Root_Squash;\n    SecType = sys;\n    Protocols = 3, 4;\n    Transports = TCP;\n    FSAL { Name = VFS; }\n}\n';
      assert.equal((await t.exec('cat >> /etc/ganesha/ganesha.conf', { stdin: block })).code, 0);
      const r = await t.exec('service nfs-ganesha reload');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /nfs-ganesha reloaded its exports/);
      const ls = sh(`nfs-ls ${q('nfs://127.0.10.1/data/srv')}`);
      assert.equal(ls.code, 0, ls.err);
      assert.match(ls.out, /hello\.txt/);
      assert.match(sh(`nfs-ls 'nfs://127.0.10.1/srv?version=4'`).out, /hello\.txt/);
      const b = await connect('broker1');
      assert.equal((await b.exec('cat /net/nfs1/data/srv/hello.txt')).stdout, 'hello\n', 'the brokers see the disk at /net/nfs1/data');
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

    it('down leaves no process, namespace, mount or file behind (a mount and a process started inside a host too)', async () => {
      const b1 = await connect('broker1');
      const m = await b1.exec('mkdir -p /shared/x && mount --bind /net/nfs1/data /shared/x && grep -c " /shared/x " /proc/mounts');
      assert.equal(m.stdout, '1\n', m.stderr);
      assert.equal(readFileSync('/proc/mounts', 'utf8').includes(' /shared/x '), false, "the host's mount is not this machine's");
      const started = await b1.exec('nohup setsid sleep 600 > /dev/null 2>&1 < /dev/null & echo $!');
      const sleeper = lab.hostPid('broker1', Number(started.stdout))!;
      assert.ok(isAlive(sleeper));
      const before = lab.leftovers();
      assert.ok(before.processes.length >= 4 * 3, `every host has processes: ${before.processes.length}`);
      assert.ok(before.namespaces.length >= 4 * 4);
      for (const t of open.splice(0)) await t.close();

      await lab.down();
      assert.deepEqual(lab.leftovers(), { processes: [], namespaces: [], mounts: [], files: [] });
      for (const p of before.processes) assert.ok(!isAlive(p), `pid ${p} still runs`);
      assert.equal(existsSync(lab.L), false);
      assert.equal(await portAnswers('127.0.0.1', 111), false);
      for (const h of lab.hosts) assert.equal(await portAnswers(h.address, lab.port), false);
    });
  });

  describe('more brokers', () => {
    let lab: Lab;
    after(async () => {
      await lab?.down();
    });

    it('up with 3 brokers: broker3 at 127.0.10.5, a host like the others, in the brokers group', async () => {
      lab = await labUp({ brokers: 3 });
      const b3 = lab.host('broker3');
      assert.equal(b3.address, '127.0.10.5');
      assert.equal(b3.group, 'brokers');
      const text = readFileSync(lab.inventoryPath, 'utf8');
      const inv = analyze(text, { path: lab.inventoryPath }).inventory!;
      assert.deepEqual(inv.groups.get('brokers')!.members, ['broker1', 'broker2', 'broker3']);
      assert.ok(text.includes('broker_name: broker3'));
      const t = await connectSsh(lab.sshOptions('broker3'));
      try {
        assert.match((await t.exec('hostname; getent hosts broker3')).stdout, /^broker3\n127\.0\.10\.5\s+broker3\n$/);
      } finally {
        await t.close();
      }
    });
  });

  describe('command line', () => {
    const cli = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: ROOT });

    it('up prints the inventory path, status shows each host running with its process tree, down leaves nothing', () => {
      const up = cli('up');
      try {
        assert.equal(up.status, 0, up.stderr);
        assert.match(up.stdout, /^lab up in \d+\.\d s: /);
        assert.match(up.stdout, /inventory: .*\.lab\/inventory\.yaml/);
        const state = JSON.parse(readFileSync(join(ROOT, '.lab/state.json'), 'utf8')) as { L: string; hosts: { init: number; unshare: number }[] };
        assert.ok(existsSync(state.L));
        const status = cli('status');
        assert.equal(status.status, 0, status.stdout);
        assert.match(status.stdout, /running {2}nfs1 127\.0\.10\.1\n {6}1 root \/usr\/bin\/tini -- \/usr\/local\/sbin\/lab-init\n/);
        assert.match(status.stdout, /└ \d+ root ganesha\.nfsd /);
        assert.match(status.stdout, /└ \d+ haproxy \/usr\/sbin\/haproxy /);
        assert.match(status.stdout, /answers {2}sshd lb1\s+127\.0\.10\.4:/);
        const down = cli('down');
        assert.equal(down.status, 0, down.stderr);
        for (const h of state.hosts) assert.ok(!isAlive(h.init) && !isAlive(h.unshare), `host init ${h.init}`);
        assert.equal(existsSync(state.L), false);
        assert.equal(existsSync(join(ROOT, '.lab')), false);
        assert.match(cli('status').stdout, /no lab is up/);
      } finally {
        if (existsSync(join(ROOT, '.lab/state.json'))) cli('down');
      }
    });

    it('a wrong command or option: usage, exit 2', () => {
      for (const args of [['sideways'], ['up', '--brokers'], ['up', '--brokers', 'two'], ['up', '--fleet', 'many'], ['up', '--fleet', '2', '--fleet', '3'], ['down', '--brokers', '3']]) {
        const r = cli(...args);
        assert.equal(r.status, 2, args.join(' '));
        assert.match(r.stderr, /usage: npm run lab -- up \[--brokers N\] \[--fleet N\] \| down \| status/);
      }
    });
  });
});

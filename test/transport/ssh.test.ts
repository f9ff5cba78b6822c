import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprint, knownHostName } from '../../runner/src/transport/known-hosts.js';
import { connectSsh, type SshOptions } from '../../runner/src/transport/ssh.js';
import { UnreachableError, type Transport } from '../../runner/src/transport/transport.js';
import { descendants, labUp, waitUntil, type Lab } from '../../lab/lab.js';

const fp = (pubLine: string) => fingerprint(Buffer.from(pubLine.trim().split(/\s+/)[1], 'base64'));

async function refusal(p: Promise<unknown>): Promise<UnreachableError> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof UnreachableError, `expected UnreachableError, got ${String(e)}`);
    assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
    return e;
  }
  assert.fail('expected the connection to be refused');
}

function cmdlines(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      out.push(readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // gone
    }
  }
  return out;
}

describe('SSH transport (lab sshd on loopback)', function () {
  this.timeout(60_000);
  let lab: Lab;
  let tmp: string;
  const open: Transport[] = [];
  const connect = async (o: SshOptions) => {
    const t = await connectSsh(o);
    open.push(t);
    return t;
  };

  before(async () => {
    lab = await labUp();
    tmp = mkdtempSync(join(tmpdir(), 'amq-ssh-test-'));
  });
  after(async () => {
    for (const t of open) await t.close();
    await lab?.down();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  describe('exec', () => {
    let t: Transport;
    before(async () => {
      t = await connect(lab.sshOptions('broker1'));
    });

    it('keeps stdout and stderr byte for byte: trailing newlines, no final newline, UTF-8', async () => {
      const r = await t.exec(`printf 'a\\n\\n\\n'; printf 'warn\\n\\n' >&2`);
      assert.deepEqual(r, { code: 0, stdout: 'a\n\n\n', stderr: 'warn\n\n' });
      // Written from here into broker1's filesystem, read there at its own path.
      const file = join(lab.host('broker1').root, 'no-newline.txt');
      writeFileSync(file, 'last line without newline');
      assert.equal((await t.exec('cat /no-newline.txt')).stdout, 'last line without newline');
      const text = 'Grüße, ünïcødé ✓ 日本語 🚀\n\n';
      writeFileSync(file, text);
      assert.equal((await t.exec('cat /no-newline.txt')).stdout, text);
      assert.equal((await t.exec(`printf '  padded  '`)).stdout, '  padded  ');
    });

    it('passes stdin to the command', async () => {
      const input = 'line 1\nline 2 ✓\nno newline at the end';
      assert.equal((await t.exec('cat', { stdin: input })).stdout, input);
      const big = 'y'.repeat(300_000);
      assert.equal((await t.exec('wc -c', { stdin: big })).stdout.trim(), '300000');
      assert.equal((await t.exec('cat')).stdout, '', 'without stdin the command reads end of file');
    });

    it('returns exit codes, and 128+n for a command killed by signal n', async () => {
      assert.equal((await t.exec('true')).code, 0);
      assert.equal((await t.exec('exit 3')).code, 3);
      assert.equal((await t.exec('exit 255')).code, 255);
      assert.equal((await t.exec('no-such-command-xyz')).code, 127);
      assert.equal((await t.exec('kill -TERM $$')).code, 143);
    });

    it('carries 1 MiB of output intact', async () => {
      const r = await t.exec(`head -c 1048576 /dev/zero | tr '\\0' 'x'; printf END`);
      assert.equal(r.stdout.length, 1048576 + 3);
      assert.ok(r.stdout.endsWith('xxxEND'));
      assert.ok(/^x+END$/.test(r.stdout));
    });

    it('runs commands in parallel on the one connection', async () => {
      const rs = await Promise.all([1, 2, 3, 4, 5].map((i) => t.exec(`echo ${i}`)));
      assert.deepEqual(
        rs.map((r) => r.stdout),
        ['1\n', '2\n', '3\n', '4\n', '5\n'],
      );
    });

    it('a timeout returns at once with code 137, ends the command on the host, and the connection stays usable', async () => {
      const marker = `sleep 29.${Math.floor(Math.random() * 1e6)}`;
      const t0 = Date.now();
      const r = await t.exec(marker, { timeoutMs: 500 });
      const ms = Date.now() - t0;
      assert.equal(r.code, 137);
      assert.match(r.stderr, /timed out after 500 ms/);
      assert.ok(ms >= 450 && ms < 2_000, `returned after ${ms} ms`);
      await waitUntil(() => !cmdlines().some((c) => c.startsWith(marker)), 5_000, `'${marker}' to end on the host`);
      assert.equal((await t.exec('echo ok')).stdout, 'ok\n');
    });

    it('as root, sudo is not used', async () => {
      assert.equal((await t.exec('echo ${SUDO_USER:-none}; id -u', { sudo: true })).stdout, 'none\n0\n');
    });
  });

  describe('host keys', () => {
    it('a host in known_hosts connects', async () => {
      const t = await connect(lab.sshOptions('broker1'));
      assert.equal((await t.exec('echo $SSH_CONNECTION')).stdout.split(' ')[2], '127.0.10.2');
    });

    it('hashed known_hosts entries (ssh-keygen -H) are matched', async () => {
      const kh = join(tmp, 'hashed_known_hosts');
      writeFileSync(kh, readFileSync(lab.knownHosts));
      const hash = spawnSync('ssh-keygen', ['-H', '-f', kh], { encoding: 'utf8' });
      assert.equal(hash.status, 0, hash.stderr);
      assert.ok(readFileSync(kh, 'utf8').startsWith('|1|'), 'the file is hashed');
      assert.ok(!readFileSync(kh, 'utf8').includes('127.0.10'), 'no address in clear');
      const t = await connect({ ...lab.sshOptions('lb1'), knownHosts: kh });
      assert.equal((await t.exec('echo ok')).stdout, 'ok\n');
    });

    it('an unknown host is refused with its fingerprint and the hint, and known_hosts is left alone', async () => {
      const kh = join(tmp, 'empty_known_hosts');
      writeFileSync(kh, '');
      const e = await refusal(connectSsh({ ...lab.sshOptions('broker1'), knownHosts: kh }));
      const hostPub = readFileSync(`${join(lab.host('broker1').root, 'etc/ssh/ssh_host_ed25519_key')}.pub`, 'utf8');
      assert.ok(e.message.includes(fp(hostPub)), e.message);
      assert.match(e.message, /host key refused/);
      assert.match(e.message, /--accept-new-host-keys/);
      assert.equal(readFileSync(kh, 'utf8'), '');
      const keygen = spawnSync('ssh-keygen', ['-lf', `${join(lab.host('broker1').root, 'etc/ssh/ssh_host_ed25519_key')}.pub`], { encoding: 'utf8' });
      assert.ok(keygen.stdout.includes(fp(hostPub)), 'the same fingerprint as ssh-keygen -lf');
    });

    it('an unknown host with acceptNew connects and records the key; the next connection needs no acceptNew', async () => {
      const kh = join(tmp, 'new', 'known_hosts');
      const t = await connect({ ...lab.sshOptions('broker2'), knownHosts: kh, acceptNew: true });
      assert.equal((await t.exec('echo hi')).stdout, 'hi\n');
      const hostPub = readFileSync(`${join(lab.host('broker2').root, 'etc/ssh/ssh_host_ed25519_key')}.pub`, 'utf8');
      const [type, key] = hostPub.split(' ');
      assert.equal(readFileSync(kh, 'utf8'), `${knownHostName('127.0.10.3', lab.port)} ${type} ${key}\n`);
      const again = await connect({ ...lab.sshOptions('broker2'), knownHosts: kh });
      assert.equal((await again.exec('echo again')).stdout, 'again\n');
      // OpenSSH accepts the recorded line.
      const ssh = spawnSync('ssh', ['-p', String(lab.port), '-i', lab.clientKey, '-o', `UserKnownHostsFile=${kh}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', 'root@127.0.10.3', 'true'], { encoding: 'utf8' });
      assert.equal(ssh.status, 0, ssh.stderr);
    });

    it('a changed host key is refused, even with acceptNew, showing both fingerprints and the known_hosts line', async () => {
      const oldLine = readFileSync(lab.knownHosts, 'utf8').split('\n').find((l) => l.startsWith(`${knownHostName('127.0.10.4', lab.port)} `))!;
      const newPub = await lab.swapHostKey('lb1');
      for (const acceptNew of [false, true]) {
        const e = await refusal(connectSsh({ ...lab.sshOptions('lb1'), acceptNew }));
        assert.ok(e.message.includes(fp(newPub)), `offered key: ${e.message}`);
        assert.ok(e.message.includes(fp(oldLine.split(' ').slice(1).join(' '))), `pinned key: ${e.message}`);
        assert.ok(e.message.includes(oldLine), 'the line that disagrees');
        assert.match(e.message, /ssh-keygen -R/);
      }
      assert.ok(readFileSync(lab.knownHosts, 'utf8').includes(oldLine), 'known_hosts unchanged');
    });
  });

  describe('unreachable hosts', () => {
    it('nothing listening: refused at once', async () => {
      const t0 = Date.now();
      const e = await refusal(connectSsh({ ...lab.sshOptions('broker1'), address: '127.0.10.9' }));
      assert.match(e.message, /connection refused/);
      assert.equal(e.host, 'broker1');
      assert.ok(Date.now() - t0 < 1_000, `${Date.now() - t0} ms`);
    });

    it('a server that never speaks SSH: times out after the connect timeout', async () => {
      const silent: Server = createServer(() => undefined);
      await new Promise<void>((r) => silent.listen(0, '127.0.10.9', r));
      const port = (silent.address() as { port: number }).port;
      try {
        const t0 = Date.now();
        const e = await refusal(connectSsh({ ...lab.sshOptions('broker1'), address: '127.0.10.9', port, timeoutMs: 700 }));
        const ms = Date.now() - t0;
        assert.match(e.message, /timed out/);
        assert.match(e.message, /0\.7 s/);
        assert.ok(ms >= 650 && ms < 3_000, `${ms} ms`);
      } finally {
        silent.close();
      }
    });

    it('without an identity, the SSH agent (SSH_AUTH_SOCK) logs in', async () => {
      const sock = join(tmp, 'agent.sock');
      const agent = spawn('ssh-agent', ['-D', '-a', sock], { stdio: 'ignore' });
      const saved = process.env.SSH_AUTH_SOCK;
      try {
        await waitUntil(() => existsSync(sock), 5_000, 'ssh-agent to listen');
        const add = spawnSync('ssh-add', [lab.clientKey], { encoding: 'utf8', env: { ...process.env, SSH_AUTH_SOCK: sock } });
        assert.equal(add.status, 0, add.stderr);
        process.env.SSH_AUTH_SOCK = sock;
        const o = lab.sshOptions('broker1');
        delete o.identity;
        const t = await connect(o);
        assert.equal((await t.exec('id -u')).stdout, '0\n');
      } finally {
        if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
        else process.env.SSH_AUTH_SOCK = saved;
        agent.kill('SIGTERM');
      }
    });

    it('a wrong key: authentication failed', async () => {
      const e = await refusal(connectSsh({ ...lab.sshOptions('broker1'), identity: join(lab.host('nfs1').root, 'etc/ssh/ssh_host_ed25519_key') }));
      assert.match(e.message, /authentication failed as root/);
    });

    it('a missing key file: a clear message', async () => {
      const e = await refusal(connectSsh({ ...lab.sshOptions('broker1'), identity: '~/no/such/key' }));
      assert.match(e.message, /cannot read the identity file .*no\/such\/key: no such file/);
    });

    it('sshd killed during a long command: the command fails with UnreachableError within seconds', async () => {
      const t = await connect(lab.sshOptions('broker2'));
      const running = t.exec('sleep 30; echo done');
      running.catch(() => undefined);
      // The sleep itself, so the login shell has finished its start-up files.
      await waitUntil(() => cmdlines().some((c) => c.startsWith('sleep 30')), 10_000, 'the command to start');
      const t0 = Date.now();
      await lab.killSshd('broker2');
      const e = await refusal(running);
      assert.ok(Date.now() - t0 < 5_000, `${Date.now() - t0} ms`);
      assert.match(e.message, /connection lost|closed/);
      await refusal(t.exec('true'));
      await lab.startSshd('broker2');
    });

    it('a host that stops answering (sshd frozen): noticed by keepalive within about 10 s', async function () {
      this.timeout(30_000);
      const t = await connect(lab.sshOptions('nfs1'));
      const running = t.exec('sleep 40');
      running.catch(() => undefined);
      await waitUntil(() => cmdlines().some((c) => c.startsWith('sleep 40')), 10_000, 'the command to start');
      const listener = lab.hostPid('nfs1', Number(readFileSync(join(lab.host('nfs1').root, 'run/sshd.pid'), 'utf8')))!;
      const frozen = [listener, ...descendants(listener)];
      for (const p of frozen) process.kill(p, 'SIGSTOP');
      try {
        const t0 = Date.now();
        const e = await refusal(running);
        const ms = Date.now() - t0;
        assert.ok(ms < 12_000, `${ms} ms`);
        assert.match(e.message, /stopped answering|connection lost/);
      } finally {
        // The frozen sessions and their command go; the listener runs on.
        for (const p of frozen) {
          try {
            process.kill(p, p === listener ? 'SIGCONT' : 'SIGKILL');
          } catch {
            // gone
          }
        }
      }
    });
  });

  describe('become (sudo) as a non-root user', () => {
    const user = 'amqlab';
    const password = randomBytes(12).toString('hex');
    const sudoers = '/etc/sudoers.d/amqlab-test';

    // The user exists on broker1 only, as on a real host; it goes with the lab.
    before(async function () {
      assert.equal(process.getuid?.(), 0, 'the lab runs as root');
      const add = await lab.exec(
        'broker1',
        `useradd -m -s /bin/sh ${user} && chpasswd && printf '%s ALL=(ALL) ALL\\n' ${user} > ${sudoers} && chmod 0440 ${sudoers} && visudo -c -f ${sudoers}`,
        { input: `${user}:${password}\n` },
      );
      assert.equal(add.code, 0, add.stderr);
    });
    after(async () => {
      for (const t of open) await t.close();
    });

    it('sudo with the password on stdin; the password never shows in any command line', async () => {
      const t = await connect({ ...lab.sshOptions('broker1'), user, becomePassword: password });
      assert.equal((await t.exec('id -un')).stdout, `${user}\n`);
      let sawSudo = false;
      let leaked = '';
      let done = false;
      const watching = (async () => {
        while (!done) {
          for (const c of cmdlines()) {
            if (c.includes('sudo -S')) sawSudo = true;
            if (c.includes(password)) leaked = c;
          }
          await new Promise((r) => setTimeout(r, 20));
        }
      })();
      const r = await t.exec('sleep 1; id -u; echo ${SUDO_USER}; cat', { sudo: true, stdin: 'the command still gets its stdin\n' });
      done = true;
      await watching;
      assert.deepEqual(r, { code: 0, stdout: `0\n${user}\nthe command still gets its stdin\n`, stderr: '' });
      assert.ok(sawSudo, 'the scan ran while sudo did');
      assert.equal(leaked, '', 'password in a command line');
    });

    it('a wrong become password fails with sudo\'s message; no password at all fails without waiting', async () => {
      const wrong = await connect({ ...lab.sshOptions('broker1'), user, becomePassword: 'not-it' });
      const r = await wrong.exec('id -u', { sudo: true, timeoutMs: 20_000 });
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /incorrect password|Sorry, try again/);
      const none = await connect({ ...lab.sshOptions('broker1'), user });
      const n = await none.exec('id -u', { sudo: true });
      assert.equal(n.code, 1);
      assert.match(n.stderr, /password is required/);
    });

    it('password login (no key), and a wrong password is an authentication failure', async () => {
      const agent = process.env.SSH_AUTH_SOCK;
      delete process.env.SSH_AUTH_SOCK;
      try {
        const base = { ...lab.sshOptions('broker1'), user };
        delete base.identity;
        const t = await connect({ ...base, password });
        assert.equal((await t.exec('id -un')).stdout, `${user}\n`);
        const e = await refusal(connectSsh({ ...base, password: 'wrong' }));
        assert.match(e.message, /authentication failed as amqlab \(tried password\)/);
        const none = await refusal(connectSsh(base));
        assert.match(none.message, /no identity, no SSH agent/);
      } finally {
        if (agent !== undefined) process.env.SSH_AUTH_SOCK = agent;
      }
    });
  });
});

import assert from 'node:assert/strict';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { mount, type MountParams } from '../../runner/src/modules/mount.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { FakeHost } from '../helpers/fake-host.js';

const DONE = { code: 0, stdout: '', stderr: '' };
const SHARED = '/shared/activemq-data';
const SRC = '192.168.10.191:/data/activemq-data';
const LINE = `${SRC} ${SHARED} nfs rw,hard,intr 0 0`;
const ROOT = '/dev/vda / ext4 rw,relatime 0 0\nproc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n';
const FSTAB = '# /etc/fstab\nUUID=1234 / ext4 errors=remount-ro 0 1\n';
const MOUNT_CMD = `mount -t nfs -o rw,hard,intr ${SRC} ${SHARED}`;

const params = (p: Partial<MountParams> = {}): MountParams => ({
  path: SHARED,
  src: SRC,
  fstype: 'nfs',
  opts: 'rw,hard,intr',
  dump: 0,
  pass: 0,
  state: 'mounted',
  fstab: '/etc/fstab',
  ...p,
});

const check = (host: FakeHost, p: MountParams) => mount.check!(host.ctx(), p);

/** A host whose /proc/mounts follows the mount and umount commands run on it. */
function mountHost(live: string[] = []): FakeHost & { live: string[] } {
  const host = Object.assign(new FakeHost(), { live });
  host.on('cat /proc/mounts', () => ({ code: 0, stdout: ROOT + host.live.map((l) => `${l}\n`).join(''), stderr: '' }));
  host.on(/^mount -t /, DONE, (h, cmd) => {
    const [, fstype, opts, src, path] = /^mount -t (\S+) -o (\S+) (\S+) (\S+)$/.exec(cmd)!;
    host.live.push(`${fstype === 'none' ? '/dev/vda' : src} ${path} ${fstype === 'none' ? 'ext4' : fstype} ${opts} 0 0`);
  });
  host.on(/^umount /, DONE, (h, cmd) => {
    const path = cmd.slice('umount '.length);
    host.live = host.live.filter((l) => l.split(' ')[1] !== path);
  });
  return host;
}

describe('mount module', () => {
  it('plans the fstab line, the mount point and the mount when nothing is there', async () => {
    const host = mountHost().file('/etc/fstab', FSTAB);
    assert.deepEqual(
      await check(host, params()),
      change(
        `${SHARED}: fstab line added, mounted`,
        { kind: 'file', path: '/etc/fstab', before: FSTAB, after: `${FSTAB}${LINE}\n` },
        { kind: 'dir', path: SHARED },
        { kind: 'command', cmd: MOUNT_CMD, why: `mount ${SRC} on ${SHARED}`, covers: [SHARED], declared: true },
      ),
    );
  });

  it('is ok when the line is there and it is mounted from the source', async () => {
    const host = mountHost([`${SRC} ${SHARED} nfs4 rw,relatime,vers=4.2 0 0`]).file('/etc/fstab', `${FSTAB}${LINE}\n`).dir(SHARED);
    assert.deepEqual(await check(host, params()), ok(`${SHARED} mounted from ${SRC}`));
  });

  it('is ok on the next check once the plan is applied', async () => {
    const host = mountHost().file('/etc/fstab', FSTAB);
    host.apply(await check(host, params()));
    assert.deepEqual(host.writes, ['file: /etc/fstab', `dir: ${SHARED}`, `command: ${MOUNT_CMD}`]);
    assert.deepEqual(await check(host, params()), ok(`${SHARED} mounted from ${SRC}`));
  });

  it('does not create a mount point that exists', async () => {
    const host = mountHost().file('/etc/fstab', `${FSTAB}${LINE}\n`).dir(SHARED);
    assert.deepEqual(await check(host, params()), change(`${SHARED}: mounted`, { kind: 'command', cmd: MOUNT_CMD, why: `mount ${SRC} on ${SHARED}`, covers: [SHARED], declared: true }));
  });

  it('updates a differing line in place and remounts what is mounted from another source', async () => {
    const old = `10.0.0.9:/old ${SHARED} nfs ro 0 0`;
    const host = mountHost([`10.0.0.9:/old ${SHARED} nfs ro,relatime 0 0`]).file('/etc/fstab', `${FSTAB}${old}\n/dev/vdb /var ext4 defaults 0 2\n`).dir(SHARED);
    const plan = await check(host, params());
    assert.deepEqual(
      plan,
      change(
        `${SHARED}: fstab line updated, remounted from ${SRC}`,
        { kind: 'file', path: '/etc/fstab', before: `${FSTAB}${old}\n/dev/vdb /var ext4 defaults 0 2\n`, after: `${FSTAB}${LINE}\n/dev/vdb /var ext4 defaults 0 2\n` },
        { kind: 'command', cmd: `umount ${SHARED}`, why: `${SHARED} has another source`, covers: [SHARED], declared: true },
        { kind: 'command', cmd: MOUNT_CMD, why: `mount ${SRC} on ${SHARED}`, covers: [SHARED], declared: true },
      ),
    );
    host.apply(plan);
    assert.equal((await check(host, params())).status, 'ok');
  });

  it('a bind mount: mounted with -t none -o bind and the explicit source; /proc/mounts shows the device', async () => {
    const bind = params({ path: '/lab/broker1/shared', src: '/lab/nfs1/export', fstype: 'none', opts: 'bind', fstab: '/lab/broker1/fstab' });
    const host = mountHost().dir('/lab/broker1').dir('/lab/nfs1/export');
    const plan = await check(host, bind);
    assert.deepEqual(plan.status === 'change' && plan.changes.slice(1), [
      { kind: 'dir', path: '/lab/broker1/shared' },
      { kind: 'command', cmd: 'mount -t none -o bind /lab/nfs1/export /lab/broker1/shared', why: 'mount /lab/nfs1/export on /lab/broker1/shared', covers: ['/lab/broker1/shared'], declared: true },
    ]);
    host.apply(plan);
    assert.deepEqual(host.live, ['/dev/vda /lab/broker1/shared ext4 bind 0 0']);
    assert.deepEqual(await check(host, bind), ok('/lab/broker1/shared mounted from /lab/nfs1/export'));
  });

  it('a bind mount is remounted when its fstab line named another source', async () => {
    const bind = params({ path: '/lab/b1', src: '/lab/new', fstype: 'none', opts: 'bind' });
    const host = mountHost(['/dev/vda /lab/b1 ext4 rw,relatime 0 0']).file('/etc/fstab', '/lab/old /lab/b1 none bind 0 0\n').dir('/lab/b1').dir('/lab/new');
    const plan = await check(host, bind);
    assert.deepEqual(plan.status === 'change' && plan.changes.map((c) => (c.kind === 'command' ? c.cmd : `${c.kind} ${c.path}`)), ['file /etc/fstab', 'umount /lab/b1', 'mount -t none -o bind /lab/new /lab/b1']);
    host.apply(plan);
    assert.equal((await check(host, bind)).status, 'ok');
  });

  it('a UUID= source shown as its device in /proc/mounts is not remounted on every run', async () => {
    const p = params({ path: '/var/lib/activemq', src: 'UUID=8d1f-22', fstype: 'ext4', opts: 'defaults', pass: 2 });
    const host = mountHost(['/dev/vdb1 /var/lib/activemq ext4 rw,relatime 0 0']).file('/etc/fstab', 'UUID=8d1f-22 /var/lib/activemq ext4 defaults 0 2\n');
    assert.deepEqual(await check(host, p), ok('/var/lib/activemq mounted from UUID=8d1f-22'));
  });

  it('a bind mount of a source that does not exist: a failure that says so, before anything is written', async () => {
    const host = mountHost().file('/etc/fstab', '').dir('/mnt/x');
    await assert.rejects(check(host, params({ path: '/mnt/x', src: '/srv/none', fstype: 'none', opts: 'bind' })), (e: Error) => e instanceof CheckFailed && e.message === 'cannot bind-mount /srv/none on /mnt/x: /srv/none does not exist');
  });

  it('paths with spaces: \\040 in fstab, decoded from /proc/mounts, quoted on the command line', async () => {
    const p = params({ path: '/mnt/my store', src: '/srv/shared store', fstype: 'none', opts: 'bind' });
    const host = mountHost().file('/etc/fstab', '').dir('/mnt/my store').dir('/srv/shared store');
    const plan = await check(host, p);
    assert.deepEqual(plan.status === 'change' && plan.changes, [
      { kind: 'file', path: '/etc/fstab', before: '', after: '/srv/shared\\040store /mnt/my\\040store none bind 0 0\n' },
      { kind: 'command', cmd: "mount -t none -o bind '/srv/shared store' '/mnt/my store'", why: 'mount /srv/shared store on /mnt/my store', covers: ['/mnt/my store'], declared: true },
    ]);
    host.file('/etc/fstab', '/srv/shared\\040store /mnt/my\\040store none bind 0 0\n');
    host.live.push('/dev/vda /mnt/my\\040store ext4 rw,relatime 0 0');
    assert.equal((await check(host, p)).status, 'ok');
  });

  it('present: only the fstab line, whatever is mounted', async () => {
    const host = mountHost().file('/etc/fstab', FSTAB);
    assert.deepEqual(await check(host, params({ state: 'present' })), change(`${SHARED}: fstab line added`, { kind: 'file', path: '/etc/fstab', before: FSTAB, after: `${FSTAB}${LINE}\n` }));
    host.file('/etc/fstab', `${FSTAB}${LINE}\n`);
    assert.deepEqual(await check(host, params({ state: 'present' })), ok(`${SHARED} in fstab`));
  });

  it('unmounted: umount when mounted, fstab left alone', async () => {
    const host = mountHost([`${SRC} ${SHARED} nfs rw 0 0`]).file('/etc/fstab', FSTAB);
    const plan = await check(host, params({ state: 'unmounted' }));
    assert.deepEqual(plan, change(`${SHARED}: unmounted`, { kind: 'command', cmd: `umount ${SHARED}`, why: `unmount ${SHARED}`, covers: [SHARED], declared: true }));
    host.apply(plan);
    assert.deepEqual(await check(host, params({ state: 'unmounted' })), ok(`${SHARED} not mounted`));
  });

  it('absent: umount first, then the line is removed', async () => {
    const host = mountHost([`${SRC} ${SHARED} nfs rw 0 0`]).file('/etc/fstab', `${FSTAB}${LINE}\n`);
    const plan = await check(host, params({ state: 'absent' }));
    assert.deepEqual(
      plan,
      change(`${SHARED}: fstab line removed, unmounted`, { kind: 'command', cmd: `umount ${SHARED}`, why: `unmount ${SHARED}`, covers: [SHARED], declared: true }, { kind: 'file', path: '/etc/fstab', before: `${FSTAB}${LINE}\n`, after: FSTAB }),
    );
    host.apply(plan);
    assert.deepEqual(await check(host, params({ state: 'absent' })), ok(`${SHARED} not in fstab and not mounted`));
  });

  it('check() never writes, in any state', async () => {
    for (const live of [[], [`${SRC} ${SHARED} nfs rw 0 0`], [`other:/x ${SHARED} nfs rw 0 0`]]) {
      const host = mountHost(live).file('/etc/fstab', `${FSTAB}10.0.0.9:/old ${SHARED} nfs ro 0 0\n`);
      for (const state of ['mounted', 'present', 'unmounted', 'absent'] as const) await check(host, params({ state }));
      assert.deepEqual(host.writes, []);
      assert.deepEqual(new Set(host.reads), new Set(['cat /proc/mounts']));
    }
  });

  it('a failing /proc/mounts read is a clear failure', async () => {
    const host = new FakeHost().on('cat /proc/mounts', { code: 1, stdout: '', stderr: 'cat: /proc/mounts: No such file or directory' });
    await assert.rejects(check(host, params()), /cannot read \/proc\/mounts: cat: \/proc\/mounts: No such file or directory/);
  });
});

import assert from 'node:assert/strict';
import { Unknowable, type FileStat } from '../../runner/src/modules/lib/context.js';
import type { Identity } from '../../runner/src/modules/facts/identity.js';
import type { Change } from '../../runner/src/modules/lib/plan.js';
import { changeCommand } from '../../runner/src/engine/apply.js';
import { planCommands, planDetails, planDiff } from '../../runner/src/engine/describe.js';
import { Overlay, type HostProbe } from '../../runner/src/engine/overlay.js';
import { FakeHost } from '../helpers/fake-host.js';

/** A host as the overlay sees it: stats, texts and who runs the commands. */
function host(entries: Record<string, Partial<FileStat> & { text?: string }>, who: Identity = { user: 'deploy', group: 'staff', umask: '0022' }): HostProbe & { asked: string[] } {
  const asked: string[] = [];
  const at = (path: string) => entries[path];
  return {
    asked,
    stat: async (path) => {
      asked.push(path);
      const e = at(path);
      return e ? { type: 'file', mode: '0644', owner: 'root', group: 'root', size: e.text?.length ?? 0, ...e } : null;
    },
    read: async (path) => at(path)?.text ?? null,
    identity: async () => who,
  };
}

/** One change of every kind: a kind added to Change must get a sample here, or this does not compile. */
const SAMPLES: { [K in Change['kind']]: Extract<Change, { kind: K }> } = {
  file: { kind: 'file', path: '/srv/app.conf', before: null, after: 'a=1\n', mode: '0640' },
  upload: { kind: 'upload', path: '/srv/app.tar', data: Buffer.from([0, 1, 2]), sha256: 'ab'.repeat(32), before: null },
  remove: { kind: 'remove', path: '/srv/old', before: 'x\n' },
  dir: { kind: 'dir', path: '/srv/data/store', mode: '0750', owner: 'activemq' },
  attrs: { kind: 'attrs', path: '/srv', owner: ['root', 'activemq'], recurse: true },
  command: { kind: 'command', cmd: 'make-things', creates: ['/srv/made'] },
};

describe('the dry-run overlay: each kind of change', () => {
  it('file: a new file reads as its text, 0644, owned by whoever runs the command', async () => {
    const h = host({ '/srv': { type: 'dir', mode: '0755' } });
    const o = new Overlay();
    await o.record([{ kind: 'file', path: '/srv/app.conf', before: null, after: 'a=1\n' }], h);
    assert.equal(await o.read('/srv/app.conf', h), 'a=1\n');
    assert.deepEqual(await o.stat('/srv/app.conf', h), { type: 'file', size: 4, mode: '0644', owner: 'deploy', group: 'staff' });
  });

  it('file: in a set-group-ID directory a new file gets the directory\'s group', async () => {
    const h = host({ '/srv': { type: 'dir', mode: '2775', group: 'activemq' } });
    const o = new Overlay();
    await o.record([{ kind: 'file', path: '/srv/app.conf', before: null, after: 'x', owner: 'root' }], h);
    assert.deepEqual(await o.stat('/srv/app.conf', h), { type: 'file', size: 1, mode: '0644', owner: 'root', group: 'activemq' });
  });

  it('file: an existing file keeps its mode and owner unless the change sets them', async () => {
    const h = host({ '/srv/app.conf': { mode: '0600', owner: 'activemq', group: 'activemq', text: 'old' } });
    const o = new Overlay();
    await o.record([{ kind: 'file', path: '/srv/app.conf', before: 'old', after: 'new text', group: 'adm' }], h);
    assert.deepEqual(await o.stat('/srv/app.conf', h), { type: 'file', size: 8, mode: '0600', owner: 'activemq', group: 'adm' });
    assert.equal(await o.read('/srv/app.conf', h), 'new text');
  });

  it('upload: its attributes are known, its bytes read as a check reads them (UTF-8), its checksum is the upload\'s', async () => {
    const h = Object.assign(host({ '/srv': { type: 'dir' } }), { sha256: async () => 'from the host' });
    const o = new Overlay();
    await o.record([SAMPLES.upload], h);
    assert.deepEqual(await o.stat('/srv/app.tar', h), { type: 'file', size: 3, mode: '0644', owner: 'deploy', group: 'staff' });
    assert.equal(await o.read('/srv/app.tar', h), Buffer.from([0, 1, 2]).toString('utf8'));
    assert.equal(await o.sha256('/srv/app.tar', h), SAMPLES.upload.sha256);
  });

  it('remove: the path and everything below it are gone, without asking the host', async () => {
    const h = host({ '/srv/old': { type: 'dir' }, '/srv/old/a': { text: 'a' } });
    const o = new Overlay();
    await o.record([SAMPLES.remove], h);
    h.asked.length = 0;
    assert.equal(await o.stat('/srv/old', h), null);
    assert.equal(await o.stat('/srv/old/a', h), null);
    assert.equal(await o.read('/srv/old/a', h), null);
    assert.deepEqual(h.asked, []);
  });

  it('dir: mkdir -p makes the missing parents as the user that runs it (not root:root), u+wx, and the last with its own mode', async () => {
    const h = host({ '/srv': { type: 'dir', mode: '0755' } }, { user: 'deploy', group: 'staff', umask: '0077' });
    const o = new Overlay();
    await o.record([SAMPLES.dir], h);
    assert.deepEqual(await o.stat('/srv/data', h), { type: 'dir', size: 0, mode: '0700', owner: 'deploy', group: 'staff' });
    assert.deepEqual(await o.stat('/srv/data/store', h), { type: 'dir', size: 0, mode: '0750', owner: 'activemq', group: 'staff' });
    h.asked.length = 0;
    assert.equal(await o.stat('/srv/data/store/anything', h), null, 'a new directory is empty');
    assert.deepEqual(h.asked, []);
  });

  it('dir: below a set-group-ID directory, new directories inherit its group and the bit', async () => {
    const h = host({ '/srv': { type: 'dir', mode: '2775', group: 'activemq' } });
    const o = new Overlay();
    await o.record([{ kind: 'dir', path: '/srv/a/b', mode: '0750' }], h);
    assert.deepEqual(await o.stat('/srv/a', h), { type: 'dir', size: 0, mode: '2755', owner: 'deploy', group: 'activemq' });
    assert.deepEqual(await o.stat('/srv/a/b', h), { type: 'dir', size: 0, mode: '2750', owner: 'deploy', group: 'activemq' });
  });

  it('dir: an existing directory only gets the mode and owner asked for; what is in it stays', async () => {
    const h = host({ '/srv': { type: 'dir', mode: '0755', owner: 'root' }, '/srv/x': { text: 'x' } });
    const o = new Overlay();
    await o.record([{ kind: 'dir', path: '/srv', owner: 'activemq' }], h);
    assert.deepEqual(await o.stat('/srv', h), { type: 'dir', size: 0, mode: '0755', owner: 'activemq', group: 'root' });
    assert.equal(await o.read('/srv/x', h), 'x');
  });

  it('attrs: the path gets them; with recurse, so does everything below it, planned or on the host', async () => {
    const h = host({ '/srv': { type: 'dir' }, '/srv/x': { text: 'x' } });
    const o = new Overlay();
    await o.record([{ kind: 'file', path: '/srv/new', before: null, after: 'n' }, SAMPLES.attrs], h);
    assert.equal((await o.stat('/srv', h))?.owner, 'activemq');
    assert.equal((await o.stat('/srv/x', h))?.owner, 'activemq');
    assert.equal((await o.stat('/srv/new', h))?.owner, 'activemq');
    assert.equal(await o.read('/srv/x', h), 'x', 'the content is still the host\'s');
  });

  it('command: what it creates (and below) is unknown, what it removes is gone, and it is pending', async () => {
    const h = host({ '/srv/gone': { text: 'g' } });
    const o = new Overlay();
    await o.record([{ kind: 'command', cmd: 'make-things', creates: ['/srv/made'], removes: ['/srv/gone'] }], h);
    await assert.rejects(o.stat('/srv/made', h), (e: Error) => e instanceof Unknowable && /\(make-things\)/.test(e.message));
    await assert.rejects(o.read('/srv/made/inside', h), Unknowable);
    assert.equal(await o.stat('/srv/gone', h), null);
    assert.deepEqual(o.pending, ['make-things']);
  });

  it('a change on a path whose state is unknown leaves it unknown, with the same reason', async () => {
    const h = host({});
    const o = new Overlay();
    await o.record([SAMPLES.command, { kind: 'attrs', path: '/srv/made/conf', mode: ['0644', '0600'] }], h);
    await assert.rejects(o.stat('/srv/made/conf', h), /make-things/);
  });
});

describe('every interpreter of a change handles every kind', () => {
  for (const c of Object.values(SAMPLES)) {
    it(c.kind, async () => {
      const { cmd } = changeCommand(c);
      assert.ok(cmd.length > 0, 'apply has a command for it');
      const plan = { status: 'change' as const, summary: c.kind, changes: [c] };
      const said = [planDiff(plan) ?? '', ...planDetails(plan), ...planCommands(plan)].join('\n');
      assert.ok(said.includes(c.kind === 'command' ? c.cmd : c.path), `describe names it: ${said}`);
      const h = host({ '/srv': { type: 'dir' }, '/srv/old': { text: 'x\n' } });
      await new Overlay().record([c], h);
      const fake = new FakeHost().dir('/srv').dir('/srv/data').file('/srv/old', 'x\n').on('make-things', { code: 0, stdout: '', stderr: '' });
      fake.apply(plan);
      assert.equal(fake.writes.length, 1, 'the fake host applies it');
    });
  }
});


describe('the dry-run overlay: one change after another', () => {
  it('a removed directory takes what was planned below it along', async () => {
    const h = host({ '/srv': { type: 'dir' }, '/srv/b': { type: 'dir' } });
    const o = new Overlay();
    await o.record([{ kind: 'file', path: '/srv/b/x.conf', before: null, after: 'x' }, { kind: 'remove', path: '/srv/b', before: null }], h);
    assert.equal(await o.stat('/srv/b/x.conf', h), null);
    assert.equal(await o.read('/srv/b/x.conf', h), null);
  });

  it("a module's declared command is not pending; a free-form one is", async () => {
    const h = host({});
    const o = new Overlay();
    await o.record([{ kind: 'command', cmd: 'exportfs -ra', declared: true }], h);
    assert.deepEqual(o.pending, []);
    await o.record([{ kind: 'command', cmd: 'true' }], h);
    assert.deepEqual(o.pending, ['true']);
  });

  it('a mount makes its mount point and what is below it unknown, saying which command', async () => {
    const h = host({ '/mnt': { type: 'dir' }, '/mnt/x': { text: 'x' } });
    const o = new Overlay();
    await o.record([{ kind: 'command', cmd: 'mount -t none -o bind /a /mnt', covers: ['/mnt'], declared: true }], h);
    await assert.rejects(o.stat('/mnt', h), /mount -t none -o bind \/a \/mnt/);
    await assert.rejects(o.read('/mnt/x', h), Unknowable);
    assert.deepEqual(o.pending, []);
  });
});

import assert from 'node:assert/strict';
import { link, linkCommand, type LinkParams } from '../../runner/src/modules/link.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import type { ExecResult } from '../../runner/src/transport/transport.js';
import { FakeHost } from '../helpers/fake-host.js';

const PATH = '/etc/activemq/instances-enabled/main';
const TARGET = '/etc/activemq/instances-available/main';
const res = (code: number, stdout = ''): ExecResult => ({ code, stdout, stderr: '' });
const check = (host: FakeHost, p: Partial<LinkParams> = {}) => link.check!(host.ctx(), { path: PATH, target: TARGET, state: 'present', force: false, ...p });

/** A host whose symbolic links follow the commands run on it (the fake host has no link entries of its own). */
function linkHost(): { host: FakeHost; links: Map<string, string> } {
  const links = new Map<string, string>();
  const host = new FakeHost().dir('/etc/activemq/instances-enabled');
  host.on(/^readlink -- /, (c) => {
    const p = c.slice('readlink -- '.length).replace(/^'|'$/g, '');
    return links.has(p) ? res(0, `${links.get(p)}\n`) : res(1);
  });
  host.on(/^ln -sfn -- /, res(0), (_, c) => {
    const m = /^ln -sfn -- (\S+) \S+ && mv -Tf -- \S+ (\S+)$/.exec(c)!;
    links.set(m[2], m[1]);
    host.entries.set(m[2], { type: 'file', content: '', mode: '0777', owner: 'root', group: 'root' });
  });
  host.on(/^rm -f -- /, res(0), (_, c) => {
    const p = c.slice('rm -f -- '.length);
    links.delete(p);
    host.entries.delete(p);
  });
  return { host, links };
}

/** The fake host's stat reports its entries; a link is an entry whose path is in `links`. */
function withLinkStat(h: { host: FakeHost; links: Map<string, string> }) {
  const ctx = h.host.ctx();
  const stat = ctx.stat;
  return {
    ...ctx,
    stat: async (p: string) => {
      const s = await stat(p);
      return s && h.links.has(p) ? { ...s, type: 'link' as const } : s;
    },
  };
}

describe('link module', () => {
  it('creates a missing link by a rename over its place, and is ok the next time', async () => {
    const h = linkHost();
    const plan = await link.check!(withLinkStat(h), { path: PATH, target: TARGET, state: 'present', force: false });
    assert.deepEqual(plan, change(`link ${PATH} -> ${TARGET}`, { kind: 'command', cmd: linkCommand(PATH, TARGET), why: `link ${PATH} -> ${TARGET}`, creates: [PATH], declared: true }));
    h.host.apply(plan);
    assert.deepEqual(await link.check!(withLinkStat(h), { path: PATH, target: TARGET, state: 'present', force: false }), ok(`${PATH} -> ${TARGET}`));
  });

  it('relinks a link that points elsewhere, naming both targets', async () => {
    const h = linkHost();
    h.links.set(PATH, '/etc/activemq/instances-available/old');
    h.host.file(PATH, '');
    const plan = await link.check!(withLinkStat(h), { path: PATH, target: TARGET, state: 'present', force: false });
    assert.equal(plan.status === 'change' && plan.summary, `relink ${PATH}: /etc/activemq/instances-available/old -> ${TARGET}`);
  });

  it('refuses a directory always and a file unless force', async () => {
    await assert.rejects(check(new FakeHost().dir(PATH)), /is a directory, not a symbolic link/);
    await assert.rejects(check(new FakeHost().file(PATH, 'x')), /is a file, not a symbolic link \(set force: true/);
    const forced = await check(new FakeHost().file(PATH, 'x'), { force: true });
    assert.equal(forced.status === 'change' && forced.summary, `replace the file ${PATH} with a link to ${TARGET}`);
  });

  it('refuses a link to itself, which mv would refuse half-way (found by the differential test)', async () => {
    await assert.rejects(check(new FakeHost().file(PATH, 'x'), { force: true, target: PATH }), /cannot be a link to itself/);
    await assert.rejects(check(new FakeHost().file(PATH, 'x'), { force: true, target: `../instances-enabled/${PATH.split('/').pop()}` }), /cannot be a link to itself/);
  });

  it('needs the parent directory of a new link', async () => {
    await assert.rejects(check(new FakeHost()), /the directory \/etc\/activemq\/instances-enabled does not exist/);
  });

  it('state absent removes a link, leaves nothing else', async () => {
    const h = linkHost();
    h.links.set(PATH, TARGET);
    h.host.file(PATH, '');
    const plan = await link.check!(withLinkStat(h), { path: PATH, state: 'absent', force: false });
    assert.deepEqual(plan, change(`remove the link ${PATH}`, { kind: 'command', cmd: `rm -f -- ${PATH}`, why: `remove ${PATH}`, removes: [PATH], declared: true }));
    h.host.apply(plan);
    assert.deepEqual(await link.check!(withLinkStat(h), { path: PATH, state: 'absent', force: false }), ok(`${PATH} already absent`));
    await assert.rejects(check(new FakeHost().file(PATH, 'x'), { state: 'absent', target: undefined }), /is not a symbolic link; remove it with a file task/);
  });

  it('quotes hostile paths in one step', () => {
    assert.equal(linkCommand("/a b/it's", '/t $(x)'), "ln -sfn -- '/t $(x)' '/a b/.it'\\''s.amq-runbook.tmp' && mv -Tf -- '/a b/.it'\\''s.amq-runbook.tmp' '/a b/it'\\''s'");
  });

  it('check() never writes', async () => {
    const h = linkHost();
    h.links.set(PATH, '/elsewhere');
    h.host.file(PATH, '');
    await link.check!(withLinkStat(h), { path: PATH, target: TARGET, state: 'present', force: false });
    await link.check!(withLinkStat(h), { path: PATH, state: 'absent', force: false });
    assert.deepEqual(h.host.writes, []);
  });
});

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStat, fileStatText, fileText, parseStat, parseStatText, parseText } from '../../runner/src/modules/facts/files.js';
import { LocalTransport } from '../../runner/src/transport/local.js';

/** The one-command stat-and-read, run by this machine's shell, against stat and cat run apart. */
describe('fileStatText: a stat that brings a small file’s text along, on real files', () => {
  let dir: string;
  let t: LocalTransport;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-stat-text-'));
    t = new LocalTransport('local');
  });
  after(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const both = async (path: string, max = 64) => {
    const one = parseStatText(await t.exec(fileStatText(path, max).command, { readOnly: true, probe: true }));
    const stat = parseStat(await t.exec(fileStat(path).command, { readOnly: true }));
    const text = parseText(await t.exec(fileText(path).command, { readOnly: true }));
    return { one, stat, text };
  };

  const cases: [string, string][] = [
    ['with a final newline', 'a=1\nb=2\n'],
    ['without a final newline', 'a=1'],
    ['empty', ''],
    ['ending the way the command’s own trailer looks', 'x\n+0\n+0'],
    ['with blank lines at the end', 'x\n\n\n'],
    ['in UTF-8', 'café ✓\n'],
  ];
  for (const [name, content] of cases) {
    it(`a small file ${name}: the same stat and text as stat and cat apart`, async () => {
      const path = join(dir, `it's "${name}".txt`);
      writeFileSync(path, content);
      const { one, stat, text } = await both(path);
      assert.deepEqual(one, { found: { stat: (stat as { found: unknown }).found, text: (text as { found: unknown }).found } });
      assert.equal((one as { found: { text: string } }).found.text, content);
    });
  }

  it('a file larger than the limit, a directory and a link: the stat alone', async () => {
    writeFileSync(join(dir, 'big'), 'y'.repeat(65));
    mkdirSync(join(dir, 'sub'));
    symlinkSync(join(dir, 'big'), join(dir, 'link'));
    for (const p of ['big', 'sub', 'link']) {
      const { one, stat } = await both(join(dir, p));
      assert.deepEqual(one, { found: { stat: (stat as { found: unknown }).found } }, p);
    }
    const exact = join(dir, 'exact');
    writeFileSync(exact, 'z'.repeat(64));
    assert.equal(((await both(exact)).one as { found: { text: string } }).found.text, 'z'.repeat(64), 'a file of exactly the limit is read');
  });

  it('nothing there, or a file where a folder should be: absent, as stat says', async () => {
    writeFileSync(join(dir, 'plain'), 'p');
    for (const p of ['missing', 'plain/below']) {
      const { one } = await both(join(dir, p));
      assert.deepEqual(one, { found: { stat: null } }, p);
    }
  });

  it('a file cat cannot read (another user’s, without become): the stat, and the read left to cat', () => {
    const out = { code: 0, stdout: 'regular file|600|app|app|5\n+\n\n+1', stderr: '' };
    assert.deepEqual(parseStatText(out), { found: { stat: { type: 'file', mode: '0600', owner: 'app', group: 'app', size: 5 } } });
  });
});

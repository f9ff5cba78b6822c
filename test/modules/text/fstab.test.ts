import assert from 'node:assert/strict';
import { escapeField, findFstab, parseFstabLine, removeFstab, renderFstabLine, unescapeField, upsertFstab, type FstabEntry } from '../../../runner/src/modules/text/fstab.js';

const NFS: FstabEntry = { src: '192.168.10.191:/data/activemq-data', path: '/shared/activemq-data', fstype: 'nfs', opts: 'rw,hard,intr', dump: 0, pass: 0 };
const LINE = '192.168.10.191:/data/activemq-data /shared/activemq-data nfs rw,hard,intr 0 0';
const HEAD = '# /etc/fstab: static file system information.\nUUID=1234 / ext4 errors=remount-ro 0 1\n';

describe('fstab text', () => {
  it('renders the six fields', () => {
    assert.equal(renderFstabLine(NFS), LINE);
  });

  it('appends the line, keeping the rest', () => {
    assert.equal(upsertFstab(HEAD, NFS), `${HEAD}${LINE}\n`);
    assert.equal(upsertFstab('UUID=1234 / ext4 defaults 0 1', NFS), `UUID=1234 / ext4 defaults 0 1\n${LINE}\n`);
    assert.equal(upsertFstab('', NFS), `${LINE}\n`);
  });

  it('replaces a differing line for the mount point in place', () => {
    const before = `${HEAD}old:/x /shared/activemq-data nfs ro 0 0\n/dev/sdb1 /var ext4 defaults 0 2\n`;
    assert.equal(upsertFstab(before, NFS), `${HEAD}${LINE}\n/dev/sdb1 /var ext4 defaults 0 2\n`);
  });

  it('keeps a line that says the same thing with other spacing, and missing dump/pass as 0', () => {
    const text = `${HEAD}192.168.10.191:/data/activemq-data\t/shared/activemq-data/\tnfs\trw,hard,intr\n`;
    assert.equal(upsertFstab(text, NFS), text);
  });

  it('writes spaces as \\040 and matches such lines by the decoded path', () => {
    const bind: FstabEntry = { src: '/srv/shared store', path: '/mnt/my store', fstype: 'none', opts: 'bind', dump: 0, pass: 0 };
    assert.equal(renderFstabLine(bind), '/srv/shared\\040store /mnt/my\\040store none bind 0 0');
    const text = `${HEAD}/srv/shared\\040store /mnt/my\\040store none bind 0 0\n`;
    assert.equal(upsertFstab(text, bind), text);
    assert.deepEqual(findFstab(text, '/mnt/my store'), bind);
    assert.equal(removeFstab(text, '/mnt/my store'), HEAD);
  });

  it('escapes tabs, newlines and backslashes too, and decodes them back', () => {
    const odd = 'a\tb\nc\\d e';
    assert.equal(escapeField(odd), 'a\\011b\\012c\\134d\\040e');
    assert.equal(unescapeField(escapeField(odd)), odd);
  });

  it('ignores comments and blank lines, and a commented line for the same path', () => {
    assert.equal(parseFstabLine('# comment'), undefined);
    assert.equal(parseFstabLine('   '), undefined);
    const before = `#${LINE}\n`;
    assert.equal(upsertFstab(before, NFS), `#${LINE}\n${LINE}\n`);
  });

  it('keeps one line per mount point, dropping later duplicates', () => {
    const before = `${LINE}\n/dev/sdb1 /var ext4 defaults 0 2\nx:/y /shared/activemq-data nfs ro 0 0\n`;
    assert.equal(upsertFstab(before, NFS), `${LINE}\n/dev/sdb1 /var ext4 defaults 0 2\n`);
  });

  it('removes every line for the mount point and nothing else', () => {
    assert.equal(removeFstab(`${HEAD}${LINE}\n/dev/sdb1 /var ext4 defaults 0 2\n`, '/shared/activemq-data'), `${HEAD}/dev/sdb1 /var ext4 defaults 0 2\n`);
    assert.equal(removeFstab(HEAD, '/shared/activemq-data'), HEAD);
  });
});

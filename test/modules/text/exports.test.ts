import assert from 'node:assert/strict';
import { exportLinePath, removeExport, renderExportLine, renderExportPath, upsertExport } from '../../../runner/src/modules/text/exports.js';

const DATA = '/data/activemq-data';
const STAR = [{ host: '*', options: ['rw', 'sync', 'no_root_squash'] }];
const LINE = '/data/activemq-data *(rw,sync,no_root_squash)';

describe('exports text', () => {
  it('renders several clients on one line', () => {
    const clients = [
      { host: '192.168.10.0/24', options: ['rw', 'sync'] },
      { host: 'backup.example.com', options: ['ro'] },
    ];
    assert.equal(renderExportLine(DATA, clients), '/data/activemq-data 192.168.10.0/24(rw,sync) backup.example.com(ro)');
  });

  it('a client without options is the bare host', () => {
    assert.equal(renderExportLine(DATA, [{ host: '*', options: [] }]), '/data/activemq-data *');
  });

  it('appends the line to an empty or missing file', () => {
    assert.equal(upsertExport('', DATA, STAR), `${LINE}\n`);
  });

  it('appends after the last line, adding the missing newline', () => {
    assert.equal(upsertExport('/srv/a *(ro)', DATA, STAR), `/srv/a *(ro)\n${LINE}\n`);
  });

  it('replaces the line for the path in place and keeps comments and other lines byte for byte', () => {
    const before = '# /etc/exports: the access control list\n#\n/srv/a\t10.0.0.1(ro)\n/data/activemq-data   host1(rw)\n\n/srv/b *(ro) # keep\n';
    const after = `# /etc/exports: the access control list\n#\n/srv/a\t10.0.0.1(ro)\n${LINE}\n\n/srv/b *(ro) # keep\n`;
    assert.equal(upsertExport(before, DATA, STAR), after);
  });

  it('keeps a file that already has the line unchanged', () => {
    const text = `# shared store\n${LINE}\n/srv/b *(ro)\n`;
    assert.equal(upsertExport(text, DATA, STAR), text);
  });

  it('matches the path with a trailing slash, and drops later duplicates', () => {
    const before = `/data/activemq-data/ *(ro)\n/srv/b *(ro)\n/data/activemq-data host2(rw)\n`;
    assert.equal(upsertExport(before, DATA, STAR), `${LINE}\n/srv/b *(ro)\n`);
  });

  it('a commented-out line for the path is not the path', () => {
    const before = `#${LINE}\n`;
    assert.equal(upsertExport(before, DATA, STAR), `#${LINE}\n${LINE}\n`);
  });

  it('replaces a line continued with a backslash as a whole', () => {
    const before = '/data/activemq-data \\\n    host1(rw) \\\n    host2(rw)\n/srv/b *(ro)\n';
    assert.equal(upsertExport(before, DATA, STAR), `${LINE}\n/srv/b *(ro)\n`);
  });

  it('quotes a path with spaces, and escapes quotes and backslashes as \\ooo', () => {
    assert.equal(renderExportPath('/srv/my data'), '"/srv/my data"');
    assert.equal(renderExportPath('/srv/a"b\\c'), '"/srv/a\\042b\\134c"');
    assert.equal(renderExportPath('/srv/#1'), '"/srv/#1"');
    assert.equal(renderExportLine('/srv/my data', STAR), '"/srv/my data" *(rw,sync,no_root_squash)');
  });

  it('reads quoted and octal-escaped paths back', () => {
    assert.equal(exportLinePath('"/srv/my data" *(rw)'), '/srv/my data');
    assert.equal(exportLinePath('/srv/my\\040data *(rw)'), '/srv/my data');
    assert.equal(exportLinePath('"/srv/a\\042b\\134c" *(rw)'), '/srv/a"b\\c');
    assert.equal(exportLinePath('  # comment'), undefined);
    assert.equal(exportLinePath('   '), undefined);
  });

  it('replaces a line for a path with spaces written either way', () => {
    assert.equal(upsertExport('/srv/my\\040data host1(rw)\n', '/srv/my data', STAR), '"/srv/my data" *(rw,sync,no_root_squash)\n');
  });

  it('removes every line for the path and nothing else', () => {
    const before = `# header\n${LINE}\n/srv/b *(ro)\n/data/activemq-data host2(rw)\n`;
    assert.equal(removeExport(before, DATA), '# header\n/srv/b *(ro)\n');
    assert.equal(removeExport('/srv/b *(ro)\n', DATA), '/srv/b *(ro)\n');
  });

  it('keeps CRLF line ends of a replaced line', () => {
    assert.equal(upsertExport('/data/activemq-data h(rw)\r\n/srv/b *(ro)\r\n', DATA, STAR), `${LINE}\r\n/srv/b *(ro)\r\n`);
  });
});

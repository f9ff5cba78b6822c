import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture, ROOT } from '../helpers/paths.js';

describe('Neovim (headless) as a client of amq-lsp --stdio', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    const v = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    if (v.status !== 0) throw new Error('nvim is not installed: run .ci/install-editors.sh (Debian package neovim)');
    dir = mkdtempSync(join(tmpdir(), 'amq-nvim-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('shows our diagnostics and completes modules inside a task', () => {
    const out = join(dir, 'result.json');
    const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', join(ROOT, 'test/editor/init.lua')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 50_000,
      env: { ...process.env, AMQ_LSP: join(ROOT, 'bin/amq-lsp.js'), RB_FILE: fixture('editor', 'demo.runbook.yaml'), RB_OUT: out, RB_LINE: '11', RB_COL: '8' },
    });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(readFileSync(out, 'utf8')) as { published: boolean; diagnostics: { line: number; col: number; message: string; severity: number }[]; labels: string[] };
    assert.equal(got.published, true, 'the server published diagnostics');
    const typo = got.diagnostics.find((d) => /unknown module 'nfs_exprt'/.test(d.message));
    assert.ok(typo, JSON.stringify(got.diagnostics));
    assert.equal(typo.line, 9);
    assert.equal(typo.col, 8);
    assert.equal(typo.severity, 1);
    assert.match(typo.message, /did you mean 'nfs_export'\?/);
    for (const m of ['nfs_export', 'activemq_broker', 'haproxy', 'notify']) assert.ok(got.labels.includes(m), `completion offers ${m}: ${got.labels.join(', ')}`);
  });
});

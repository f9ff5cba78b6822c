import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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

  it('renames through its client, lists the inlay hints and shows the code lenses from the server', () => {
    const ws = join(dir, 'ws');
    cpSync(fixture('lsp'), ws, { recursive: true });
    const site = join(ws, 'site.yaml');
    const text = readFileSync(site, 'utf8');
    const at = text.indexOf('{{ broker_name }}') + 5;
    const before = text.slice(0, at).split('\n');
    const out = join(dir, 'features.json');
    const r = spawnSync('nvim', ['--headless', '-n', '-i', 'NONE', '--noplugin', '-u', join(ROOT, 'test/editor/init.lua')], {
      cwd: ws,
      encoding: 'utf8',
      timeout: 50_000,
      env: {
        ...process.env,
        AMQ_LSP: join(ROOT, 'bin/amq-lsp.js'),
        RB_FILE: site,
        RB_OUT: out,
        RB_LINE: '0',
        RB_COL: '0',
        RB_NEW_NAME: 'node_name',
        RB_RENAME_LINE: String(before.length - 1),
        RB_RENAME_COL: String(before[before.length - 1].length),
        RB_INVENTORY: join(ws, 'inventory.yaml'),
      },
    });
    assert.equal(r.status, 0, r.stderr);
    const got = JSON.parse(readFileSync(out, 'utf8')) as { published: boolean; hints: { line: number; label: string }[]; lenses: { line: number; title: string }[]; runbook: string; inventory: string };
    assert.equal(got.published, true);
    assert.match(got.runbook, /broker_name: "\{\{ node_name \}\}"/, 'the runbook renamed');
    assert.equal((got.inventory.match(/node_name: broker[12]/g) ?? []).length, 2, 'the inventory renamed');
    assert.ok(got.hints.some((h) => h.line === before.length - 1 && h.label === 'broker1 · broker2'), JSON.stringify(got.hints));
    assert.deepEqual(got.lenses.map((l) => l.title), ['1 host: nfs1 · 2 tasks, 1 handler', '2 hosts: broker1, broker2 · 5 tasks, 1 handler']);
  });
});

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packagedVsix, vsixEntries } from '../helpers/vsix.js';

describe('the .vsix', function () {
  this.timeout(120_000);
  let vsix: string;
  let entries: string[];
  before(() => {
    vsix = packagedVsix();
    entries = vsixEntries(vsix);
  });

  it('holds exactly what the extension runs: two bundles, the manifest and its assets', () => {
    assert.deepEqual(entries, [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/dist/extension.cjs',
      'extension/dist/server.mjs',
      'extension/extension/icon.png',
      'extension/extension/language-configuration.json',
      'extension/extension/syntaxes/runbook.tmLanguage.json',
      'extension/package.json',
      'extension/readme.md',
    ]);
    for (const e of entries) assert.doesNotMatch(e, /node_modules|\/src\/|\/test\/|\.ts$|\/out\/|playbooks|\.lab/);
  });

  it('its manifest activates on the runbook language and names a main that is inside', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amq-vsix-'));
    try {
      spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', vsix, dir]);
      const manifest = JSON.parse(readFileSync(join(dir, 'extension/package.json'), 'utf8')) as { main: string; activationEvents: string[]; engines: { vscode: string }; contributes: { languages: { id: string }[]; commands: { title: string }[] } };
      assert.ok(entries.includes(`extension/${manifest.main.replace(/^\.\//, '')}`));
      assert.ok(manifest.activationEvents.includes('onLanguage:runbook'));
      assert.equal(manifest.contributes.languages[0].id, 'runbook');
      assert.deepEqual(manifest.contributes.commands.map((c) => c.title).slice(0, 3), ['Run playbook', 'Dry-run playbook', 'Validate playbook']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bundled server runs on its own, away from the project and its node_modules', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amq-vsix-'));
    try {
      spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', vsix, dir]);
      const child = spawn(process.execPath, [join(dir, 'extension/dist/server.mjs'), '--stdio'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
      const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: null, rootUri: null, capabilities: {} } });
      child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
      const reply = await new Promise<string>((resolve, reject) => {
        let got = '';
        const timer = setTimeout(() => reject(new Error(`no answer; stderr: ${err}`)), 20_000);
        let err = '';
        child.stderr.on('data', (d: Buffer) => (err += d.toString()));
        child.stdout.on('data', (d: Buffer) => {
          got += d.toString();
          if (got.includes('"capabilities"')) {
            clearTimeout(timer);
            resolve(got);
          }
        });
      });
      child.kill();
      assert.match(reply, /"completionProvider"/);
      assert.match(reply, /"hoverProvider":true/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

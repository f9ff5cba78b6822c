import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileUri, LspClient } from '../helpers/lsp-client.js';
import { packagedVsix, vsixEntries } from '../helpers/vsix.js';

describe('the .vsix', function () {
  this.timeout(120_000);
  let vsix: string;
  let entries: string[];
  before(() => {
    vsix = packagedVsix();
    entries = vsixEntries(vsix);
  });

  it('holds exactly what the extension runs: two bundles (the server in chunks), the manifest and its assets', () => {
    // The server's entry answers `initialize` before it reads the chunk with the rest.
    const chunks = entries.filter((e) => /^extension\/dist\/server-[\w-]+\.mjs$/.test(e));
    assert.ok(chunks.length >= 1, entries.join(', '));
    assert.deepEqual(entries.filter((e) => !chunks.includes(e)), [
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

  it('the bundled server runs on its own, away from the project and its node_modules: it answers and validates', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amq-vsix-'));
    let client: LspClient | undefined;
    try {
      spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', vsix, dir]);
      client = await LspClient.start({ args: [join(dir, 'extension/dist/server.mjs'), '--stdio'], cwd: dir });
      const uri = fileUri(join(dir, 'site.yaml'));
      const got = client.diagnostics(uri);
      client.open(uri, 'name: x\nplays:\n  - name: p\n    hosts: all\n');
      assert.deepEqual((await got).diagnostics.map((d) => d.code), ['no-inventory']);
      assert.equal(client.stderr, '');
    } finally {
      await client?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

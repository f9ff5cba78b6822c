import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seedDemoRoot } from '../../lab/demo-root.js';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { fileUri, LspClient } from '../helpers/lsp-client.js';
import { ROOT } from '../helpers/paths.js';
import { packagedVsix, vsixEntries } from '../helpers/vsix.js';

/** The .vsix's budget (README, "In the editor"): what the editor downloads and unpacks. */
const VSIX_BUDGET_BYTES = 800_000;
const extract = (vsix: string) => {
  const dir = mkdtempSync(join(tmpdir(), 'amq-vsix-'));
  spawnSync('python3', ['-c', 'import sys, zipfile; zipfile.ZipFile(sys.argv[1]).extractall(sys.argv[2])', vsix, dir]);
  return dir;
};

describe('the .vsix', function () {
  this.timeout(120_000);
  let vsix: string;
  let entries: string[];
  before(() => {
    vsix = packagedVsix();
    entries = vsixEntries(vsix);
  });

  it('holds exactly what the extension runs: three bundles (the server in chunks), the manifest and its assets, within its budget', () => {
    // The server's entry answers `initialize` before it reads the chunk with the rest.
    const chunks = entries.filter((e) => /^extension\/dist\/server-[\w-]+\.mjs$/.test(e));
    assert.ok(chunks.length >= 1, entries.join(', '));
    assert.deepEqual(entries.filter((e) => !chunks.includes(e)), [
      '[Content_Types].xml',
      'extension.vsixmanifest',
      'extension/LICENSE.txt',
      'extension/dist/extension.cjs',
      'extension/dist/runner.mjs',
      'extension/dist/server.mjs',
      'extension/extension/icon.png',
      'extension/extension/language-configuration.json',
      'extension/extension/syntaxes/runbook.tmLanguage.json',
      'extension/package.json',
      'extension/readme.md',
    ]);
    for (const e of entries) assert.doesNotMatch(e, /node_modules|\/src\/|\/test\/|\.ts$|\/out\/|playbooks|\.lab/);
    assert.ok(statSync(vsix).size <= VSIX_BUDGET_BYTES, `${statSync(vsix).size} bytes`);
  });

  it('its manifest activates on the runbook language and names a main that is inside', () => {
    const dir = extract(vsix);
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'extension/package.json'), 'utf8')) as {
        main: string;
        activationEvents: string[];
        engines: { vscode: string; node: string };
        contributes: { languages: { id: string }[]; commands: { title: string }[]; configuration: { properties: Record<string, { default: unknown }> } };
      };
      assert.ok(entries.includes(`extension/${manifest.main.replace(/^\.\//, '')}`));
      assert.ok(manifest.activationEvents.includes('onLanguage:runbook'));
      assert.equal(manifest.contributes.languages[0].id, 'runbook');
      assert.deepEqual(manifest.contributes.commands.map((c) => c.title).slice(0, 3), ['Run playbook', 'Dry-run playbook', 'Validate playbook']);
      assert.equal(manifest.contributes.configuration.properties['amqRunbook.runnerPath'].default, '', 'the bundled runner by default');
      assert.match(manifest.engines.node, /^>=\d/, 'the extension reads the lowest Node for the runner from engines.node');
      assert.equal((manifest as { files?: string[] }).files?.includes('dist/runner.mjs'), true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the bundled server runs on its own, away from the project and its node_modules: it answers and validates', async () => {
    const dir = extract(vsix);
    let client: LspClient | undefined;
    try {
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

  it('the bundled runner runs on its own, away from the project and its node_modules, also as the editor runs it (ELECTRON_RUN_AS_NODE)', () => {
    const dir = extract(vsix);
    try {
      const runner = join(dir, 'extension/dist/runner.mjs');
      const run = (args: string[], env: NodeJS.ProcessEnv = {}) => spawnSync(process.execPath, [runner, ...args], { cwd: dir, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1', ...env } });
      const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
      assert.equal(run(['--version']).stdout, `${version}\n`);
      const valid = run(['validate', join(ROOT, 'playbooks/ha.yaml')]);
      assert.equal(valid.status, 0, valid.stderr);
      const invalid = run(['validate', join(ROOT, 'test/fixtures/invalid/11-unknown-module-near.yaml')]);
      assert.equal(invalid.status, 4);
      assert.match(invalid.stdout, /11-unknown-module-near\.yaml:9:9: error: unknown module 'nfs_exprt'/);
      seedDemoRoot(join(dir, 'root'));
      const dry = run([join(ROOT, 'playbooks/ha.yaml'), '-i', join(ROOT, 'playbooks/local.inventory.yaml'), '--dry-run', '--json', '-e', `demo_root=${join(dir, 'root')}`], { AMQ_ADMIN_PASSWORD: 'vsix-test-password' });
      assert.equal(dry.status, 0, dry.stderr);
      const events = dry.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
      assert.ok(events.some((e) => e.type === 'task_result' && e.status === 'would_change'));
      assert.ok(!events.some((e) => e.type === 'task_result' && (e.status === 'failed' || e.status === 'changed')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

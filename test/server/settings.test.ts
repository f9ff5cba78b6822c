import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readSettings, sameAnalysis } from '../../server/src/settings.js';
import { fileUri, LspClient } from '../helpers/lsp-client.js';
import { playbook, ROOT } from '../helpers/paths.js';

describe('client settings (in process)', () => {
  it('the inventory and @files relative to the workspace folder, -e read as the command line reads it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amq-settings-'));
    try {
      writeFileSync(join(dir, 'vars.yaml'), 'from_file: 3\n');
      const s = readSettings([{ inventory: 'playbooks/local.inventory.yaml', extraVars: ['demo_root=/tmp/demo', 'port=61616', 'flag=true', '@vars.yaml'] }], dir);
      assert.equal(s.inventory, join(dir, 'playbooks/local.inventory.yaml'));
      assert.deepEqual(s.extraVars, { demo_root: '/tmp/demo', port: 61616, flag: true, from_file: 3 });
      assert.deepEqual(s.problems, []);
      assert.equal(s.inlayHints, true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('later settings win; a bad -e is a problem to show, not a crash', () => {
    const s = readSettings([{ inventory: 'a.yaml', inlayHints: true }, { inventory: '', extraVars: ['no equals sign'], inlayHints: false }], '/w');
    assert.equal(s.inventory, undefined);
    assert.deepEqual(s.extraVars, {});
    assert.deepEqual(s.problems, ["amqRunbook.extraVars: -e takes key=value or @file.yaml, not 'no equals sign'"]);
    assert.equal(s.inlayHints, false);
  });

  it('only what changes an analysis analyses again', () => {
    const a = readSettings([{ extraVars: ['x=1'] }], '/w');
    assert.ok(sameAnalysis(a, readSettings([{ extraVars: ['x=1'], inlayHints: false }], '/w')));
    assert.ok(!sameAnalysis(a, readSettings([{ extraVars: ['x=2'] }], '/w')));
    assert.ok(!sameAnalysis(a, readSettings([{ extraVars: ['x=1'], inventory: 'i.yaml' }], '/w')));
  });
});

describe('language server: the inventory and -e of the client (over stdio)', function () {
  this.timeout(30_000);
  const uri = fileUri(playbook('ha.yaml'));
  const text = readFileSync(playbook('ha.yaml'), 'utf8');
  const local = fileUri(playbook('local.inventory.yaml'));

  it("the README's demo runbook with the README's settings shows no diagnostic; without -e, the CLI's errors, in the inventory", async () => {
    const client = await LspClient.start({ rootUri: fileUri(ROOT), initializationOptions: { inventory: 'playbooks/local.inventory.yaml', extraVars: ['demo_root=/tmp/amq-runbook-demo'] } });
    try {
      let got = client.diagnostics(uri);
      client.open(uri, text);
      assert.deepEqual((await got).diagnostics, []);
      const inventory = client.diagnostics(local, (p) => p.diagnostics.length > 0);
      got = client.diagnostics(uri);
      void client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { amqRunbook: { extraVars: [] } } });
      assert.deepEqual((await got).diagnostics, []);
      assert.deepEqual(
        (await inventory).diagnostics.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`),
        ['6:53 undefined-variable', '7:53 undefined-variable', '8:53 undefined-variable', '9:53 undefined-variable'],
        'as amq-run validate -i playbooks/local.inventory.yaml says',
      );
      const cleared = client.diagnostics(local, (p) => p.diagnostics.length === 0);
      void client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { amqRunbook: { extraVars: ['demo_root=/srv/demo'] } } });
      await cleared;
      assert.equal(client.stderr, '');
    } finally {
      await client.stop();
    }
  });

  it('settings pulled with workspace/configuration when the notification carries none', async () => {
    const client = await LspClient.start({ rootUri: fileUri(ROOT), settings: { inventory: 'playbooks/local.inventory.yaml' } });
    try {
      const inventory = client.diagnostics(local, (p) => p.diagnostics.length === 4);
      client.open(uri, text);
      await inventory;
      const cleared = client.diagnostics(local, (p) => p.diagnostics.length === 0);
      client.settings = { inventory: 'playbooks/local.inventory.yaml', extraVars: ['demo_root=/tmp/x'] };
      void client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await cleared;
    } finally {
      await client.stop();
    }
  });
});

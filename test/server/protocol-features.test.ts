import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/capabilities.js';
import { offsetOf, pos, positionAt } from '../helpers/positions.js';
import { fileUri, LspClient, type Position, type Range } from '../helpers/lsp-client.js';
import { fixture } from '../helpers/paths.js';




type Edit = { range: Range; newText: string };
function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => offsetOf(text, b.range.start) - offsetOf(text, a.range.start))) out = out.slice(0, offsetOf(text, e.range.start)) + e.newText + out.slice(offsetOf(text, e.range.end));
  return out;
}

const OTHER = `name: Another runbook on the same inventory
inventory: inventory.yaml
plays:
  - name: Report
    hosts: brokers
    tasks:
      - name: Write the name
        file: { path: /tmp/name, content: "{{ broker_name }} next to {{ hosts.nfs1.address }}" }
`;

describe('language server over stdio: rename, highlights, links, folding, selections, symbols, colours, hints, lenses', function () {
  this.timeout(60_000);
  let dir: string;
  let client: LspClient;
  let site: string;
  let text: string;
  let uri: string;
  const td = () => ({ uri });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amq-lsp-features-'));
    cpSync(fixture('lsp'), dir, { recursive: true });
    writeFileSync(join(dir, 'other.yaml'), OTHER);
    site = join(dir, 'site.yaml');
    text = readFileSync(site, 'utf8');
    uri = fileUri(site);
    client = await LspClient.start({ rootUri: fileUri(dir) });
    const ready = client.diagnostics(uri);
    client.open(uri, text);
    assert.deepEqual((await ready).diagnostics, []);
  });

  after(async () => {
    await client?.stop();
    rmSync(dir, { recursive: true, force: true });
    assert.equal(client.stderr, '', 'the server logged no error');
  });

  it('prepareRename: the name under the cursor, or why it cannot be renamed', async () => {
    const ok = await client.request<{ range: Range; placeholder: string }>('textDocument/prepareRename', { textDocument: td(), position: pos(text, '{{ broker_name }}', 5) });
    assert.deepEqual(ok, { range: { start: pos(text, 'broker_name }}'), end: pos(text, 'broker_name }}', 11) }, placeholder: 'broker_name' });
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: td(), position: pos(text, '{{ hosts[peer]', 4) }), /'hosts' is built in/);
    await assert.rejects(client.request('textDocument/prepareRename', { textDocument: td(), position: pos(text, 'nfs_export:', 3) }), /module of the catalog/);
  });

  it('rename a variable: the runbook, its inventory, and the other runbook reading that inventory', async () => {
    const edit = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', { textDocument: td(), position: pos(text, '{{ broker_name }}', 5), newName: 'node_name' });
    const inventory = join(dir, 'inventory.yaml');
    assert.deepEqual(Object.keys(edit.changes).sort(), [fileUri(join(dir, 'inventory.yaml')), fileUri(join(dir, 'other.yaml')), uri].sort());
    assert.match(apply(text, edit.changes[uri]), /broker_name: "\{\{ node_name \}\}"/);
    const inv = apply(readFileSync(inventory, 'utf8'), edit.changes[fileUri(inventory)]);
    assert.equal((inv.match(/node_name: broker/g) ?? []).length, 2);
    assert.match(apply(OTHER, edit.changes[fileUri(join(dir, 'other.yaml'))]), /content: "\{\{ node_name \}\} next to/);
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: td(), position: pos(text, '{{ broker_name }}', 5), newName: 'peer' }),
      /'peer' is already a variable/,
    );
  });

  it('rename a host from the inventory document: its key, its groups, the runbooks naming it', async () => {
    const inventory = join(dir, 'inventory.yaml');
    const invText = readFileSync(inventory, 'utf8');
    const invUri = fileUri(inventory);
    const got = client.diagnostics(invUri);
    client.open(invUri, invText);
    await got;
    const edit = await client.request<{ changes: Record<string, Edit[]> }>('textDocument/rename', { textDocument: { uri: invUri }, position: pos(invText, 'nfs1:', 1), newName: 'storage1' });
    assert.match(apply(invText, edit.changes[invUri]), /nfs: +\{ hosts: \[storage1\] \}/);
    assert.match(apply(text, edit.changes[uri]), /\{\{ hosts\.storage1\.address \}\}/);
    assert.match(apply(OTHER, edit.changes[fileUri(join(dir, 'other.yaml'))]), /\{\{ hosts\.storage1\.address \}\}/);
    client.close(invUri);
  });

  it('document highlight: the definition written, the uses read', async () => {
    const got = await client.request<{ range: Range; kind: number }[]>('textDocument/documentHighlight', { textDocument: td(), position: pos(text, '{{ conf_dir }}', 4) });
    assert.deepEqual(got.map((h) => `${h.range.start.line + 1}:${h.kind}`), ['7:3', '50:2', '57:2']);
  });

  it('document links: the inventory and the template', async () => {
    const got = await client.request<{ range: Range; target: string }[]>('textDocument/documentLink', { textDocument: td() });
    assert.deepEqual(got.map((l) => [l.range.start.line + 1, l.target]), [
      [2, fileUri(join(dir, 'inventory.yaml'))],
      [44, fileUri(join(dir, 'templates', 'broker.env.tpl'))],
    ]);
  });

  it('folding ranges: plays, tasks, long mappings; selection ranges grow from a variable to the document', async () => {
    const folds = await client.request<{ startLine: number; endLine: number }[]>('textDocument/foldingRange', { textDocument: td() });
    const play = (name: string) => folds.find((f) => f.startLine === pos(text, `- name: ${name}`).line);
    assert.deepEqual(play('Prepare the NFS server'), { startLine: 15, endLine: 28 });
    assert.ok(folds.some((f) => f.startLine === pos(text, 'vars:').line), 'the vars');
    type Sel = { range: Range; parent?: Sel };
    const [sel] = await client.request<Sel[]>('textDocument/selectionRange', { textDocument: td(), positions: [pos(text, '{{ broker_name }}', 5)] });
    const chain: string[] = [];
    for (let s: Sel | undefined = sel; s; s = s.parent) chain.push(text.slice(offsetOf(text, s.range.start), offsetOf(text, s.range.end)));
    assert.deepEqual(chain.slice(0, 4), ['broker_name', '{{ broker_name }}', '"{{ broker_name }}"', 'broker_name: "{{ broker_name }}"']);
    assert.equal(chain[chain.length - 1], text.trimEnd());
  });

  it('workspace symbols: plays, tasks and handlers of every runbook, hosts and groups of their inventory', async () => {
    const got = await client.request<{ name: string; kind: number; location: { uri: string; range: Range }; containerName?: string }[]>('workspace/symbol', { query: 'brok' });
    const names = got.map((s) => `${s.name} (${s.location.uri.split('/').pop()})`);
    for (const n of ['Configure the brokers (site.yaml)', 'Configure the broker (site.yaml)', 'broker1 (inventory.yaml)', 'brokers (inventory.yaml)']) assert.ok(names.includes(n), `${n} in ${names.join(', ')}`);
    const report = await client.request<{ name: string; location: { uri: string } }[]>('workspace/symbol', { query: 'write the name' });
    assert.deepEqual(report.map((s) => s.location.uri), [fileUri(join(dir, 'other.yaml'))]);
  });

  it('semantic tokens: variables, secrets apart, fields, modules, handlers, hosts and groups', async () => {
    const { data } = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: td() });
    const tokens: string[] = [];
    let line = 0;
    let char = 0;
    for (let i = 0; i < data.length; i += 5) {
      line += data[i];
      char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
      const mods = TOKEN_MODIFIERS.filter((_, b) => data[i + 4] & (1 << b));
      const word = text.split('\n')[line].slice(char, char + data[i + 2]);
      tokens.push(`${line + 1}:${word}:${TOKEN_TYPES[data[i + 3]]}${mods.length ? `+${mods.join('+')}` : ''}`);
    }
    const lines = text.split('\n').length;
    const range = await client.request<{ data: number[] }>('textDocument/semanticTokens/range', { textDocument: td(), range: { start: { line: 30, character: 0 }, end: { line: lines, character: 0 } } });
    assert.ok(range.data.length > 0 && range.data.length < data.length, 'a range: part of the tokens');
    assert.ok(range.data[0] >= 30, 'the first token of the range on its first line or after');
    for (const t of ['10:admin_password:variable+readonly+secret', '51:broker_name:variable', '8:hosts:variable+defaultLibrary', '8:nfs1:class', '8:address:property', '21:package:type+defaultLibrary', '26:reload exports:event', '28:reload exports:event+declaration', '17:nfs:namespace', '5:export_dir:variable+declaration']) {
      assert.ok(tokens.includes(t), `${t} among ${tokens.slice(0, 40).join(' ')}`);
    }
  });

  it('inlay hints: the value on each host after an expression, a default left out; a setting turns them off', async () => {
    const range = { start: { line: 0, character: 0 }, end: { line: text.split('\n').length, character: 0 } };
    const hints = await client.request<{ position: Position; label: string }[]>('textDocument/inlayHint', { textDocument: td(), range });
    const at = (find: string) => hints.find((h) => h.position.line === pos(text, find).line && h.position.character === pos(text, find).character + find.length)?.label;
    assert.equal(at('{{ broker_name }}'), 'broker1 · broker2');
    assert.equal(at('{{ admin_password }}'), '••••');
    assert.equal(hints.find((h) => h.position.line === pos(text, 'activemq_broker:').line)?.label, 'bind: 0.0.0.0 · max_connections: 1000 · max_frame_size: 104857600');
    void client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { amqRunbook: { inlayHints: false } } });
    assert.deepEqual(await client.request('textDocument/inlayHint', { textDocument: td(), range }), []);
    void client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { amqRunbook: { inlayHints: true } } });
  });

  it('code lenses: per play, its hosts and tasks, with the command that dry-runs it', async () => {
    const lenses = await client.request<{ range: Range; command: { title: string; command: string; arguments: unknown[] } }[]>('textDocument/codeLens', { textDocument: td() });
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line + 1, l.command.title, l.command.command, l.command.arguments]),
      [
        [16, '1 host: nfs1 · 2 tasks, 1 handler', 'amqRunbook.dryRunPlay', [uri, 'Prepare the NFS server']],
        [31, '2 hosts: broker1, broker2 · 5 tasks, 1 handler', 'amqRunbook.dryRunPlay', [uri, 'Configure the brokers']],
      ],
    );
  });

  it('quick fix over the protocol: a mode quoted', async () => {
    const broken = text.replace('          mode: "0644"', '          mode: 0644');
    const got = client.diagnostics(uri, (p) => p.version === 2);
    client.change(uri, 2, [{ text: broken }]);
    const diagnostics = (await got).diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.code), ['mode-not-octal']);
    const actions = await client.request<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>('textDocument/codeAction', { textDocument: td(), range: diagnostics[0].range, context: { diagnostics } });
    assert.deepEqual(actions.map((a) => a.title), ['Quote the mode: "0644"']);
    assert.equal(apply(broken, actions[0].edit.changes[uri]), text);
    client.change(uri, 3, [{ text }]);
  });

  it('quick fix in an inventory file: a password moved to the secrets of the runbooks reading it', async () => {
    const inventory = join(dir, 'inventory.yaml');
    const invUri = fileUri(inventory);
    const invText = readFileSync(inventory, 'utf8').replace('lb1:     { address: 192.168.10.100 }', 'lb1:     { address: 192.168.10.100, password: hunter2 }');
    const got = client.diagnostics(invUri, (p) => p.diagnostics.length > 0);
    client.open(invUri, invText);
    const diagnostics = (await got).diagnostics.filter((d) => d.code === 'secret-required');
    assert.equal(diagnostics.length, 1, 'the password, in the inventory');
    const actions = await client.request<{ title: string; edit: { changes: Record<string, Edit[]> } }[]>('textDocument/codeAction', { textDocument: { uri: invUri }, range: diagnostics[0].range, context: { diagnostics } });
    const fix = actions.find((a) => a.title.startsWith('Move it to the secrets: of the runbooks'))!;
    assert.ok(fix, actions.map((a) => a.title).join('; '));
    assert.match(apply(invText, fix.edit.changes[invUri]), /lb1: +\{ address: 192\.168\.10\.100, password: "\{\{ lb1_password \}\}" \}/);
    assert.match(apply(text, fix.edit.changes[uri]), /secrets:\n  admin_password: \{ env: AMQ_ADMIN_PASSWORD \}\n  lb1_password: \{ env: AMQ_LB1_PASSWORD \}\n/);
    assert.match(apply(OTHER, fix.edit.changes[fileUri(join(dir, 'other.yaml'))]), /\nsecrets:\n  lb1_password: \{ env: AMQ_LB1_PASSWORD \}\nplays:\n/);
    client.close(invUri);
  });
});

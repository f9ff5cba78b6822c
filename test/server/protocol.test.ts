import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '../../runner/src/modules/index.js';
import { renderModuleDoc } from '../../runner/src/modules/lib/docs.js';
import { fixture } from '../helpers/paths.js';
import { pos } from '../helpers/positions.js';
import { fileUri, LspClient, type LspDiagnostic, type Position, type Range } from '../helpers/lsp-client.js';
import { SITE, SITE_INVENTORY, siteText } from '../helpers/site.js';



interface Item {
  label: string;
  detail?: string;
  insertTextFormat?: number;
  textEdit?: { range: Range; newText: string };
  documentation?: { value: string };
}
interface Loc {
  uri: string;
  range: Range;
}

const short = (d: LspDiagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1} [${d.code}] ${d.message}`;

describe('language server over stdio (a real client)', function () {
  this.timeout(30_000);
  let client: LspClient;
  const uri = fileUri(SITE);
  const text = siteText();
  const td = { uri };

  before(async () => {
    client = await LspClient.start();
    const ready = client.diagnostics(uri);
    client.open(uri, text);
    assert.deepEqual((await ready).diagnostics, [], 'the fixture is valid');
  });

  after(async () => {
    await client?.stop();
    assert.equal(client.stderr, '', 'the server logged no error');
  });

  const completion = (p: Position) => client.request<Item[]>('textDocument/completion', { textDocument: td, position: p });

  it('completion: module names with their summary, as snippets with the required parameters', async () => {
    const edited = text.replace('        package: { name: nfs-kernel-server }\n', '        mou\n');
    client.change(uri, 2, [{ text: edited }]);
    const items = await completion(pos(edited, '        mou\n', 11));
    const mount = items.find((i) => i.label === 'mount')!;
    assert.equal(mount.detail, catalog.get('mount')!.summary);
    assert.equal(mount.insertTextFormat, 2);
    assert.equal(mount.textEdit!.newText, 'mount:\n          path: ${1:path}\n          src: ${2:src}');
    assert.deepEqual(mount.textEdit!.range, { start: pos(edited, 'mou\n'), end: pos(edited, 'mou\n', 3) });
    client.change(uri, 3, [{ text }]);
    await client.diagnostics(uri, (p) => p.version === 3);
  });

  it('completion: parameters with type and default, allowed values, hosts, handlers, variables', async () => {
    const params = await completion(pos(text, '          format: exports', 10));
    assert.ok(params.some((i) => i.label === 'clients' && /default/.test(i.detail!)));
    const values = await completion(pos(text, 'format: exports', 8));
    assert.deepEqual(values.map((i) => i.label), ['exports', 'ganesha']);
    const hosts = await completion(pos(text, 'hosts: brokers', 7));
    assert.deepEqual(hosts.map((i) => i.label), ['nfs1', 'broker1', 'broker2', 'lb1', 'nfs', 'brokers', 'lb', 'all']);
    const handlers = await completion(pos(text, 'notify: reload exports', 8));
    assert.deepEqual(handlers.map((i) => i.label), ['reload exports']);
    const vars = await completion(pos(text, '{{ shared_dir }}/kahadb', 3));
    assert.ok(vars.some((i) => i.label === 'shared_dir' && i.detail === '/shared/activemq-data'));
    const members = await completion(pos(text, '{{ hosts.nfs1.address }}', 9));
    assert.deepEqual(members.map((i) => i.label), ['nfs1', 'broker1', 'broker2', 'lb1']);
  });

  it('hover: module docs, parameter docs, a variable per host, a host', async () => {
    const hover = async (p: Position) => (await client.request<{ contents: { value: string } } | null>('textDocument/hover', { textDocument: td, position: p }))?.contents.value;
    assert.equal(await hover(pos(text, 'nfs_export:', 3)), renderModuleDoc(catalog.get('nfs_export')!));
    assert.match((await hover(pos(text, 'format: exports', 2)))!, /^\*\*format\*\* \(string, default exports\)/);
    assert.match((await hover(pos(text, '{{ broker_name }}', 5)))!, /per host:\n\n- broker1: `broker1`: vars of host broker1 \(inventory\.yaml:4\)\n- broker2: `broker2`/);
    assert.match((await hover(pos(text, 'hosts: nfs', 8)))!, /\*\*nfs\*\* \(group\)\n\nhosts: nfs1/);
    assert.match((await hover(pos(text, '{{ hosts.nfs1', 10)))!, /address `192\.168\.10\.191`/);
  });

  it('diagnostics on change: the validator\'s, for the latest version, then cleared', async () => {
    const broken = text.replace('        nfs_export:', '        nfs_exprt:');
    // Three quick edits: the debounce validates the last one.
    const at = (d: number) => pos(text, 'nfs_export:', d);
    client.change(uri, 10, [{ range: { start: at(7), end: at(7) }, text: 'z' }]);
    client.change(uri, 11, [{ range: { start: at(7), end: at(8) }, text: '' }]);
    client.change(uri, 12, [{ range: { start: at(7), end: at(8) }, text: '' }]);
    const got = await client.diagnostics(uri, (p) => p.version === 12);
    assert.equal(client.published.get(uri)?.version, 12);
    assert.deepEqual(got.diagnostics.map(short), ["23:9 [unknown-module] unknown module 'nfs_exprt' (did you mean 'nfs_export'?)"]);
    assert.equal(got.diagnostics[0].source, 'amq-run');
    assert.deepEqual(got.diagnostics[0].range, { start: pos(broken, 'nfs_exprt'), end: pos(broken, 'nfs_exprt', 9) });

    const actions = await client.request<{ title: string; edit: { changes: Record<string, { range: Range; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: td,
      range: got.diagnostics[0].range,
      context: { diagnostics: got.diagnostics },
    });
    assert.deepEqual(actions.map((a) => a.title), ["Change 'nfs_exprt' to 'nfs_export'"]);
    const edit = actions[0].edit.changes[uri][0];
    client.change(uri, 13, [{ range: edit.range, text: edit.newText }]);
    assert.deepEqual((await client.diagnostics(uri, (p) => p.version === 13)).diagnostics, []);
  });

  it('quick fix: add the missing required parameters', async () => {
    const without = text.replace('          src: "{{ nfs_server }}:{{ export_dir }}"\n', '');
    client.change(uri, 20, [{ text: without }]);
    const got = await client.diagnostics(uri, (p) => p.version === 20);
    assert.deepEqual(got.diagnostics.map(short), [
      // The removed line was the only one reading nfs_server.
      `8:3 [unused-variable] variable 'nfs_server' is never used (remove it, or use it as "{{ nfs_server }}")`,
      "40:11 [missing-required] module 'mount' is missing 'src' (what to mount: server:/export for NFS, a directory for a bind mount)",
    ]);
    const actions = await client.request<{ title: string; edit: { changes: Record<string, { range: Range; newText: string }[]> } }[]>('textDocument/codeAction', {
      textDocument: td,
      range: got.diagnostics[1].range,
      context: { diagnostics: [got.diagnostics[1]] },
    });
    assert.deepEqual(actions.map((a) => a.title), ["Add the missing 'src'"]);
    assert.deepEqual(actions[0].edit.changes[uri].map((e) => e.newText), ['\n          src:  # what to mount: server:/export for NFS, a directory for a bind mount']);
    client.change(uri, 21, [{ text }]);
    await client.diagnostics(uri, (p) => p.version === 21);
  });

  it('document symbols: plays > tasks and handlers', async () => {
    const symbols = await client.request<{ name: string; kind: number; children: { name: string; kind: number }[] }[]>('textDocument/documentSymbol', { textDocument: td });
    const play = symbols.find((s) => s.name === 'Prepare the NFS server')!;
    assert.deepEqual(play.children.map((c) => c.name), ['Install the NFS server', 'Export the data directory', 'reload exports']);
    assert.deepEqual(play.children.map((c) => c.kind), [12, 12, 24], 'tasks are functions, handlers events');
  });

  it('definition: a variable in the inventory, a handler, a host, a template file', async () => {
    const definition = (p: Position) => client.request<Loc[]>('textDocument/definition', { textDocument: td, position: p });
    const inventory = readFileSync(SITE_INVENTORY, 'utf8');
    const broker = await definition(pos(text, '{{ broker_name }}', 4));
    assert.deepEqual(broker, [
      { uri: fileUri(SITE_INVENTORY), range: { start: pos(inventory, 'broker_name: broker1'), end: pos(inventory, 'broker_name: broker1', 11) } },
      { uri: fileUri(SITE_INVENTORY), range: { start: pos(inventory, 'broker_name: broker2'), end: pos(inventory, 'broker_name: broker2', 11) } },
    ]);
    assert.deepEqual(await definition(pos(text, 'notify: reload exports', 10)), [{ uri, range: { start: pos(text, '- name: reload exports', 8), end: pos(text, '- name: reload exports', 22) } }]);
    assert.deepEqual(await definition(pos(text, 'hosts: nfs', 8)), [{ uri: fileUri(SITE_INVENTORY), range: { start: pos(inventory, 'nfs:'), end: pos(inventory, 'nfs:', 3) } }]);
    const template = await definition(pos(text, 'templates/broker.env.tpl', 12));
    assert.deepEqual(template.map((l) => l.uri), [fileUri(fixture('lsp', 'templates', 'broker.env.tpl'))]);
  });

  it('references: a handler and a variable', async () => {
    const references = (p: Position) => client.request<Loc[]>('textDocument/references', { textDocument: td, position: p, context: { includeDeclaration: true } });
    const handler = await references(pos(text, 'notify: [restart activemq]', 12));
    assert.deepEqual(handler.map((l) => l.range.start.line + 1), [62, 47, 55, 58]);
    const variable = await references(pos(text, '{{ conf_dir }}/activemq.xml', 4));
    assert.deepEqual(variable.map((l) => `${l.range.start.line + 1}:${l.range.start.character + 1}`), ['7:3', '50:21', '57:41']);
  });

  it('a suppression comment silences its rule in the editor as in amq-run validate', async () => {
    const file = fixture('suppress', 'silenced.yaml');
    const silenced = fileUri(file);
    const got = client.diagnostics(silenced);
    client.open(silenced, readFileSync(file, 'utf8'));
    assert.deepEqual((await got).diagnostics.map(short), ["16:67 [port-clash] web console would listen on port 61616 of broker1, broker2 and broker3, which transport openwire of task 'Broker' already takes (give one of them another port, or bind them to different addresses)"]);
    client.close(silenced);
  });

  it('claims runbooks by content, never every YAML file', async () => {
    const other = fileUri(join(tmpdir(), 'compose.yaml'));
    client.open(other, 'services:\n  web:\n    image: nginx\n    ports: [80]\n');
    assert.deepEqual(await client.request<Item[]>('textDocument/completion', { textDocument: { uri: other }, position: { line: 2, character: 4 } }), []);
    await client.barrier();
    assert.equal(client.published.has(other), false, 'no diagnostics for a file that is not a runbook');
    client.close(other);
    const runbook = fileUri(join(tmpdir(), 'anything.yaml'));
    const got = client.diagnostics(runbook);
    client.open(runbook, 'name: x\nplays:\n  - name: p\n    hosts: all\n');
    assert.deepEqual((await got).diagnostics.map((d) => d.code), ['no-inventory']);
    client.close(runbook);
  });
});

describe('language server: the inventory file', function () {
  this.timeout(30_000);
  let client: LspClient;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'amq-lsp-inv-'));
    cpSync(fixture('lsp'), dir, { recursive: true });
    client = await LspClient.start();
  });

  afterEach(async () => {
    await client.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('edits to the open inventory re-validate the runbooks that use it', async () => {
    const site = fileUri(join(dir, 'site.yaml'));
    const inv = fileUri(join(dir, 'inventory.yaml'));
    const invText = readFileSync(join(dir, 'inventory.yaml'), 'utf8');
    let got = client.diagnostics(site);
    client.open(site, readFileSync(join(dir, 'site.yaml'), 'utf8'));
    assert.deepEqual((await got).diagnostics, []);
    client.open(inv, invText);
    got = client.diagnostics(site, (p) => p.diagnostics.length > 0);
    client.change(inv, 2, [{ text: invText.replace('broker_name: broker2, ', '') }]);
    assert.deepEqual((await got).diagnostics.map(short), ["51:28 [undefined-variable] undefined variable 'broker_name' (define it in vars, the inventory, or with -e; or use | default(...))"]);
    got = client.diagnostics(site, (p) => p.diagnostics.length === 0);
    client.change(inv, 3, [{ text: invText }]);
    await got;
  });

  it('a change on disk (didChangeWatchedFiles) re-validates them, and inventory problems go to the inventory', async () => {
    const site = fileUri(join(dir, 'site.yaml'));
    const invPath = join(dir, 'inventory.yaml');
    let got = client.diagnostics(site);
    client.open(site, readFileSync(join(dir, 'site.yaml'), 'utf8'));
    await got;
    writeFileSync(invPath, readFileSync(invPath, 'utf8').replace('{ address: 192.168.10.191 }', '{ adress: 192.168.10.191 }'));
    const inv = client.diagnostics(fileUri(invPath));
    void client.rpc.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: fileUri(invPath), type: 2 }] });
    assert.deepEqual((await inv).diagnostics.map(short), ["3:14 [unknown-key] unknown key 'adress' in host 'nfs1' (did you mean 'address'?)"]);
  });
});

describe('language server: validation is debounced per document', function () {
  this.timeout(30_000);

  it('quick edits are validated once, at the last version', async () => {
    const client = await LspClient.start({ initializationOptions: { debounceMs: 400 } });
    try {
      const uri = fileUri(SITE);
      const text = siteText();
      const opened = client.diagnostics(uri);
      client.open(uri, text);
      await opened;
      const last = client.diagnostics(uri, (p) => p.version === 5);
      for (let v = 2; v <= 5; v++) client.change(uri, v, [{ text: text.replace('hosts: brokers', `hosts: brokers${'x'.repeat(v)}`) }]);
      const got = await last;
      assert.deepEqual(got.diagnostics.map((d) => d.code), ['undefined-host']);
      assert.deepEqual(client.history.filter((p) => p.uri === uri).map((p) => p.version), [1, 5]);
    } finally {
      await client.stop();
    }
  });
});

describe('language server over Node IPC (the VS Code transport)', function () {
  this.timeout(30_000);

  it('answers diagnostics and completion', async () => {
    const client = await LspClient.start({ ipc: true });
    try {
      const uri = fileUri(SITE);
      const text = siteText();
      const got = client.diagnostics(uri);
      client.open(uri, text);
      assert.deepEqual((await got).diagnostics, []);
      const items = await client.request<Item[]>('textDocument/completion', { textDocument: { uri }, position: pos(text, 'format: exports', 8) });
      assert.deepEqual(items.map((i) => i.label), ['exports', 'ganesha']);
    } finally {
      await client.stop();
    }
  });
});

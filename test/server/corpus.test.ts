import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { loadPlaybook } from '../../runner/src/cli/load.js';
import { fileUri, LspClient, type LspDiagnostic } from '../helpers/lsp-client.js';
import { fixture } from '../helpers/paths.js';

const dir = fixture('invalid');
const cases = readdirSync(dir).filter((f) => /^\d\d-.*\.yaml$/.test(f)).sort();

/** `LINE:COL severity [code] message` (1-based), as the `# expect:` lines write it. */
function describe1(d: LspDiagnostic, file?: string): string {
  const severity = d.severity === 1 ? 'error' : 'warning';
  const message = (d.data as { message: string }).message;
  return `${file ? `${file}:` : ''}${d.range.start.line + 1}:${d.range.start.character + 1} ${severity} [${d.code}] ${message}`;
}

describe('the invalid corpus through the language server: the same diagnostics as amq-run validate', function () {
  this.timeout(60_000);
  let client: LspClient;

  before(async () => {
    // Some cases have no top-level plays: (that is their mistake): the editor's globs claim them.
    client = await LspClient.start({ initializationOptions: { globs: ['**/fixtures/invalid/*.yaml'] } });
  });

  after(async () => {
    await client.stop();
    assert.equal(client.stderr, '', 'the server logged no error');
  });

  it('has the corpus', () => {
    assert.ok(cases.length >= 40, `${cases.length} cases`);
  });

  for (const name of cases) {
    it(name, async () => {
      const path = `${dir}/${name}`;
      const text = readFileSync(path, 'utf8');
      const expected = text
        .split('\n')
        .filter((l) => l.startsWith('# expect: '))
        .map((l) => l.slice('# expect: '.length));
      const uri = fileUri(path);
      const got = client.diagnostics(uri);
      client.open(uri, text);
      const own = (await got).diagnostics;
      await client.barrier();
      const cli = loadPlaybook(path, {});
      const inventory = cli.analysis.inventoryPath;
      const inInventory = inventory ? (client.published.get(fileUri(inventory))?.diagnostics ?? []) : [];
      const published = [...own.map((d) => describe1(d)), ...inInventory.map((d) => describe1(d, basename(inventory!)))];
      assert.deepEqual(published, expected);
      // The whole message, hint included, is the one the command line prints after the severity.
      const messages = [...own, ...inInventory].map((d) => `${d.severity === 1 ? 'error' : 'warning'}: ${d.message}`);
      assert.deepEqual(messages, cli.lines.map((l) => l.replace(/^.*?:\d+:\d+: /, '')));
      client.close(uri);
    });
  }
});

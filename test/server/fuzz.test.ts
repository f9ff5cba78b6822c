import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileUri, LspClient, type ContentChange, type Position } from '../helpers/lsp-client.js';
import { playbook } from '../helpers/paths.js';
import { mutate, pick, seeded } from '../helpers/random.js';

const EDITS = 5_000;

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length - 1, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** The smallest single-range change from `a` to `b`. */
function diff(a: string, b: string): ContentChange {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  return { range: { start: positionAt(a, start), end: positionAt(a, a.length - end) }, text: b.slice(start, b.length - end) };
}

describe('language server fuzz (fixed seed)', function () {
  this.timeout(120_000);

  it(`${EDITS} random edits of playbooks/ha.yaml as didChange, with completion and hover between: it never crashes and answers every request`, async () => {
    const rand = seeded(5000);
    const path = playbook('ha.yaml');
    const uri = fileUri(path);
    const original = readFileSync(path, 'utf8');
    const client = await LspClient.start();
    let answered = 0;
    let asked = 0;
    try {
      let text = original;
      const opened = client.diagnostics(uri);
      // As the extension opens a file under playbooks/: the editor decided it is a runbook, so an
      // edit that deletes `plays:` does not make it somebody else's YAML.
      client.open(uri, text, 'runbook');
      await opened;
      for (let v = 2; v <= EDITS + 1; v++) {
        // Mostly small edits of the current text; now and then back to the original, as an undo.
        const next = rand() < 0.05 ? original : mutate(text, rand);
        client.change(uri, v, [rand() < 0.5 ? diff(text, next) : { text: next }]);
        text = next;
        if (v % 10 === 0) {
          const position = positionAt(text, Math.floor(rand() * (text.length + 1)));
          const method = pick(rand, ['textDocument/completion', 'textDocument/hover', 'textDocument/documentSymbol', 'textDocument/definition']);
          asked++;
          await client.request(method, { textDocument: { uri }, position });
          answered++;
        }
      }
      // Still validating: the last version gets its diagnostics, the same as a fresh open of that text.
      const last = await client.diagnostics(uri, (p) => p.version === EDITS + 1, { current: true });
      const check = fileUri(path.replace(/\.yaml$/, '.check.yaml'));
      const fresh = client.diagnostics(check);
      client.open(check, text, 'runbook');
      assert.deepEqual(last.diagnostics.map((d) => [d.range, d.code, d.message]), (await fresh).diagnostics.map((d) => [d.range, d.code, d.message]));
      assert.ok(client.alive(), 'the server is running');
      assert.equal(answered, asked);
      assert.equal(client.stderr, '', 'no handler failed');
    } finally {
      await client.stop();
    }
  });
});

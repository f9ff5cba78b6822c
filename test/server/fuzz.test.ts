import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileUri, LspClient, type ContentChange, type Position, type Range } from '../helpers/lsp-client.js';
import { playbook } from '../helpers/paths.js';
import { positionAt } from '../helpers/positions.js';
import { mutate, pick, seeded } from '../helpers/random.js';

const EDITS = 5_000;


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

  it(`${EDITS} random edits of playbooks/ha.yaml as didChange, with completion, hover, symbols, definition, rename, semantic tokens and inlay hints between: it never crashes, answers every request, and never edits outside a document`, async () => {
    const rand = seeded(5000);
    const path = playbook('ha.yaml');
    const uri = fileUri(path);
    const original = readFileSync(path, 'utf8');
    const client = await LspClient.start();
    let answered = 0;
    let asked = 0;
    let renamed = 0;
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
          // A random place, or the start of a variable in an expression (something rename can take).
          const roots = [...text.matchAll(/\{\{\s*[A-Za-z_]/g)];
          const root = roots.length && rand() < 0.5 ? pick(rand, roots) : undefined;
          const offset = root ? root.index! + root[0].length : Math.floor(rand() * (text.length + 1));
          const position = positionAt(text, Math.min(offset, text.length));
          const method = pick(rand, ['textDocument/completion', 'textDocument/hover', 'textDocument/documentSymbol', 'textDocument/definition', 'textDocument/rename', 'textDocument/semanticTokens/full', 'textDocument/inlayHint']);
          asked++;
          const lines = text.split('\n');
          const within = (r: Range, ls = lines) => [r.start, r.end].every((p) => p.line >= 0 && p.line < ls.length && p.character >= 0 && p.character <= ls[p.line].length) && (r.start.line < r.end.line || (r.start.line === r.end.line && r.start.character <= r.end.character));
          if (method === 'textDocument/rename') {
            const edit = await client.request<{ changes: Record<string, { range: Range }[]> } | null>(method, { textDocument: { uri }, position, newName: `renamed_${v}` }).catch((e: { code?: number }) => {
              assert.equal(e.code, -32803, 'a rename is refused with a reason, never fails');
              return null;
            });
            for (const [target, edits] of Object.entries(edit?.changes ?? {})) {
              const ls = target === uri ? lines : readFileSync(new URL(target), 'utf8').split('\n');
              for (const e of edits) assert.ok(within(e.range, ls), `an edit of ${target} inside it: ${JSON.stringify(e.range)}`);
              if (edits.length) renamed++;
            }
          } else if (method === 'textDocument/semanticTokens/full') {
            const { data } = await client.request<{ data: number[] }>(method, { textDocument: { uri } });
            let line = 0;
            let char = 0;
            for (let i = 0; i < data.length; i += 5) {
              line += data[i];
              char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
              assert.ok(line < lines.length && char + data[i + 2] <= lines[line].length, `a token inside its line: ${line}:${char}+${data[i + 2]}`);
            }
          } else if (method === 'textDocument/inlayHint') {
            const range = { start: { line: 0, character: 0 }, end: positionAt(text, text.length) };
            const hints = await client.request<{ position: Position }[]>(method, { textDocument: { uri }, range });
            for (const h of hints) assert.ok(within({ start: h.position, end: h.position }), `a hint inside the document: ${JSON.stringify(h.position)}`);
          } else await client.request(method, { textDocument: { uri }, position });
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
      assert.ok(renamed >= 10, `renames that edited something: ${renamed}`);
      assert.equal(client.stderr, '', 'no handler failed');
    } finally {
      await client.stop();
    }
  });
});

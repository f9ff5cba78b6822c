import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItemKind, DiagnosticSeverity, InsertTextFormat, SymbolKind } from 'vscode-languageserver/node';
import { editsByUri, fixableFrom, rangeIn, spanIn, toCompletionItem, toDocumentSymbol, toLocation, toLspDiagnostic, uriOf, type Texts } from '../../server/src/lsp-convert.js';

const text = 'name: x\nplays:\n  - name: p\n';
const uri = 'file:///w/site.yaml';
const doc = TextDocument.create(uri, 'yaml', 1, text);

describe('conversions to and from the protocol (in process)', () => {
  it('spans and ranges', () => {
    const span = { start: text.indexOf('p\n'), end: text.length - 1 };
    const range = rangeIn(doc, span);
    assert.deepEqual(range, { start: { line: 2, character: 10 }, end: { line: 2, character: 11 } });
    assert.deepEqual(spanIn(doc, range), span);
  });

  it('a diagnostic: the hint in the message, both kept apart in data for quick fixes, and back', () => {
    const d = toLspDiagnostic(doc, { span: { start: 0, end: 4 }, severity: 'warning', code: 'unknown-key', message: "unknown key 'nme'", hint: "did you mean 'name'?", data: { replace: 'name' } });
    assert.equal(d.message, "unknown key 'nme' (did you mean 'name'?)");
    assert.equal(d.severity, DiagnosticSeverity.Warning);
    assert.equal(d.source, 'amq-run');
    assert.deepEqual(d.data, { message: "unknown key 'nme'", hint: "did you mean 'name'?", replace: 'name' });
    const back = fixableFrom(doc, [d, { ...d, source: 'yaml' }]);
    assert.equal(back.length, 1, 'only ours');
    assert.deepEqual(back[0].ours, { code: 'unknown-key', span: { start: 0, end: 4 }, message: "unknown key 'nme'", hint: "did you mean 'name'?", data: d.data });
  });

  it('a completion item: kind, snippet format, the replaced range, a stable order', () => {
    const item = toCompletionItem(doc, { label: 'mount', kind: 'module', insert: 'mount:\n  path: ${1:path}', snippet: true, replace: { start: 0, end: 4 } }, 7);
    assert.equal(item.kind, CompletionItemKind.Module);
    assert.equal(item.insertTextFormat, InsertTextFormat.Snippet);
    assert.deepEqual(item.textEdit, { range: rangeIn(doc, { start: 0, end: 4 }), newText: 'mount:\n  path: ${1:path}' });
    assert.equal(item.sortText, '50007');
  });

  it('a symbol with children', () => {
    const s = toDocumentSymbol(doc, { name: 'p', kind: 'play', span: { start: 14, end: text.length }, selection: { start: 24, end: 25 }, children: [{ name: 't', kind: 'task', span: { start: 24, end: 25 }, selection: { start: 24, end: 25 }, children: [] }] });
    assert.equal(s.kind, SymbolKind.Module);
    assert.equal(s.children![0].kind, SymbolKind.Function);
  });

  it('locations and edits in other files: the inventory as analysed, an open document, a file on disk', () => {
    const inventoryText = 'hosts:\n  a: {}\n';
    const disk = new Map([['/w/other.yaml', 'x: 1\ny: 2\n']]);
    const openDoc = TextDocument.create(uriOf('/w/open.yaml'), 'yaml', 3, 'a\nb\n');
    const texts: Texts = { open: (u) => (u === openDoc.uri ? openDoc : undefined), read: (p) => disk.get(p) ?? null };
    assert.deepEqual(toLocation(texts, uri, text, { file: '/w/inv.yaml', span: { start: 9, end: 10 } }, { path: '/w/inv.yaml', text: inventoryText }).range.start, { line: 1, character: 2 });
    assert.deepEqual(toLocation(texts, uri, text, { file: '/w/other.yaml', span: { start: 5, end: 6 } }).range.start, { line: 1, character: 0 });
    assert.deepEqual(toLocation(texts, uri, text, { file: '/w/missing.yaml', span: { start: 0, end: 0 } }), { uri: uriOf('/w/missing.yaml'), range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } });
    const edits = editsByUri(texts, uri, doc, [
      { span: { start: 0, end: 4 }, text: 'nom' },
      { file: '/w/open.yaml', span: { start: 2, end: 3 }, text: 'c' },
      { file: '/w/other.yaml', span: { start: 5, end: 6 }, text: 'z' },
    ]);
    assert.deepEqual(Object.keys(edits), [uri, uriOf('/w/open.yaml'), uriOf('/w/other.yaml')]);
    assert.deepEqual(edits[uriOf('/w/open.yaml')][0].range.start, { line: 1, character: 0 });
    assert.deepEqual(edits[uriOf('/w/other.yaml')][0].range.start, { line: 1, character: 0 });
  });
});

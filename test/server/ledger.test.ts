import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver/node';
import { catalog } from '../../runner/src/modules/index.js';
import { diagnosticsByTarget, DiagnosticsLedger, lspDiagnosticKey } from '../../server/src/ledger.js';
import { uriOf, type Texts } from '../../server/src/lsp-convert.js';
import { Workspace } from '../../server/src/workspace.js';
import { SITE, SITE_INVENTORY, siteText } from '../helpers/site.js';

const noTexts: Texts = { open: () => undefined, read: () => null };

const diag = (line: number, message: string, code = 'x'): LspDiagnostic => ({ range: { start: { line, character: 0 }, end: { line, character: 1 } }, code, message });
const messages = (m: Map<string, LspDiagnostic[]>) => Object.fromEntries([...m].map(([k, v]) => [k, v.map((d) => d.message)]));

describe('the diagnostics ledger (in process)', () => {
  it('an inventory shows what each runbook reading it says, each problem once', () => {
    const ledger = new DiagnosticsLedger(lspDiagnosticKey);
    assert.deepEqual(messages(ledger.set('a', new Map([['a', [diag(1, 'in a')]], ['inv', [diag(3, 'typo'), diag(4, 'only a')]]]))), { a: ['in a'], inv: ['typo', 'only a'] });
    assert.deepEqual(messages(ledger.set('b', new Map([['b', []], ['inv', [diag(3, 'typo'), diag(5, 'only b')]]]))), { b: [], inv: ['typo', 'only a', 'only b'] });
    assert.deepEqual(ledger.targetsOf('a').sort(), ['a', 'inv']);
  });

  it('a runbook validated again replaces only what it said; a closed one says nothing and its targets are cleared', () => {
    const ledger = new DiagnosticsLedger(lspDiagnosticKey);
    ledger.set('a', new Map([['a', []], ['inv', [diag(3, 'typo')]]]));
    ledger.set('b', new Map([['b', []], ['inv', [diag(5, 'only b')]]]));
    assert.deepEqual(messages(ledger.set('a', new Map([['a', [diag(2, 'new')]]]))), { a: ['new'], inv: ['only b'] }, 'a no longer speaks about the inventory');
    assert.deepEqual(messages(ledger.set('b', new Map())), { b: [], inv: [] });
    assert.deepEqual(ledger.targetsOf('b'), []);
    assert.deepEqual(ledger.shown('inv'), []);
  });
});

describe('routing an analysis to the documents it speaks about (in process)', () => {
  const site = uriOf(SITE);
  const inventory = uriOf(SITE_INVENTORY);
  const inventoryText = readFileSync(SITE_INVENTORY, 'utf8');
  const open = (ws: Workspace, uri: string, path: string, text: string) => ws.open({ uri, path, languageId: 'yaml', version: 1, text });

  it('a problem in the inventory goes to the inventory, at its line there; the runbook gets an empty list', () => {
    const files = new Map([[SITE_INVENTORY, inventoryText.replace('{ address: 192.168.10.191 }', '{ adress: 192.168.10.191 }')]]);
    const ws = new Workspace({ readFile: (p) => files.get(p) ?? null, globs: [], catalog });
    open(ws, site, SITE, siteText());
    const got = diagnosticsByTarget(noTexts, site, ws.analyze(site)!);
    assert.deepEqual([...got.keys()], [site, inventory]);
    assert.deepEqual(got.get(site), []);
    const [d] = got.get(inventory)!;
    assert.equal(d.code, 'unknown-key');
    assert.deepEqual(d.range.start, { line: 2, character: 13 });
  });

  it('an edit of the open inventory re-validates the runbook that reads it, and the ledger shows the new problem there', () => {
    const ws = new Workspace({ readFile: (p) => (p === SITE_INVENTORY ? inventoryText : null), globs: [], catalog });
    const ledger = new DiagnosticsLedger(lspDiagnosticKey);
    open(ws, site, SITE, siteText());
    ledger.set(site, diagnosticsByTarget(noTexts, site, ws.analyze(site)!));
    open(ws, inventory, SITE_INVENTORY, inventoryText);
    assert.equal(ws.get(inventory)?.claim, 'inventory', 'named by the open runbook');
    ws.change(inventory, 2, inventoryText.replace('broker_name: broker2, ', ''));
    assert.deepEqual(ws.dependents(SITE_INVENTORY), [site]);
    ws.invalidate(site);
    const shown = ledger.set(site, diagnosticsByTarget(noTexts, site, ws.analyze(site)!));
    assert.deepEqual(shown.get(site)!.map((d) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.code}`), ['51:28 undefined-variable']);
  });
});

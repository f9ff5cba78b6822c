import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { catalog } from '../../runner/src/modules/index.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { readText } from '../../runner/src/cli/load.js';
import { parseRunbook } from '../../runner/src/runbook/parse.js';
import { reparse } from '../../runner/src/runbook/reparse.js';
import { expressionsIn, exprSpan } from '../../server/src/analysis/expressions.js';
import { hintValue, inlayHints } from '../../server/src/analysis/inlay.js';
import { playLenses } from '../../server/src/analysis/lenses.js';
import { semanticTokens } from '../../server/src/analysis/semantic.js';
import { foldingRanges, selectionRanges } from '../../server/src/analysis/structure.js';
import { matches } from '../../server/src/analysis/symbols.js';
import { WorkspaceFiles } from '../../server/src/workspace-files.js';
import { playbook } from '../helpers/paths.js';
import { analyzeSite, siteText } from '../helpers/site.js';

const ha = () => {
  const path = playbook('ha.yaml');
  return analyze(readFileSync(path, 'utf8'), { path, readFile: readText });
};

describe('expressions, colours, hints, folds and selections (in process)', () => {
  it('expressions are read at their exact place, in quoted, plain and block scalars, and again after an edit elsewhere', () => {
    const text = 'name: x\nvars:\n  a: "{{ b }}"\n  c: x {{ d | upper }} y\n  e: |\n    line {{ f }}\nplays: []\n';
    const doc = parseRunbook(text);
    assert.deepEqual(expressionsIn(doc).map((x) => text.slice(exprSpan(x).start, exprSpan(x).end)), ['{{ b }}', '{{ d | upper }}', '{{ f }}']);
    const edited = `# a comment\n${text}`;
    const again = expressionsIn(reparse(edited, doc));
    assert.deepEqual(again.map((x) => edited.slice(exprSpan(x).start, exprSpan(x).end)), ['{{ b }}', '{{ d | upper }}', '{{ f }}']);
  });

  it('semantic tokens of a whole runbook: on one line each, in order, never overlapping', () => {
    const a = ha();
    const tokens = semanticTokens(a);
    assert.ok(tokens.length > 150, `${tokens.length} tokens`);
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      assert.ok(t.end > t.start && !a.doc.text.slice(t.start, t.end).includes('\n'));
      if (i) assert.ok(t.start >= tokens[i - 1].end, 'no overlap');
    }
    const word = (type: string, mods: string) => tokens.filter((t) => t.type === type && t.modifiers.join('+') === mods).map((t) => a.doc.text.slice(t.start, t.end));
    assert.ok(word('variable', 'readonly+secret').includes('admin_password'));
    assert.ok(word('type', 'defaultLibrary').includes('activemq_broker'));
    assert.ok(word('event', '').includes('restart activemq'));
    assert.ok(word('class', '').includes('nfs1') || word('namespace', '').includes('brokers'), 'hosts and groups where plays name them');
  });

  it('filters and literals inside an expression', () => {
    const a = analyze('name: x\ninventory:\n  hosts: { a: {} }\nplays:\n  - name: p\n    hosts: a\n    tasks:\n      - name: t\n        command: { cmd: "echo {{ host.name | default(\'x\') | upper }} {{ 3 }}" }\n');
    const text = a.doc.text;
    assert.deepEqual(
      semanticTokens(a).filter((t) => text.slice(t.start - 3, t.start).includes('{{') || ['function', 'string', 'number', 'property'].includes(t.type)).map((t) => `${text.slice(t.start, t.end)}:${t.type}`),
      ['host:variable', 'name:property', 'default:function', "'x':string", 'upper:function', '3:number'],
    );
  });

  it('a hint is one short line: secrets as dots, long values cut, structures as JSON', () => {
    assert.equal(hintValue('\uE000secret:admin_password\uE000'), '••••');
    assert.equal(hintValue('user:\uE000secret:pw\uE000@host'), 'user:••••@host');
    assert.equal(hintValue(''), '""');
    assert.equal(hintValue(`/${'x'.repeat(60)}`).length, 40);
    assert.equal(hintValue(['openwire', 'stomp']), '["openwire","stomp"]');
    assert.equal(hintValue(61616), '61616');
  });

  it('inlay hints only in the range asked for, values per host, and none where nothing is known', () => {
    const a = analyzeSite();
    const text = siteText();
    const line = text.indexOf('broker_name: "{{ broker_name }}"');
    const hints = inlayHints(a, { start: line, end: text.indexOf('\n', line) }, catalog);
    assert.deepEqual(hints.map((h) => h.label), ['broker1 · broker2']);
    assert.match(hints[0].tooltip, /- broker1: `broker1`\n- broker2: `broker2`/);
    const inventory = analyze('hosts:\n  a: { vars: { x: "{{ y }}" } }\n');
    assert.deepEqual(inlayHints(inventory, { start: 0, end: 100 }, catalog), [], 'an inventory alone does not know the values');
  });

  it('folding: plays, tasks and long mappings from their first line; comment blocks', () => {
    const text = siteText();
    const lineOf = (o: number) => text.slice(0, o).split('\n').length;
    const folds = foldingRanges(analyzeSite().doc).map((f) => `${lineOf(f.span.start)}-${lineOf(f.span.end)}${f.comment ? ' comment' : ''}`);
    for (const f of ['4-10', '16-29', '20-21', '31-63']) assert.ok(folds.includes(f), `${f} in ${folds.join(' ')}`);
    const commented = parseRunbook('# one\n# two\nname: x\n# alone\nplays: []\n');
    assert.deepEqual(foldingRanges(commented).filter((f) => f.comment).map((f) => f.span), [{ start: 0, end: 11 }]);
  });

  it('selection grows from inside an expression to the whole document', () => {
    const text = siteText();
    const at = text.indexOf('{{ hosts[peer].address }}') + 'hosts[p'.length + 3;
    const spans = selectionRanges(analyzeSite().doc, at).map((s) => text.slice(s.start, s.end));
    assert.deepEqual(spans.slice(0, 4), ['peer', 'hosts[peer].address', '{{ hosts[peer].address }}', '"{{ hosts[peer].address }}"']);
    for (let i = 1; i < spans.length; i++) assert.ok(spans[i].includes(spans[i - 1]), 'each holds the one before');
  });

  it('play lenses: hosts, tasks, handlers; a play without hosts says so', () => {
    const a = analyze('name: x\ninventory:\n  hosts: { a: {} }\n  groups: { empty: {} }\nplays:\n  - name: p\n    hosts: empty\n    tasks: []\n', {});
    assert.deepEqual(playLenses(a).map((l) => [l.title, l.play]), [['no host · 0 tasks', 'p']]);
  });

  it('workspace symbol queries match letters in order, ignoring case', () => {
    assert.ok(matches('cfgbr', 'Configure the broker'));
    assert.ok(matches('', 'anything'));
    assert.ok(!matches('brk2', 'broker1'));
  });

  it('the workspace files: YAML files, not in node_modules, out, or hidden folders', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amq-ws-files-'));
    try {
      for (const d of ['playbooks', 'node_modules/x', 'out', '.git', 'ops/inventories']) mkdirSync(join(dir, d), { recursive: true });
      for (const f of ['playbooks/ha.yaml', 'playbooks/notes.txt', 'node_modules/x/a.yaml', 'out/b.yaml', '.git/c.yaml', 'ops/inventories/prod.yml']) writeFileSync(join(dir, f), '');
      const files = new WorkspaceFiles(() => [dir]);
      assert.deepEqual(files.yamlFiles().map((f) => f.slice(dir.length + 1)), ['ops/inventories/prod.yml', 'playbooks/ha.yaml']);
      writeFileSync(join(dir, 'playbooks/new.yaml'), '');
      assert.equal(files.yamlFiles().length, 2, 'remembered until told');
      files.changed();
      assert.equal(files.yamlFiles().length, 3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { isAlias, isMap, isPair, isScalar, isSeq, type Node } from 'yaml';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { readText } from '../../runner/src/cli/load.js';
import { parseRunbook } from '../../runner/src/runbook/parse.js';
import { reparse } from '../../runner/src/runbook/reparse.js';
import { playbook } from '../helpers/paths.js';
import { mutate, seeded } from '../helpers/random.js';
import { SITE } from '../helpers/site.js';
import type { PlayModel, TaskModel } from '../../runner/src/runbook/model.js';

/** Every node's kind, range, style and value: two parses are the same when these are. */
function dump(n: unknown): unknown {
  if (n == null) return null;
  if (isPair(n)) return ['pair', dump(n.key), dump(n.value)];
  const r = (n as Node).range?.join(',');
  if (isMap(n)) return ['map', r, !!n.flow, n.items.map(dump)];
  if (isSeq(n)) return ['seq', r, !!n.flow, n.items.map(dump)];
  if (isScalar(n)) return ['scalar', r, n.type, typeof n.value === 'bigint' ? String(n.value) : n.value, n.source];
  if (isAlias(n)) return ['alias', r, n.source];
  return ['?'];
}

describe('incremental parse', () => {
  it('equals a whole parse, with the same diagnostics, after random edits (fixed seed)', function () {
    this.timeout(120_000);
    const rand = seeded(424242);
    let pieces = 0;
    for (const path of [playbook('ha.yaml'), playbook('network.yaml'), SITE]) {
      const original = readFileSync(path, 'utf8');
      let prev = reparse(original);
      let text = original;
      for (let i = 0; i < 400; i++) {
        const next = mutate(text, rand);
        const got = reparse(next, prev);
        const want = parseRunbook(next);
        if (got.yaml !== want.yaml) pieces++;
        assert.deepEqual(dump(got.yaml.contents), dump(want.yaml.contents), `edit ${i} of ${path}:\n${next}`);
        assert.deepEqual(got.syntax, want.syntax);
        const env = { path, readFile: readText };
        assert.deepEqual(analyze(next, { ...env, doc: got }).diagnostics, analyze(next, env).diagnostics);
        prev = got;
        // Mostly edits of the original: each new parse takes over the previous one's pieces.
        text = rand() < 0.15 && !got.syntax.length ? next : original;
      }
    }
    assert.ok(pieces > 300, `${pieces} edits went through the pieces, not only whole parses`);
  });

  it('reuses the plays that did not change and moves those after the edit', () => {
    const text = readFileSync(SITE, 'utf8');
    const first = reparse(text);
    const plays = (d: typeof first) => ((d.yaml.contents as { items: { key: { value: string }; value: { items: Node[] } }[] }).items.find((p) => p.key.value === 'plays')!.value.items);
    const [p0, p1] = plays(first);
    const p1Start = p1.range![0];
    const edited = text.replace('Install the NFS server', 'Install the NFS server now');
    const second = reparse(edited, first);
    const [q0, q1] = plays(second);
    assert.notEqual(q0, p0, 'the edited play is parsed again');
    assert.equal(q1, p1, 'the next play is the same node');
    assert.equal(q1.range![0], p1Start + ' now'.length, 'moved by the length of the edit');
    assert.deepEqual(dump(second.yaml.contents), dump(parseRunbook(edited).yaml.contents));
  });

  it('falls back to a whole parse for documents the pieces cannot stand for', () => {
    for (const text of ['--- \nname: x\nplays: []\n', 'a: &x 1\nb: *x\nplays: []\n', 'name: x\nname: y\nplays: []\n', '[1, 2]\n', '']) {
      const got = reparse(text);
      assert.deepEqual(dump(got.yaml.contents), dump(parseRunbook(text).yaml.contents), text);
      assert.deepEqual(got.syntax, parseRunbook(text).syntax, text);
    }
  });
});

describe('incremental analysis', () => {
  it('gives what a whole analysis gives, after random edits (fixed seed)', function () {
    this.timeout(120_000);
    const rand = seeded(777);
    let reused = 0;
    for (const path of [playbook('ha.yaml'), playbook('network.yaml'), SITE]) {
      const original = readFileSync(path, 'utf8');
      const env = { path, readFile: readText };
      let prev = analyze(original, { ...env, doc: reparse(original) });
      let text = original;
      for (let i = 0; i < 300; i++) {
        const next = rand() < 0.1 ? original : mutate(text, rand);
        const got = analyze(next, { ...env, doc: reparse(next, prev.doc), previous: prev });
        const want = analyze(next, env);
        assert.deepEqual(got.diagnostics, want.diagnostics, `edit ${i} of ${path}:\n${next}`);
        assert.deepEqual([...got.params], [...want.params]);
        assert.deepEqual([...got.whens], [...want.whens]);
        assert.deepEqual(got.playbook?.plays.map(offsets), want.playbook?.plays.map(offsets), `the play models after edit ${i} of ${path}`);
        if (got.playbook && want.playbook && got.playbook.plays.some((p, k) => prev.playbook?.plays[k]?.node === p.node)) reused++;
        prev = got;
        text = !got.doc.syntax.length && rand() < 0.3 ? next : text;
      }
    }
    assert.ok(reused > 100, `${reused} analyses reused unchanged plays`);
  });
});

/** A play's model as offsets and names (its YAML nodes are compared through the diagnostics). */
function offsets(p: PlayModel): unknown {
  const task = (t: TaskModel) => ({ index: t.index, name: t.name, nameSpan: t.nameSpan, span: t.span, module: t.module, moduleKeySpan: t.moduleKeySpan, notify: t.notify, tags: t.tags });
  return { index: p.index, name: p.name, nameSpan: p.nameSpan, span: p.span, hosts: p.hosts, hostsSpan: p.hostsSpan, tags: p.tags, vars: [...p.vars].map(([k, v]) => [k, v.keySpan]), tasks: p.tasks.map(task), handlers: p.handlers.map(task) };
}


import assert from 'node:assert/strict';
import { plainSink } from '../../runner/src/report/plain.js';
import { recorded } from './frames.js';

function printed(name: string, o = { diff: false, verbose: false }): string {
  const lines: string[] = [];
  const sink = plainSink((l) => lines.push(l), o);
  for (const e of recorded(name)) sink(e);
  return lines.join('\n');
}

describe('plain lines over recorded runs', () => {
  it('a dry-run that would fail: WOULD FAIL with the reason; the recap counts would_fail; exit 2', () => {
    const text = printed('lab-would-fail-dry-run.jsonl');
    assert.match(text, /^ {2}WOULD FAIL {3}nfs1 {6}the group nobody does not exist on nfs1: there is no group of that name \(the user nobody has the group nogroup\)$/m);
    assert.match(text, /^nfs1 {6}ok=0 {2}changed=0 {2}would_change=0 {2}would_fail=1 {2}skipped=0 {2}failed=0 {2}unreachable=0$/m);
    assert.match(text, /^exit code 2 /m);
  });

  it('a failing command: stdout and stderr under their own labels, the last 20 lines of each; all of them with --verbose', () => {
    const text = printed('lab-output.jsonl');
    assert.match(text, /^ {4}command: for i in \$\(seq 1 30\); do echo "out line \$i"; echo "err line \$i" >&2; done; exit 4$/m);
    assert.match(text, /^ {4}exit code: 4$/m);
    assert.match(text, /^ {4}stdout \(last 20 of 30 lines\):\n {6}out line 11\n/m);
    assert.match(text, /^ {4}stderr \(last 20 of 30 lines\):\n {6}err line 11\n/m);
    assert.doesNotMatch(text, /out line 10$/m);
    const all = printed('lab-verbose.jsonl', { diff: false, verbose: true });
    assert.match(all, /^ {4}stdout:\n {6}out line 1\n/m);
    assert.match(all, /^ {4}commands that ran:\n {6}command: LC_ALL=C stat /m, 'the commands of a task that was ok too');
  });

  it('an unknown outcome says why', () => {
    const text = printed('lab-ha-dry-run.jsonl');
    assert.match(text, /would change broker1 {3}\S+activemq-data does not exist here yet; an earlier task makes it on nfs1, which is this host's too only if they share a filesystem \[unknown until it runs\]$/m);
    assert.match(text, /^ {2}ok {11}lb1 {7}now: no master: .* would wait up to 60 s for exactly one master \[unknown until it runs\]\n {4}unknown until it runs: whether exactly one broker is master in time is known only when the run gets there$/m);
  });
});

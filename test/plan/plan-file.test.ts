import assert from 'node:assert/strict';
import type { TaskResultEvent } from '../../runner/src/engine/events.js';
import { driftLine, readingOf, sha256 } from '../../runner/src/plan/fingerprint.js';
import { fileStatText } from '../../runner/src/modules/facts/files.js';
import { approver, PLAN_FORMAT, plannedChanges, staleFiles, type PlanFile } from '../../runner/src/plan/plan-file.js';

const result = (over: Partial<TaskResultEvent> = {}): TaskResultEvent =>
  ({ type: 'task_result', task: 'Configure', play: 'p', host: 'b1', module: 'file', status: 'would_change', message: 'write /etc/x', diff: '-a\n+b\n', ms: 1, ...over }) as TaskResultEvent;

function planOf(events: TaskResultEvent[]): PlanFile {
  return { format: PLAN_FORMAT, created: '', playbook: { path: '/p.yaml', sha256: 'a'.repeat(64) }, inventory: null, extra_vars: [], secrets: [], changes: plannedChanges(events), readings: {}, events };
}

describe('saved plans: what apply accepts', () => {
  it('a planned change with the same diff is applied; another task, host or diff is refused with a reason', () => {
    const ok = approver(planOf([result(), result({ task: 'Unknown', diff: '-a\n+c\n', unknown: true, unknown_reason: 'depends on an earlier step' })]));
    assert.equal(ok(result({ status: 'changed' })), undefined);
    assert.match(ok(result({ status: 'changed', host: 'b2' }))!, /not in the plan/);
    assert.match(ok(result({ status: 'changed', task: 'Other' }))!, /not in the plan/);
    assert.match(ok(result({ status: 'changed', diff: '-a\n+z\n' }))!, /differs from the plan's diff/);
    assert.equal(ok(result({ status: 'changed', task: 'Unknown', diff: '-a\n+d\n' })), undefined, 'a change the dry-run could not know in advance is not held to its predicted diff');
  });

  it('only would_change results are planned; handlers keep their kind', () => {
    const changes = plannedChanges([result({ status: 'ok' }), result(), { ...result(), type: 'handler_result', handler: 'restart' } as unknown as TaskResultEvent]);
    assert.deepEqual(changes.map((c) => c.key), ['Configure@b1', 'handler:restart@b1']);
  });

  it('the playbook or inventory on disk differing from its hash makes the plan stale', () => {
    const p = planOf([]);
    assert.deepEqual(staleFiles(p, () => 'a'.repeat(64)), []);
    assert.match(staleFiles(p, () => 'b'.repeat(64))[0], /^the playbook \/p\.yaml changed since the plan: sha256 aaaaaaaaaaaa -> bbbbbbbbbbbb$/);
    assert.match(staleFiles(p, () => null)[0], /-> unreadable$/);
  });

  it('readings name files by path, and a drift line gives both sha256 prefixes', () => {
    const before = readingOf("LC_ALL=C cat -- '/etc/a b.xml'", { code: 0, stdout: 'one\n', stderr: '' }, true);
    const after = readingOf("LC_ALL=C cat -- '/etc/a b.xml'", { code: 0, stdout: 'two\n', stderr: '' }, true);
    assert.equal(before.what, 'file /etc/a b.xml');
    assert.equal(driftLine('b1', before, before), undefined);
    assert.match(driftLine('b1', before, after)!, /^b1: file \/etc\/a b\.xml changed: sha256 [0-9a-f]{12} -> sha256 [0-9a-f]{12}$/);
    const gone = readingOf("LC_ALL=C cat -- '/etc/a b.xml'", { code: 1, stdout: '', stderr: 'No such file or directory' }, true);
    assert.match(driftLine('b1', before, gone)!, /-> absent$/);
  });

  it('a file read with its stat in one command: a new text by checksums, a new mode alone by the stat, a removal as absent', () => {
    const cmd = fileStatText("/etc/it's.conf", 65536).command;
    const out = (stat: string, text?: string) => ({ code: 0, stdout: `${stat}\n${text === undefined ? '' : `+\n${text}\n+0`}`, stderr: '' });
    const before = readingOf(cmd, out('regular file|644|root|root|4', 'one\n'), true);
    assert.equal(before.what, "file /etc/it's.conf");
    assert.equal(before.sha256, sha256('one\n'), 'the checksum of the bytes, as sha256sum gives it');
    assert.equal(driftLine('b1', before, readingOf(cmd, out('regular file|644|root|root|4', 'one\n'), true)), undefined);
    assert.match(driftLine('b1', before, readingOf(cmd, out('regular file|644|root|root|4', 'two\n'), true))!, /^b1: file \/etc\/it's\.conf changed: sha256 [0-9a-f]{12} -> sha256 [0-9a-f]{12}$/);
    assert.equal(driftLine('b1', before, readingOf(cmd, out('regular file|600|root|root|4', 'one\n'), true)), "b1: file /etc/it's.conf changed: regular file|644|root|root|4 -> regular file|600|root|root|4");
    const gone = readingOf(cmd, { code: 1, stdout: '', stderr: "stat: cannot statx '/etc/it's.conf': No such file or directory" }, true);
    assert.equal(gone.what, "owner and mode of /etc/it's.conf");
    assert.match(driftLine('b1', before, gone)!, /-> absent$/);
    const dir = readingOf(fileStatText('/srv', 65536).command, out('directory|755|root|root|4096'), false);
    assert.deepEqual([dir.what, dir.value], ['owner and mode of /srv', 'directory|755|root|root|4096']);
  });
});

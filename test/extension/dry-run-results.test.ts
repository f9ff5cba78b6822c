import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { runArgs, commandLine } from '../../extension/src/command-line.js';
import { markHover, markText, readEvent, taskResults } from '../../extension/src/dry-run-results.js';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { fixture } from '../helpers/paths.js';

/** A dry-run of playbooks/ha.yaml recorded with --json. */
const recorded = readFileSync(fixture('events', 'ha-dry-run.jsonl'), 'utf8')
  .split('\n')
  .map(readEvent)
  .filter((e): e is RunEvent => e !== undefined);

describe('dry-run results for the task lines (pure)', () => {
  const results = taskResults(recorded);
  const of = (task: string) => results.find((r) => r.task === task)!;

  it('one entry per task and handler of each play, with each host', () => {
    assert.equal(recorded.length, 37);
    assert.deepEqual(of('Create the export directory').hosts.map((h) => [h.host, h.outcome]), [['nfs1', 'would change']]);
    assert.equal(of('reload exports').handler, true);
    assert.deepEqual(of('reload exports').hosts.map((h) => h.outcome), ['unknown'], 'a command cannot know before it runs');
  });

  it('the mark: each outcome with its hosts, the most pressing first', () => {
    assert.equal(markText(of('Export the data directory')), '± would change: nfs1');
    assert.equal(markText(of('Install ActiveMQ')), '! unreachable: broker2   ✓ ok: broker1');
    assert.match(markText(of('Configure HAProxy')), /^✗ would fail: lb1$/);
  });

  it('the hover: each host with its diff and commands; why it would fail', () => {
    const hover = markHover(of('Export the data directory'));
    assert.match(hover, /\*\*nfs1\*\*: ± would change: export \/data\/activemq-data/);
    assert.match(hover, /```diff\n--- \/etc\/exports\n\+\+\+ \/etc\/exports\n@@ -1,3 \+1,4 @@\n(.*\n)*\+\/data\/activemq-data \*\(rw,sync,no_root_squash\)\n```/);
    assert.match(hover, /```sh\n\$ exportfs -ra\n```/);
    assert.match(of('Configure HAProxy').hosts[0].reason!, /^haproxy -c rejected the new configuration \(haproxy -c -f .*: exit code 1: .*could not resolve address 'broker2\.invalid'\.\)$/);
  });

  it('lines that are not events are not read as events', () => {
    assert.equal(readEvent('PLAY [x]'), undefined);
    assert.equal(readEvent('{not json'), undefined);
    assert.equal(readEvent('{"no": "type"}'), undefined);
  });
});

describe('the command lines of the extension (pure)', () => {
  const s = { inventory: 'playbooks/local.inventory.yaml', extraVars: ['demo_root=/tmp/demo dir'], extraArgs: ['--limit', 'brokers'] };

  it('a dry-run for the events: -i, each -e, the play, the extra arguments', () => {
    assert.deepEqual(runArgs('dry-run', '/w/ha.yaml', s, 'Brokers', ['--json']), ['/w/ha.yaml', '-i', 'playbooks/local.inventory.yaml', '-e', 'demo_root=/tmp/demo dir', '--dry-run', '--play', 'Brokers', '--limit', 'brokers', '--json']);
  });

  it('a terminal line: the runner, then each argument quoted', () => {
    assert.equal(commandLine(['node', '/opt/amq/bin/amq-run.js'], runArgs('validate', '/w/ha.yaml', s)), "node /opt/amq/bin/amq-run.js validate /w/ha.yaml -i playbooks/local.inventory.yaml -e 'demo_root=/tmp/demo dir'");
  });
});

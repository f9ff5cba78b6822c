import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { RunEvent } from '../../runner/src/engine/events.js';
import type { StepQuestion } from '../../runner/src/engine/step.js';
import { initialState, liveRows, reduceRun, type RunAction, type RunState, type TaskRow } from '../../runner/src/report/state.js';
import { fixture } from '../helpers/paths.js';

const recorded = (name: string): RunEvent[] =>
  readFileSync(fixture('events', name), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RunEvent);

const fold = (events: RunAction[], from: RunState = initialState) => events.reduce((s, e) => reduceRun(s, e, 1000), from);

function rowsNamed(state: RunState, name: string): TaskRow[] {
  return state.plays.flatMap((p) => p.rows).filter((r) => r.name === name);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}

const twoHostRun: RunEvent[] = [
  { type: 'run_start', playbook: 'pb', dry_run: false, hosts: ['a', 'b'], plays: [{ name: 'P', hosts: ['a', 'b'], tasks: ['one', 'two'] }] },
  { type: 'play_start', play: 'P', hosts: ['a', 'b'] },
  { type: 'task_start', play: 'P', task: 'one', module: 'command', hosts: ['a', 'b'] },
];

const result = (task: string, host: string, status: 'ok' | 'changed' | 'failed' | 'unreachable' = 'ok'): RunEvent => ({
  type: 'task_result', play: 'P', task, host, module: 'command', status, message: `${task} on ${host}`, ms: 5,
});

describe('reduceRun: the view state folded from run events', () => {
  it('run_start sets the header, the plays and the progress total (tasks × hosts); the time comes from the caller', () => {
    const [start] = recorded('lab-ha-dry-run.jsonl');
    const s = reduceRun(initialState, start!, 4242);
    assert.deepEqual(s.header, {
      playbook: 'ActiveMQ shared-storage master/slave behind HAProxy',
      inventory: (start as { inventory: string }).inventory,
      dryRun: true,
      hosts: ['nfs1', 'broker1', 'broker2', 'lb1'],
    });
    assert.match(s.header!.inventory!, /\/amq-lab-[^/]+\/inventory\.yaml$/);
    assert.deepEqual(s.plays.map((p) => [p.name, p.tasks.length, p.hosts.length, p.started]), [
      ['Prepare the NFS server', 3, 1, false],
      ['Install and configure the brokers, one at a time', 9, 2, false],
      ['HAProxy in front of the brokers', 4, 1, false],
    ]);
    assert.deepEqual(s.progress, { done: 0, total: 3 + 18 + 4 });
    assert.equal(s.startedAt, 4242);
    assert.deepEqual(s.log.map((e) => e.kind), ['header']);
  });

  it('folds a whole dry run: every row finished in order, the progress full, the recap and exit code kept', () => {
    const events = recorded('lab-ha-dry-run.jsonl');
    const s = fold(events);
    assert.deepEqual(s.progress, { done: 25, total: 25 });
    assert.deepEqual(liveRows(s), []);
    const end = events.at(-1) as Extract<RunEvent, { type: 'run_end' }>;
    assert.deepEqual(s.end, { recap: end.recap, exitCode: 0, ms: end.ms });
    const titles = s.log.map((e) => (e.kind === 'row' ? `${e.row.kind} ${e.row.name}` : e.kind === 'play' ? `play ${e.name}` : e.kind));
    const brokerBatch = ['task Install ActiveMQ', 'task Make the ActiveMQ home', 'task Upload the ActiveMQ tarball', 'task Unpack ActiveMQ', 'task Mount the shared store', 'task Configure the broker', 'task Web console address and port', 'task Broker users', 'task ActiveMQ is running', 'handler restart activemq', 'handler wait for one master'];
    assert.deepEqual(titles, [
      'header',
      'play Prepare the NFS server',
      'task Install the NFS server',
      'task Create the export directory',
      'task Export the data directory',
      'play Install and configure the brokers, one at a time',
      ...brokerBatch,
      ...brokerBatch,
      'play HAProxy in front of the brokers',
      'task Install HAProxy',
      'task Configure HAProxy',
      'task HAProxy is running',
      'task Exactly one broker is master',
      'recap',
    ]);
  });

  it('keeps each host result whole: message, diff, details, commands, unknown, ms', () => {
    const events = recorded('lab-ha-dry-run.jsonl');
    const s = fold(events);
    const sent = events.find((e): e is Extract<RunEvent, { type: 'task_result' }> => e.type === 'task_result' && e.task === 'Configure the broker' && e.host === 'broker1')!;
    const [broker] = rowsNamed(s, 'Configure the broker');
    const r = broker!.results['broker1']!;
    assert.equal(r.status, 'would_change');
    assert.match(r.message, /^edit \/.*\/activemq\.xml: 7 settings$/);
    assert.match(r.diff!, /^\+ +brokerName="broker1"$/m);
    assert.equal(r.details!.length, 7);
    assert.equal(r.ms, sent.ms);
    const [restart] = rowsNamed(s, 'restart activemq');
    assert.equal(restart!.results['broker1']!.unknown, true);
    const [running] = rowsNamed(s, 'ActiveMQ is running');
    assert.match(running!.results['broker1']!.commands![0]!, /^nohup setsid .*run-broker\.sh /);
  });

  it('a failure keeps the command, its exit code and each stream', () => {
    const s = fold(recorded('lab-failure.jsonl'));
    const [failed] = rowsNamed(s, 'a command that fails and prints it');
    assert.equal(failed!.results['broker1']!.status, 'failed');
    assert.deepEqual(failed!.results['broker1']!.failure, { cmd: "echo 'token is ******' >&2; exit 3", exit_code: 3, stdout: '', stderr: 'token is ******' });
    assert.equal(s.end!.exitCode, 2);
  });

  it('a serial play gets one row per batch, and each result lands in its own batch', () => {
    const s = fold(recorded('lab-ha-dry-run.jsonl'));
    const install = rowsNamed(s, 'Install ActiveMQ');
    assert.deepEqual(install.map((r) => [r.hosts, Object.keys(r.results)]), [
      [['broker1'], ['broker1']],
      [['broker2'], ['broker2']],
    ]);
  });

  it('a host lost in the middle: its result, then host_unreachable; its remaining tasks count as done, once', () => {
    const events = recorded('lab-unreachable.jsonl');
    const at = events.findIndex((e) => e.type === 'host_unreachable');
    const drop = events[at] as Extract<RunEvent, { type: 'host_unreachable' }>;
    assert.equal(drop.host, 'broker2');
    const lost = events[at - 1] as Extract<RunEvent, { type: 'task_result' }>;
    assert.deepEqual([lost.type, lost.host, lost.status, lost.message], ['task_result', 'broker2', 'unreachable', drop.message], 'the result said why, just before');
    assert.equal(events.filter((e) => e.type === 'host_unreachable').length, 1, 'once per host');
    const before = fold(events.slice(0, at));
    assert.equal(before.progress.done, 3);
    const after = fold(events.slice(0, at + 1));
    assert.equal(after.progress.done, 3 + 3, "broker2's three remaining tasks are done");
    assert.deepEqual(after.log.filter((e) => e.kind === 'unreachable'), [], 'the result already said the same words');
    assert.equal(reduceRun(after, drop).progress.done, 6);
    const late = reduceRun(after, { type: 'task_result', play: drop.play, task: 'file a', host: 'broker2', module: 'file', status: 'unreachable', message: drop.message, ms: 1 });
    assert.equal(late.progress.done, 6, 'a result for a dropped host is not counted twice');
    const s = fold(events);
    assert.deepEqual(s.progress, { done: 12, total: 12 });
    assert.equal(s.end!.exitCode, 3);
  });

  it('host_unreachable prints a line unless a task result already said the same', () => {
    const base = fold(twoHostRun);
    const drop: RunEvent = { type: 'host_unreachable', play: 'P', host: 'b', message: 'ssh b:22: connect ETIMEDOUT' };
    const alone = reduceRun(base, drop);
    assert.deepEqual(alone.log.at(-1), { kind: 'unreachable', play: 'P', host: 'b', message: 'ssh b:22: connect ETIMEDOUT' });
    assert.equal(reduceRun(alone, drop), alone, 'said once');
    const told = fold([{ ...(result('one', 'b', 'unreachable') as object), message: 'ssh b:22: connect ETIMEDOUT' } as RunEvent, drop], base);
    assert.equal(told.log.filter((e) => e.kind === 'unreachable').length, 0);
  });

  it('a row stays live until every host answered, then moves to the log once', () => {
    let s = fold(twoHostRun);
    assert.deepEqual(liveRows(s).map((r) => r.name), ['one']);
    s = reduceRun(s, result('one', 'a', 'changed'));
    assert.equal(liveRows(s).length, 1);
    assert.equal(liveRows(s)[0]!.results['a']!.status, 'changed');
    assert.equal(s.log.filter((e) => e.kind === 'row').length, 0);
    s = reduceRun(s, result('one', 'b'));
    assert.deepEqual(liveRows(s), []);
    assert.equal(s.log.filter((e) => e.kind === 'row').length, 1);
    assert.deepEqual(s.progress, { done: 2, total: 4 });
  });

  it('the same result twice is counted once', () => {
    const s = fold([...twoHostRun, result('one', 'a'), result('one', 'a')]);
    assert.equal(s.progress.done, 1);
  });

  it('the next task start closes rows the engine left without an answer', () => {
    const s = fold([...twoHostRun, result('one', 'a'), { type: 'task_start', play: 'P', task: 'two', module: 'command', hosts: ['a'] }]);
    const rows = s.log.flatMap((e) => (e.kind === 'row' ? [e.row] : []));
    assert.deepEqual(rows.map((r) => [r.name, r.finished, Object.keys(r.results)]), [['one', true, ['a']]]);
    assert.deepEqual(liveRows(s).map((r) => r.name), ['two']);
  });

  it('a result without a task_start still gets a row', () => {
    const s = fold([twoHostRun[0]!, twoHostRun[1]!, result('two', 'b', 'failed')]);
    const [row] = rowsNamed(s, 'two');
    assert.deepEqual(row!.hosts, ['b']);
    assert.equal(row!.results['b']!.status, 'failed');
    assert.equal(row!.finished, true);
  });

  it('play_end fills the play progress (tasks skipped by the engine count as done)', () => {
    const s = fold([...twoHostRun, result('one', 'a'), { type: 'play_end', play: 'P' }]);
    assert.deepEqual(s.progress, { done: 4, total: 4 });
    assert.deepEqual(liveRows(s), []);
  });

  it('the step question is held until answered, and dropped at run_end', () => {
    const question: StepQuestion = { play: 'P', task: 'one', module: 'command', plans: [{ host: 'a', message: 'run it', commands: ['true'] }] };
    let s = fold([...twoHostRun, { type: 'ui_step', question }]);
    assert.equal(s.step, question);
    assert.equal(reduceRun(s, { type: 'ui_step_done' }).step, null);
    s = reduceRun(s, { type: 'run_end', recap: {}, exit_code: 130, ms: 1 });
    assert.equal(s.step, null);
  });

  it('stopping: a stop request or an interrupted event sets the flag; abort marks it too', () => {
    const s = fold(twoHostRun);
    assert.equal(reduceRun(s, { type: 'ui_stop' }).interrupting, true);
    const interrupted = reduceRun(s, { type: 'interrupted', message: 'stopped after "one"' });
    assert.equal(interrupted.interrupting, true);
    assert.deepEqual(interrupted.log.at(-1), { kind: 'interrupted', message: 'stopped after "one"' });
    const aborted = reduceRun(s, { type: 'ui_abort' });
    assert.deepEqual([aborted.interrupting, aborted.aborted], [true, true]);
  });

  it('run_end closes whatever still runs', () => {
    const s = fold([...twoHostRun, result('one', 'a'), { type: 'run_end', recap: {}, exit_code: 130, ms: 9 }]);
    assert.deepEqual(liveRows(s), []);
    assert.equal(s.end!.exitCode, 130);
  });

  it('never changes the state it is given', () => {
    let s: RunState = deepFreeze(initialState);
    for (const e of recorded('lab-ha-apply.jsonl')) s = deepFreeze(reduceRun(s, e, 1));
    assert.equal(s.progress.done, 25);
  });

  it('ignores an event type it does not know (a newer engine) instead of failing', () => {
    const s = fold(twoHostRun);
    assert.equal(reduceRun(s, { type: 'something_new' } as unknown as RunEvent), s);
  });
});

import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import type { RunEvent } from '../../runner/src/engine/events.js';
import type { StepAnswer, StepQuestion } from '../../runner/src/engine/step.js';
import { App } from '../../runner/src/report/ink/App.js';
import { createRunStore } from '../../runner/src/report/ink/store.js';
import { cells, linesOf, plain, recorded, recordedQuestion, renderAt, screen, settle } from './frames.js';

const CTRL_C = '\u0003';
const PLAY = 'Install and configure the brokers';

const running: RunEvent[] = [
  { type: 'run_start', playbook: 'HA', dry_run: false, hosts: ['broker1', 'broker2'], plays: [{ name: PLAY, hosts: ['broker1', 'broker2'], tasks: ['Configure the broker'] }] },
  { type: 'play_start', play: PLAY, hosts: ['broker1', 'broker2'] },
  { type: 'task_start', play: PLAY, task: 'Configure the broker', module: 'activemq_broker', hosts: ['broker1', 'broker2'] },
];

async function mounted(columns = 80, rows = 60) {
  const calls: string[] = [];
  const store = createRunStore({ interrupt: () => calls.push('interrupt'), abort: () => calls.push('abort') });
  const r = renderAt(columns, <App store={store} step />, rows);
  for (const e of running) store.emit(e);
  await settle();
  return { store, r, calls };
}

/** Records the answer once the promise settles, so a test can tell "not yet" from an answer. */
function track(p: Promise<StepAnswer>) {
  const seen: { answer?: StepAnswer } = {};
  void p.then((a) => (seen.answer = a));
  return seen;
}

describe('--step: the question before each change', () => {
  afterEach(cleanup);

  it('shows each host plan (diff, details, commands) before the question and the keys', async () => {
    const { store, r } = await mounted();
    void store.ask(recordedQuestion('step-question.json'));
    await settle();
    const lines = linesOf(screen(r));
    const find = (re: RegExp) => lines.findIndex((l) => re.test(l));
    const broker1 = find(/± broker1: edit activemq\.xml/);
    const broker2 = find(/± broker2: edit activemq\.xml/);
    const question = find(/^\? Apply "Configure the broker" \(activemq_broker\) on broker1, broker2\?$/);
    const keys = find(/y apply {3}n skip this task {3}a apply all from here {3}q quit/);
    assert.ok(broker1 >= 0 && broker2 > broker1 && question > broker2 && keys > question, plain(screen(r)));
    const diffLine = find(/^\s+\+ {4}<broker xmlns=.*/);
    assert.ok(diffLine > broker1 && diffLine < broker2, 'broker1 diff under broker1');
    assert.ok(find(/broker brokerName: localhost -> broker1/) > broker1);
    assert.ok(find(/\$ chown activemq:activemq/) > broker2, 'broker2 commands under broker2');
    assert.ok(find(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] TASK Configure the broker/) >= 0, 'the running task stays above the question');
    for (const l of lines) assert.ok(cells(l) <= 80, l);
  });

  const keys: [string, StepAnswer][] = [
    ['y', 'yes'],
    ['n', 'no'],
    ['a', 'all'],
    ['q', 'quit'],
    ['Y', 'yes'],
  ];
  for (const [key, answer] of keys) {
    it(`pressing ${key} (no Enter) answers "${answer}" and closes the prompt`, async () => {
      const { store, r } = await mounted();
      const seen = track(store.ask(recordedQuestion('step-question.json')));
      await settle();
      assert.match(plain(screen(r)), /\? Apply/);
      r.stdin.write(key);
      await settle();
      assert.equal(seen.answer, answer);
      assert.doesNotMatch(plain(screen(r)), /\? Apply/);
    });
  }

  it('other keys do not answer', async () => {
    const { store, r } = await mounted();
    const seen = track(store.ask(recordedQuestion('step-question.json')));
    await settle();
    for (const key of ['x', '\r', ' ', 'd']) r.stdin.write(key);
    await settle();
    assert.equal(seen.answer, undefined);
    assert.match(plain(screen(r)), /\? Apply/);
  });

  it('on a short terminal the question folds its diffs so the live part stays below the screen height', async () => {
    for (const rows of [24, 40]) {
      const { store, r } = await mounted(80, rows);
      void store.ask(recordedQuestion('step-question.json'));
      await settle();
      const lines = linesOf(screen(r));
      const live = lines.length - lines.findIndex((l) => /TASK Configure the broker/.test(l));
      assert.ok(live < rows, `${live} live rows on a ${rows}-row terminal:\n${plain(screen(r))}`);
      assert.match(plain(screen(r)), /… \d+ more lines \(d prints it whole\)/);
      assert.match(plain(screen(r)), /\? Apply "Configure the broker"/);
      assert.match(plain(screen(r)), /d whole diff/);
      cleanup();
    }
  });

  it('d prints the whole plan above and keeps the question short', async () => {
    const { store, r } = await mounted(80, 24);
    const long = recorded('lab-ha-dry-run.jsonl').find((e) => e.type === 'task_result' && e.task === 'Configure HAProxy') as Extract<RunEvent, { type: 'task_result' }>;
    const question: StepQuestion = { play: PLAY, task: 'Configure HAProxy', module: 'haproxy', plans: [{ host: 'lb1', message: long.message, diff: long.diff!, commands: long.commands! }] };
    const seen = track(store.ask(question));
    await settle();
    assert.match(plain(screen(r)), /… \d+ more lines \(d prints it whole\)/);
    assert.doesNotMatch(plain(screen(r)), /backend console_back/);
    r.stdin.write('d');
    await settle();
    const text = plain(screen(r));
    const plan = text.indexOf('PLAN Configure HAProxy');
    assert.ok(plan >= 0 && plan < text.indexOf('TASK Configure the broker'), 'the plan is printed above the live part');
    assert.match(text, /^\s+\+backend console_back$/m);
    assert.match(text, /^\s+\+ {4}server broker2 127\.0\.10\.3:61613 check inter 1s fall 2 rise 1 backup$/m);
    assert.match(text, /\(the whole plan is printed above\)/);
    assert.doesNotMatch(text, /more lines/);
    r.stdin.write('d');
    await settle();
    assert.equal(plain(screen(r)).split('PLAN Configure HAProxy').length - 1, 1, 'printed once');
    assert.equal(seen.answer, undefined, 'd does not answer');
    for (const l of linesOf(screen(r))) assert.ok(cells(l) <= 80, l);
  });

  it('a second question waits until the first is answered', async () => {
    const { store, r } = await mounted();
    const q = recordedQuestion('step-question.json');
    const first = track(store.ask(q));
    const second = track(store.ask({ ...q, task: 'Broker users', module: 'activemq_users' }));
    await settle();
    assert.match(plain(screen(r)), /Apply "Configure the broker"/);
    r.stdin.write('n');
    await settle();
    assert.deepEqual([first.answer, second.answer], ['no', undefined]);
    assert.match(plain(screen(r)), /Apply "Broker users"/);
    r.stdin.write('y');
    await settle();
    assert.equal(second.answer, 'yes');
  });
});

describe('Ctrl-C', () => {
  afterEach(cleanup);

  it('once: asks the engine to stop after the running task and says so; twice: aborts, and the view closes on the recap', async () => {
    const { store, r, calls } = await mounted();
    r.stdin.write(CTRL_C);
    await settle();
    assert.deepEqual(calls, ['interrupt']);
    assert.match(plain(screen(r)), /stopping after the running task… \(Ctrl-C again to abort\)/);
    assert.match(plain(screen(r)), /TASK Configure the broker/, 'the running task stays on screen');
    r.stdin.write(CTRL_C);
    await settle();
    await settle();
    assert.deepEqual(calls, ['interrupt', 'abort']);
    assert.match(plain(screen(r)), /aborting…/);
    store.emit({ type: 'task_result', play: PLAY, task: 'Configure the broker', host: 'broker1', module: 'activemq_broker', status: 'failed', message: 'stopped by the abort: sleep 300 exited with 143', ms: 1 });
    store.emit({ type: 'interrupted', message: 'aborted: the commands that were running were stopped' });
    store.emit({ type: 'run_end', recap: { broker1: { ok: 0, changed: 0, would_change: 0, would_fail: 0, skipped: 0, failed: 1, unreachable: 0 } }, exit_code: 130, ms: 900 });
    await settle();
    const text = plain(screen(r));
    assert.match(text, /stopped by the abort/);
    assert.match(text, /PLAY RECAP/);
    assert.match(text, /^exit code 130 \(interrupted\)/m);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const frames = r.frames.length;
    store.emit({ type: 'play_end', play: PLAY });
    await settle();
    assert.equal(r.frames.length, frames, 'the view has closed');
  });

  it('during a question: the first Ctrl-C answers "quit" so the run can end cleanly', async () => {
    const { store, r, calls } = await mounted();
    const seen = track(store.ask(recordedQuestion('step-question.json')));
    await settle();
    r.stdin.write(CTRL_C);
    await settle();
    assert.equal(seen.answer, 'quit');
    assert.deepEqual(calls, ['interrupt']);
    assert.doesNotMatch(plain(screen(r)), /\? Apply/);
  });

  it('after an interrupted run the recap and exit code 130 are shown', async () => {
    const { store, r } = await mounted();
    r.stdin.write(CTRL_C);
    store.emit({ type: 'task_result', play: PLAY, task: 'Configure the broker', host: 'broker1', module: 'activemq_broker', status: 'changed', message: 'edit activemq.xml', ms: 30 });
    store.emit({ type: 'task_result', play: PLAY, task: 'Configure the broker', host: 'broker2', module: 'activemq_broker', status: 'ok', message: 'as wanted', ms: 30 });
    store.emit({ type: 'interrupted', message: 'stopped after "Configure the broker"' });
    store.emit({ type: 'run_end', recap: { broker1: { ok: 0, changed: 1, would_change: 0, would_fail: 0, skipped: 0, failed: 0, unreachable: 0 }, broker2: { ok: 1, changed: 0, would_change: 0, would_fail: 0, skipped: 0, failed: 0, unreachable: 0 } }, exit_code: 130, ms: 2100 });
    await settle();
    await settle();
    const text = plain(screen(r));
    assert.match(text, /interrupted: stopped after "Configure the broker"/);
    assert.match(text, /^exit code 130 \(interrupted\) after 2\.1s$/m);
    assert.match(text, /^broker1\s+0\s+1\s+0\s+0\s+0\s+0\s+0$/m);
    assert.doesNotMatch(text, /Ctrl-C again/, 'the notice goes once the run has ended');
  });
});

import assert from 'node:assert/strict';
import { cleanup } from 'ink-testing-library';
import { App } from '../../runner/src/report/ink/App.js';
import { createRunStore } from '../../runner/src/report/ink/store.js';
import { plainSink } from '../../runner/src/report/plain.js';
import { fleetRun } from './fleet-events.js';
import { linesOf, renderAt, screen, settle } from './frames.js';

const TASKS = ['App folder', 'App properties', 'Readme'];
/** 50 hosts: fleet03 and fleet07 unreachable at once, fleet11 fails its second task, fleet20 changes it. */
const events = fleetRun(50, TASKS, (task, host) => {
  if (task === 'App folder' && (host === 'fleet03' || host === 'fleet07')) return 'unreachable';
  if (task === 'App properties' && host === 'fleet11') return 'failed';
  if (task === 'App properties' && host === 'fleet20') return 'changed';
  return 'ok';
});

describe('many hosts', () => {
  afterEach(cleanup);

  it('plain: one line per host that changed, failed or was unreachable, a count for the ok ones; the recap groups hosts and names every failing one', () => {
    const lines: string[] = [];
    const sink = plainSink((l) => lines.push(l), { diff: false, verbose: false });
    for (const e of events) sink(e);
    const text = lines.join('\n');
    assert.match(text, /^TASK \[App folder\] file \(50 hosts\)\n {2}UNREACHABLE +fleet03 .*\n.*\n {2}UNREACHABLE +fleet07 .*\n.*\n {2}ok +48 hosts$/m);
    assert.match(text, /^TASK \[App properties\] file \(48 hosts\)$/m);
    assert.match(text, /^ {2}FAILED +fleet11 +mkdir: Permission denied$/m);
    assert.match(text, /^ {2}changed +fleet20 +write \/srv\/x$/m);
    assert.match(text, /^ {2}ok +46 hosts$/m);
    assert.doesNotMatch(text, /^ {2}ok +fleet/m, 'no line for an ok host');
    assert.match(text, /^ok=0 .* unreachable=1 {2}2 hosts: fleet03, fleet07$/m);
    assert.match(text, /^ok=1 .* failed=1 .* fleet11$/m);
    assert.match(text, /^ok=3 .* unreachable=0 {2}46 hosts: fleet01, fleet02, fleet04, .*, and 36 more$/m);
    assert.match(text, /^exit code 3 /m);
  });

  it('plain with --verbose: a line for every host', () => {
    const lines: string[] = [];
    const sink = plainSink((l) => lines.push(l), { diff: false, verbose: true });
    for (const e of events) sink(e);
    assert.equal(lines.filter((l) => /^ {2}ok +fleet\d\d /.test(l)).length, 48 + 46 + 47);
  });

  it('interactive, 100x30: one line per task with its counts, the failure and the unreachable hosts below, the recap by groups', async () => {
    const store = createRunStore({ interrupt: () => undefined, abort: () => undefined });
    const r = renderAt(100, <App store={store} />, 30);
    for (const e of events) store.emit(e);
    await settle();
    const lines = linesOf(screen(r)).map((l) => l.trimEnd());
    for (const l of lines) assert.ok([...l].length <= 100, `wider than 100: ${l}`);
    const row = (task: string) => lines.find((l) => l.startsWith(`TASK ${task} `)) ?? assert.fail(`no row for ${task} in\n${lines.join('\n')}`);
    assert.match(row('App folder'), /█{12} 50\/50 {2}✓ 48 ok {2}! 2 unreachable/);
    assert.match(row('App properties'), /48\/48 {2}✓ 46 ok {2}~ 1 changed {2}✗ 1 failed/);
    assert.match(row('Readme'), /47\/47 {2}✓ 47 ok/);
    assert.ok(lines.some((l) => /✗ fleet11: mkdir: Permission denied/.test(l)), 'the failure expanded');
    assert.ok(!lines.some((l) => /fleet20:/.test(l)), 'a change is not expanded without --diff');
    const at = lines.indexOf('PLAY RECAP');
    assert.match(lines[at + 2]!, /^2 hosts\s+0\s+0\s+0\s+0\s+0\s+0\s+1$/);
    assert.match(lines[at + 3]!, /^ {2}fleet03, fleet07$/);
    assert.match(lines[at + 4]!, /^fleet11\s+1\s+0\s+0\s+0\s+0\s+1\s+0$/);
    assert.match(lines[at + 5]!, /^46 hosts\s+3\s+0/);
  });

  it('with --diff the change is expanded too', async () => {
    const store = createRunStore({ interrupt: () => undefined, abort: () => undefined });
    const r = renderAt(100, <App store={store} showDiff />, 30);
    for (const e of events) store.emit(e);
    await settle();
    assert.ok(linesOf(screen(r)).some((l) => /~ fleet20: write \/srv\/x/.test(l)));
  });

  it('redraws are capped: a burst of results is drawn a few times, not once per result', async () => {
    const store = createRunStore({ interrupt: () => undefined, abort: () => undefined }, Date.now, 100);
    let told = 0;
    store.subscribe(() => told++);
    const burst = events.filter((e) => e.type !== 'run_end');
    for (const e of burst) store.emit(e);
    assert.ok(told <= 1, `told ${told} times for ${burst.length} events at once`);
    await new Promise((r) => setTimeout(r, 150));
    assert.equal(told, 2, 'the last state reaches the view');
    store.emit(events.at(-1)!);
    assert.equal(told, 3, 'the end is drawn at once');
  });
});

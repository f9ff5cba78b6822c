import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { startInk } from '../../runner/src/report/ink/start.js';
import { recorded, recordedQuestion, settle } from './frames.js';

const SGR = /\u001B\[[0-9;?]*[A-Za-z]/g;

/** A terminal made of streams: what is drawn is collected, keys are written to stdin. */
function terminal(opts: { tty: boolean }) {
  const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 30, isTTY: true }) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), {
    isTTY: opts.tty,
    setRawMode: () => stdin,
    ref: () => stdin,
    unref: () => stdin,
  }) as unknown as NodeJS.ReadStream;
  let drawn = '';
  (stdout as unknown as PassThrough).on('data', (d: Buffer) => (drawn += d.toString()));
  return { stdout, stdin, drawn: () => drawn.replace(SGR, '') };
}

/** SIGINT handlers added since `before`, leaving out signal-exit's (Ink's cursor restore keeps one for the process). */
const addedSigint = (before: Function[]) => process.listeners('SIGINT').filter((l) => !before.includes(l) && l.name !== 'listener');

function within<T>(ms: number, p: Promise<T>): Promise<T> {
  return Promise.race([p, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`not settled within ${ms} ms`)), ms))]);
}

describe('startInk: the entry the command line calls on a terminal', () => {
  it('draws the events it is given, and finished() resolves once the recap is drawn and the view is gone', async () => {
    const t = terminal({ tty: true });
    const signals = process.listeners('SIGINT');
    const ui = startInk({ playbook: 'playbooks/ha.yaml', dryRun: false, step: false, showDiff: false, stdout: t.stdout, stdin: t.stdin, interrupt() {}, abort() {} });
    for (const e of recorded('lab-ha-apply.jsonl')) ui.emit(e);
    await within(5000, ui.finished());
    const out = t.drawn();
    assert.match(out, /PLAYBOOK ActiveMQ shared-storage master\/slave behind HAProxy/);
    assert.match(out, /nfs1 ~ changed/);
    assert.match(out, /PLAY RECAP/);
    assert.match(out, /nfs1\s+1\s+2\s+0\s+0\s+0\s+0\s+0/);
    assert.match(out, /exit code 0 \(success\)/);
    assert.equal(out.split('TASK Export the data directory').length - 1, 1, 'a finished task is printed once');
    assert.deepEqual(addedSigint(signals), [], 'its SIGINT handler is gone');
  });

  it('ask() shows the question and resolves with the key pressed', async () => {
    const t = terminal({ tty: true });
    const ui = startInk({ playbook: 'playbooks/ha.yaml', dryRun: true, step: true, showDiff: false, stdout: t.stdout, stdin: t.stdin, interrupt() {}, abort() {} });
    const [start] = recorded('lab-ha-dry-run.jsonl');
    ui.emit(start!);
    const answer = ui.ask(recordedQuestion('step-question.json'));
    await settle();
    t.stdin.write('a');
    assert.equal(await within(5000, answer), 'all');
    ui.emit({ type: 'run_end', recap: {}, exit_code: 0, ms: 5 });
    await within(5000, ui.finished());
  });

  it('without a terminal on stdin, SIGINT stops (first) and aborts (second), and the view closes on the recap', async () => {
    const t = terminal({ tty: false });
    const calls: string[] = [];
    const before = process.listeners('SIGINT');
    const ui = startInk({ playbook: 'playbooks/ha.yaml', dryRun: false, step: false, showDiff: false, stdout: t.stdout, stdin: t.stdin, interrupt: () => calls.push('interrupt'), abort: () => calls.push('abort') });
    const [start, , task] = recorded('lab-ha-apply.jsonl');
    ui.emit(start!);
    ui.emit(task!);
    await settle();
    assert.equal(addedSigint(before).length, 1, 'a SIGINT handler is installed');
    process.emit('SIGINT');
    await settle();
    assert.deepEqual(calls, ['interrupt']);
    await new Promise((resolve) => setTimeout(resolve, 60));
    process.emit('SIGINT');
    await settle();
    assert.deepEqual(calls, ['interrupt', 'abort']);
    ui.emit({ type: 'run_end', recap: {}, exit_code: 130, ms: 5 });
    await within(5000, ui.finished());
    assert.match(t.drawn(), /exit code 130 \(interrupted\)/, 'the aborted run ends with its recap');
    assert.deepEqual(addedSigint(before), []);
  });
});

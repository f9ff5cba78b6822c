import assert from 'node:assert/strict';
import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { App } from '../../runner/src/report/ink/App.js';
import { createRunStore } from '../../runner/src/report/ink/store.js';
import { cells, linesOf, plain, recorded, renderAt, resize, screen, settle } from './frames.js';

const GREEN = '\u001B[32m';
const RED = '\u001B[31m';

const CHIP = /(\S+) +(✓ ok|~ changed|± would change|✗ would fail|- skipped|✗ failed|! unreachable|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running|\? no result)/g;
const CHIP_LINE = new RegExp(`^  (?:${CHIP.source} *)+$`);

/** Host -> "symbol word" from the chip lines under a task's title (the last row of that title). */
function chipsOf(frame: string | undefined, title: string): Record<string, string> {
  const lines = linesOf(frame);
  const at = lines.map((l, i) => (l.startsWith(title) || l.slice(2).startsWith(title) ? i : -1)).reduce((a, b) => Math.max(a, b), -1);
  assert.ok(at >= 0, `no row "${title}" in:\n${plain(frame)}`);
  const out: Record<string, string> = {};
  for (const line of lines.slice(at + 1)) {
    if (!CHIP_LINE.test(line)) break;
    for (const m of line.matchAll(CHIP)) out[m[1]!] = m[2]!;
  }
  return out;
}

/** The recap table as host -> the seven numbers. */
function recapOf(frame: string | undefined): Record<string, number[]> {
  const lines = linesOf(frame);
  const at = lines.indexOf('PLAY RECAP');
  assert.ok(at >= 0, 'a PLAY RECAP');
  assert.match(lines[at + 1]!, /^host\s+ok\s+changed\s+would change\s+would fail\s+skipped\s+failed\s+unreachable$/);
  const out: Record<string, number[]> = {};
  for (const line of lines.slice(at + 2)) {
    const m = /^(\S+)((?:\s+\d+){7})$/.exec(line.trimEnd());
    if (m) out[m[1]!] = m[2]!.trim().split(/\s+/).map(Number);
  }
  return out;
}

function mount(columns: number, props: { showDiff?: boolean; step?: boolean; verbose?: boolean } = {}) {
  const calls: string[] = [];
  const store = createRunStore({ interrupt: () => calls.push('interrupt'), abort: () => calls.push('abort') });
  const r = renderAt(columns, <App store={store} {...props} />);
  return { store, r, calls };
}

async function play(store: { emit(e: RunEvent): void }, events: RunEvent[], oneByOne = false) {
  for (const e of events) {
    store.emit(e);
    if (oneByOne) await settle();
  }
  await settle();
}

describe('the interactive view over recorded runs', () => {
  const level = chalk.level;
  before(() => {
    chalk.level = 1;
  });
  after(() => {
    chalk.level = level;
  });
  afterEach(cleanup);

  it('a dry run of the HA playbook: each host shows its status with symbol and word', async () => {
    const { store, r } = mount(80);
    const events = recorded('lab-ha-dry-run.jsonl');
    await play(store, events);
    const frame = screen(r);
    assert.deepEqual(chipsOf(frame, 'TASK Install the NFS server'), { nfs1: '✓ ok' });
    assert.deepEqual(chipsOf(frame, 'TASK Export the data directory'), { nfs1: '± would change' });
    assert.deepEqual(chipsOf(frame, 'TASK Web console address and port'), { broker2: '- skipped' });
    assert.deepEqual(chipsOf(frame, 'HANDLER restart activemq'), { broker2: '± would change' });
    const text = plain(frame);
    assert.match(text, /^PLAYBOOK ActiveMQ shared-storage master\/slave behind HAProxy$/m);
    assert.ok(text.includes(`inventory: ${(events[0] as { inventory: string }).inventory}`));
    assert.match(text, /hosts \(4\): nfs1, broker1, broker2, lb1/);
    assert.match(text, /mode: dry run: checks only, nothing is changed/);
    assert.match(text, /^ {2}± broker1: \S+activemq\.pid depends on/m, 'an unknown outcome says why');
    assert.equal(text.split('TASK Configure HAProxy').length - 1, 1, 'a finished row is printed once');
  });

  it('a host lost in the middle: "! unreachable" with the reason, once; the others go on', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('lab-unreachable.jsonl'));
    const frame = screen(r);
    assert.deepEqual(chipsOf(frame, 'TASK a slow step'), { nfs1: '~ changed', broker1: '~ changed', broker2: '! unreachable' });
    assert.deepEqual(chipsOf(frame, 'TASK file c'), { nfs1: '~ changed', broker1: '~ changed' });
    const text = plain(frame);
    assert.equal(text.match(/broker2: root@127\.0\.10\.3:\d+: connection lost/g)?.length, 1, 'the reason, once');
    assert.match(text, /^exit code 3 \(a host was unreachable\)/m);
  });

  it('a real run shows "~ changed" and the diff of what changed', async () => {
    const { store, r } = mount(80);
    const events = recorded('lab-ha-apply.jsonl');
    await play(store, events);
    const frame = screen(r);
    assert.deepEqual(chipsOf(frame, 'TASK Install the NFS server'), { nfs1: '✓ ok' });
    assert.deepEqual(chipsOf(frame, 'TASK Create the export directory'), { nfs1: '~ changed' });
    assert.deepEqual(chipsOf(frame, 'HANDLER restart activemq'), { broker2: '~ changed' });
    const text = plain(frame);
    assert.match(text, /mode: apply: changes are made/);
    assert.match(text, /^\s+\+EXPORT \{$/m);
    assert.match(text, /^\s+\$ \/tmp\/amq-lab-[^/]+\/bin\/ganesha-restart$/m);
    const end = events.at(-1) as Extract<RunEvent, { type: 'run_end' }>;
    assert.match(text, new RegExp(`exit code 0 \\(success\\) after ${(end.ms / 1000).toFixed(1)}s`));
  });

  it('a running task shows a spinner per host until each answers, then scrolls into the log', async () => {
    const events = recorded('lab-ha-dry-run.jsonl');
    const { store, r } = mount(80);
    const start = events.findIndex((e) => e.type === 'task_start' && e.task === 'Configure the broker');
    await play(store, events.slice(0, start + 1));
    assert.match(chipsOf(screen(r), 'TASK Configure the broker').broker1!, /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running$/);
    assert.match(linesOf(screen(r)).find((l) => l.includes('TASK Configure the broker'))!, /^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] TASK/);
    await play(store, [events[start + 1]!]);
    const text = plain(screen(r));
    assert.equal(text.split('TASK Configure the broker').length - 1, 1);
    assert.deepEqual(chipsOf(screen(r), 'TASK Configure the broker'), { broker1: '± would change' });
  });

  it('several hosts of one task: answered hosts show their status while the others still run', async () => {
    const events = recorded('lab-unreachable.jsonl');
    const { store, r } = mount(80);
    const first = events.findIndex((e) => e.type === 'task_result');
    await play(store, events.slice(0, first + 1));
    const byHost = chipsOf(screen(r), 'TASK a slow step');
    const done = (events[first] as { host: string }).host;
    assert.deepEqual(Object.keys(byHost).sort(), ['broker1', 'broker2', 'nfs1']);
    assert.equal(byHost[done], '~ changed');
    for (const h of ['nfs1', 'broker1', 'broker2'].filter((x) => x !== done)) assert.match(byHost[h]!, /running$/, h);
    assert.match(plain(screen(r)), /^1\/12 tasks/m);
  });

  it('before run_start it says what is starting', async () => {
    const store = createRunStore({ interrupt: () => undefined, abort: () => undefined });
    const r = renderAt(80, <App store={store} playbook="playbooks/ha.yaml" dryRun />);
    await settle();
    assert.match(plain(screen(r)), /^starting playbooks\/ha\.yaml \(dry run\)…$/m);
    await play(store, recorded('lab-ha-dry-run.jsonl').slice(0, 1));
    assert.doesNotMatch(plain(screen(r)), /starting/);
  });

  it('diffs are coloured by line, and a masked secret shows as ******', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('lab-ha-dry-run.jsonl'));
    const raw = screen(r)!;
    assert.ok(raw.includes(`${GREEN}+EXPORT {`), 'an added line is green');
    assert.ok(raw.includes(`${RED}-            brokerName="localhost"`), 'a removed line is red');
    const text = plain(raw);
    assert.match(text, /^\s+\+admin=\*\*\*\*\*\*$/m);
    assert.doesNotMatch(text, /Adm1n-s3cret/);
  });

  it('a long diff folds to its head with a note, and shows whole with --diff', async () => {
    const events = recorded('lab-ha-dry-run.jsonl');
    const diff = (events.find((e) => e.type === 'task_result' && e.task === 'Configure HAProxy') as { diff: string }).diff;
    const total = diff.trimEnd().split('\n').length;
    const folded = mount(80);
    await play(folded.store, events);
    const text = plain(screen(folded.r));
    assert.match(text, new RegExp(`… ${total - 16} more lines \\(run with --diff to see all\\)`));
    assert.match(text, /^\s+\+global$/m);
    assert.doesNotMatch(text, /\+backend console_back$/m);
    cleanup();
    const whole = mount(80, { showDiff: true });
    await play(whole.store, events);
    const all = plain(screen(whole.r));
    assert.doesNotMatch(all, /more lines \(run with --diff/);
    assert.match(all, /^\s+\+backend console_back$/m);
  });

  it('a failure shows the command, the exit code and what it printed, secrets masked', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('lab-failure.jsonl'));
    const text = plain(screen(r));
    assert.deepEqual(chipsOf(screen(r), 'TASK a command that fails and prints it'), { broker1: '✗ failed' });
    assert.match(text, /command failed: echo 'token is \*{6}' >&2; exit 3/);
    assert.match(text, /^\s+exit code 3$/m);
    assert.match(text, /^\s+token is \*{6}$/m);
    assert.doesNotMatch(text, /Zq9-known-SECRET-value/);
  });

  it('a dry-run that would fail: "✗ would fail" with the reason, a recap column, exit 2', async () => {
    const { store, r } = mount(100);
    await play(store, recorded('lab-would-fail-dry-run.jsonl'));
    const frame = screen(r);
    assert.deepEqual(chipsOf(frame, 'TASK a file in a missing directory'), { broker1: '✗ would fail', broker2: '✗ would fail' });
    assert.deepEqual(chipsOf(frame, 'TASK a directory for a group that does not exist'), { nfs1: '✗ would fail' });
    const text = plain(frame);
    assert.match(text.replace(/\n +/g, ' '), /✗ nfs1: the group nobody does not exist on nfs1: there is no group of that name \(the user nobody has the group nogroup\)/);
    assert.doesNotMatch(text, /TASK never reached/, 'a host that would fail goes no further');
    assert.deepEqual(recapOf(frame), { nfs1: [0, 0, 0, 1, 0, 0, 0], broker1: [0, 0, 0, 1, 0, 0, 0], broker2: [0, 0, 0, 1, 0, 0, 0] });
    assert.match(text, /^exit code 2 \(a task failed, or would fail in a dry-run\)/m);
  });

  it('a failing command: the last lines of stdout and of stderr, each under its own label; tabs expanded', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('lab-output.jsonl'));
    const text = plain(screen(r));
    assert.match(text, /command failed: for i in \$\(seq 1 30\)/);
    assert.match(text, /^\s+exit code 4$/m);
    const out = text.indexOf('stdout (last 6 of 30 lines):');
    const err = text.indexOf('stderr (last 6 of 30 lines):');
    assert.ok(out > 0 && err > out, 'stdout, then stderr, each under its label');
    assert.deepEqual(text.slice(out, err).match(/out line \d+/g), ['out line 25', 'out line 26', 'out line 27', 'out line 28', 'out line 29', 'out line 30']);
    assert.deepEqual(text.slice(err).match(/err line \d+/g), ['err line 25', 'err line 26', 'err line 27', 'err line 28', 'err line 29', 'err line 30']);
    assert.match(text, /^\s+\+key +value$/m, 'a tab reaches the terminal as spaces');
    assert.ok(!text.includes('\t'));
  });

  it('--verbose: every command a task ran, with all it printed', async () => {
    const { store, r } = mount(100, { verbose: true });
    await play(store, recorded('lab-verbose.jsonl'));
    const text = plain(screen(r));
    assert.match(text, /^\s+\$ LC_ALL=C stat -c '%F\|%a\|%U\|%G\|%s' -- \/tmp\/amq-lab-[^/]+\/hosts\/broker1\/tabbed\.conf$/m, 'the check of a task that was ok');
    assert.match(text, /stdout:\n(\s+out line \d+\n){30}/, 'all of stdout');
    assert.doesNotMatch(text, /last 6 of 30/);
  });

  it('the recap table has each host with its numbers, and the exit code', async () => {
    const { store, r } = mount(80);
    const events = recorded('lab-ha-dry-run.jsonl');
    await play(store, events);
    assert.deepEqual(recapOf(screen(r)), {
      nfs1: [1, 0, 2, 0, 0, 0, 0],
      broker1: [2, 0, 5, 0, 4, 0, 0],
      broker2: [2, 0, 5, 0, 4, 0, 0],
      lb1: [2, 0, 2, 0, 0, 0, 0],
    });
    const text = plain(screen(r));
    const end = events.at(-1) as Extract<RunEvent, { type: 'run_end' }>;
    assert.equal(text.trimEnd().split('\n').at(-1), `exit code 0 (success) after ${(end.ms / 1000).toFixed(1)}s`, 'the exit code is the last line');
    assert.doesNotMatch(text, /tasks .* elapsed/, 'the progress line gives way to the exit line');
  });

  it('the progress line counts tasks × hosts as they finish', async () => {
    const events = recorded('lab-ha-dry-run.jsonl');
    const { store, r } = mount(80);
    const firstPlay = events.findIndex((e) => e.type === 'play_end') + 1;
    await play(store, events.slice(0, firstPlay));
    assert.match(plain(screen(r)), /^3\/25 tasks\s+█{4}░{26}\s+\d+:\d\d elapsed$/m);
    await play(store, events.slice(firstPlay, events.length - 1));
    assert.match(plain(screen(r)), /^25\/25 tasks\s+█{30}\s+\d+:\d\d elapsed$/m);
  });

  for (const columns of [80, 50]) {
    it(`at ${columns} columns no line of any frame is wider than the terminal`, async () => {
      const { store, r } = mount(columns);
      await play(store, recorded('lab-ha-dry-run.jsonl'), true);
      await play(store, []);
      assert.ok(r.frames.length > 20, `many frames (${r.frames.length})`);
      for (const frame of r.frames) for (const line of linesOf(frame)) assert.ok(cells(line) <= columns, `${cells(line)} > ${columns}: ${line}`);
    });
  }

  it('follows a resize: chips that fit on one line at 100 columns wrap at 50', async () => {
    const hosts = ['nfs1', 'broker1', 'broker2', 'lb1'];
    const { store, r } = mount(100);
    await play(store, [
      { type: 'run_start', playbook: 'pb', dry_run: true, hosts, plays: [{ name: 'All', hosts, tasks: ['ping'] }] },
      { type: 'task_start', play: 'All', task: 'ping', module: 'command', hosts },
    ]);
    const chipLines = () => linesOf(screen(r)).filter((l) => /running/.test(l)).length;
    assert.equal(chipLines(), 1);
    resize(r.stdout, 50);
    await settle();
    assert.equal(chipLines(), 2);
    for (const line of linesOf(screen(r))) assert.ok(cells(line) <= 50, line);
  });

  it('reads the same without colour: the coloured frame minus its colours is the colourless frame', async () => {
    const coloured = mount(80);
    await play(coloured.store, [...recorded('lab-unreachable.jsonl').slice(0, -1), ...recorded('lab-failure.jsonl').slice(1), ...recorded('lab-ha-dry-run.jsonl').slice(1)]);
    const withColour = screen(coloured.r)!;
    assert.ok(withColour.includes('\u001B['), 'colours are on');
    cleanup();
    chalk.level = 0;
    try {
      const bare = mount(80);
      await play(bare.store, [...recorded('lab-unreachable.jsonl').slice(0, -1), ...recorded('lab-failure.jsonl').slice(1), ...recorded('lab-ha-dry-run.jsonl').slice(1)]);
      const without = screen(bare.r)!;
      assert.ok(!without.includes('\u001B'), 'no escape codes');
      // Ink keeps a trailing space inside a coloured span where it trims a bare one.
      const same = (f: string) => f.split('\n').map((l) => l.trimEnd()).join('\n').replace(/\d+:\d\d elapsed/, '');
      assert.equal(same(without), same(plain(withColour)));
      for (const words of ['✓ ok', '± would change', '- skipped', '✗ failed', '! unreachable']) assert.ok(without.includes(words), words);
    } finally {
      chalk.level = 1;
    }
  });
});

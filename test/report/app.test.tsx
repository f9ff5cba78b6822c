import assert from 'node:assert/strict';
import chalk from 'chalk';
import { cleanup } from 'ink-testing-library';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { App } from '../../runner/src/report/ink/App.js';
import { createRunStore } from '../../runner/src/report/ink/store.js';
import { cells, linesOf, plain, recorded, renderAt, resize, screen, settle } from './frames.js';

const GREEN = '\u001B[32m';
const RED = '\u001B[31m';

const CHIP = /(\S+) +(✓ ok|~ changed|± would change|- skipped|✗ failed|! unreachable|[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running|\? no result)/g;
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

/** The recap table as host -> the six numbers. */
function recapOf(frame: string | undefined): Record<string, number[]> {
  const lines = linesOf(frame);
  const at = lines.indexOf('PLAY RECAP');
  assert.ok(at >= 0, 'a PLAY RECAP');
  assert.match(lines[at + 1]!, /^host\s+ok\s+changed\s+would change\s+skipped\s+failed\s+unreachable$/);
  const out: Record<string, number[]> = {};
  for (const line of lines.slice(at + 2)) {
    const m = /^(\S+)((?:\s+\d+){6})$/.exec(line.trimEnd());
    if (m) out[m[1]!] = m[2]!.trim().split(/\s+/).map(Number);
  }
  return out;
}

function mount(columns: number, props: { showDiff?: boolean; step?: boolean } = {}) {
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
    await play(store, recorded('ha-dry-run.jsonl'));
    const frame = screen(r);
    assert.deepEqual(chipsOf(frame, 'TASK Install the NFS server'), { nfs1: '✓ ok' });
    assert.deepEqual(chipsOf(frame, 'TASK Export the data directory'), { nfs1: '± would change' });
    assert.deepEqual(chipsOf(frame, 'TASK Web console address and port'), { broker1: '- skipped' });
    assert.deepEqual(chipsOf(frame, 'TASK Configure HAProxy'), { lb1: '✗ failed' });
    assert.deepEqual(chipsOf(frame, 'HANDLER restart activemq'), { broker1: '± would change' });
    const text = plain(frame);
    assert.match(text, /^ {2}broker2 ! unreachable/m);
    assert.match(text, /! broker2: ssh 192\.168\.10\.193:22: connect ECONNREFUSED/);
    assert.match(text, /^PLAYBOOK ActiveMQ shared-storage master\/slave behind HAProxy$/m);
    assert.match(text, /inventory: playbooks\/inventory\.example\.yaml/);
    assert.match(text, /hosts \(4\): nfs1, broker1, broker2, lb1/);
    assert.match(text, /mode: dry run: checks only, nothing is changed/);
    assert.equal(text.split('TASK Configure HAProxy').length - 1, 1, 'a finished row is printed once');
  });

  it('a real run shows "~ changed" and the diff of what changed', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('ha-apply.jsonl'));
    const frame = screen(r);
    assert.deepEqual(chipsOf(frame, 'TASK Install the NFS server'), { nfs1: '~ changed' });
    assert.deepEqual(chipsOf(frame, 'TASK Create the export directory'), { nfs1: '✓ ok' });
    assert.deepEqual(chipsOf(frame, 'HANDLER reload exports'), { nfs1: '~ changed' });
    const text = plain(frame);
    assert.match(text, /mode: apply: changes are made/);
    assert.match(text, /^\s+\+\/data\/activemq-data \*\(rw,sync,no_root_squash\)$/m);
    assert.match(text, /\$ DEBIAN_FRONTEND=noninteractive apt-get install -y 'nfs-kernel-server'/);
    assert.match(text, /exit code 0 \(success\) after 15\.0s/);
  });

  it('a running task shows a spinner per host until each answers, then scrolls into the log', async () => {
    const events = recorded('ha-dry-run.jsonl');
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
    const { store, r } = mount(80);
    await play(store, [
      { type: 'run_start', playbook: 'pb', dry_run: false, hosts: ['nfs1', 'broker1', 'broker2', 'lb1'], plays: [{ name: 'All', hosts: ['nfs1', 'broker1', 'broker2', 'lb1'], tasks: ['ping'] }] },
      { type: 'play_start', play: 'All', hosts: ['nfs1', 'broker1', 'broker2', 'lb1'] },
      { type: 'task_start', play: 'All', task: 'ping', module: 'command', hosts: ['nfs1', 'broker1', 'broker2', 'lb1'] },
      { type: 'task_result', play: 'All', task: 'ping', host: 'broker2', module: 'command', status: 'changed', message: 'ran', ms: 3 },
    ]);
    const byHost = chipsOf(screen(r), 'TASK ping');
    assert.deepEqual(Object.keys(byHost).sort(), ['broker1', 'broker2', 'lb1', 'nfs1']);
    assert.equal(byHost['broker2'], '~ changed');
    for (const h of ['nfs1', 'broker1', 'lb1']) assert.match(byHost[h]!, /running$/, h);
    assert.match(plain(screen(r)), /^1\/4 tasks/m);
  });

  it('before run_start it says what is starting; a host dropped without a task result gets its own line', async () => {
    const calls: string[] = [];
    const store = createRunStore({ interrupt: () => calls.push('interrupt'), abort: () => calls.push('abort') });
    const r = renderAt(80, <App store={store} playbook="playbooks/ha.yaml" dryRun />);
    await settle();
    assert.match(plain(screen(r)), /^starting playbooks\/ha\.yaml \(dry run\)…$/m);
    await play(store, [
      { type: 'run_start', playbook: 'pb', dry_run: true, hosts: ['lb1'], plays: [{ name: 'LB', hosts: ['lb1'], tasks: ['a', 'b'] }] },
      { type: 'play_start', play: 'LB', hosts: ['lb1'] },
      { type: 'host_unreachable', play: 'LB', host: 'lb1', message: 'ssh 192.168.10.100:22: connect ETIMEDOUT' },
    ]);
    const text = plain(screen(r));
    assert.doesNotMatch(text, /starting/);
    assert.match(text, /^! lb1 unreachable: ssh 192\.168\.10\.100:22: connect ETIMEDOUT$/m);
    assert.match(text, /^2\/2 tasks/m);
  });

  it('diffs are coloured by line, tabs expanded, and a masked secret shows as ******', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('ha-dry-run.jsonl'));
    const raw = screen(r)!;
    assert.ok(raw.includes(`${GREEN}+/data/activemq-data *(rw,sync,no_root_squash)`), 'an added line is green');
    assert.ok(raw.includes(`${RED}-admin=admin`), 'a removed line is red');
    const text = plain(raw);
    assert.ok(!text.includes('\t'), 'no tab reaches the terminal');
    assert.match(text, /^\s+ #\s+to NFS clients\.  See exports\(5\)\.$/m);
    assert.match(text, /^\s+-admin=admin$/m);
    assert.match(text, /^\s+\+admin=\*\*\*\*\*\*$/m);
    assert.match(text, /^\s+\+ {4}<broker xmlns="http:\/\/activemq\.apache\.org\/schema\/core"\s*$/m);
  });

  it('a long diff folds to its head with a note, and shows whole with --diff', async () => {
    const events = recorded('long-diff.jsonl');
    const diff = (events.find((e) => e.type === 'task_result') as { diff: string }).diff;
    const total = diff.trimEnd().split('\n').length;
    const folded = mount(80);
    await play(folded.store, events);
    const text = plain(screen(folded.r));
    assert.match(text, new RegExp(`… ${total - 16} more lines \\(run with --diff to see all\\)`));
    assert.match(text, /frontend activemq_front/);
    assert.doesNotMatch(text, /backend console_back/);
    cleanup();
    const whole = mount(80, { showDiff: true });
    await play(whole.store, events);
    const all = plain(screen(whole.r));
    assert.doesNotMatch(all, /more lines/);
    assert.match(all, /^\s+\+backend console_back$/m);
    assert.match(all, /^\s+\+ {4}server broker2 192\.168\.10\.193:8161 check backup$/m);
  });

  it('a failure shows the command, the exit code and the last lines of stderr', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('ha-dry-run.jsonl'));
    const text = plain(screen(r));
    assert.match(text, /✗ lb1: haproxy -c rejected the new configuration/);
    assert.match(text, /command failed: haproxy -c -f '\/etc\/haproxy\/haproxy\.cfg\.amq-run-tmp'/);
    assert.match(text, /^\s+exit code 1$/m);
    assert.match(text, /stderr \(last 6 of 8 lines\):/);
    assert.match(text, /\[ALERT\] {4}\(4121\) : config : exiting with code 1\./);
    assert.match(text, /Fatal errors found in configuration/);
    assert.doesNotMatch(text, /haproxy version is 2\.8\.5/, 'only the tail of stderr');
  });

  it('the recap table has each host with its numbers, and the exit code', async () => {
    const { store, r } = mount(80);
    await play(store, recorded('ha-dry-run.jsonl'));
    assert.deepEqual(recapOf(screen(r)), {
      nfs1: [1, 0, 3, 0, 0, 0],
      broker1: [1, 0, 5, 1, 0, 0],
      broker2: [0, 0, 0, 0, 0, 1],
      lb1: [1, 0, 0, 0, 1, 0],
    });
    const text = plain(screen(r));
    assert.equal(text.trimEnd().split('\n').at(-1), 'exit code 3 (a host was unreachable) after 6.2s', 'the exit code is the last line');
    assert.doesNotMatch(text, /tasks .* elapsed/, 'the progress line gives way to the exit line');
  });

  it('the progress line counts tasks × hosts as they finish', async () => {
    const events = recorded('ha-dry-run.jsonl');
    const { store, r } = mount(80);
    await play(store, events.slice(0, events.findIndex((e) => e.type === 'play_end') + 1));
    assert.match(plain(screen(r)), /^3\/18 tasks\s+█{5}░{25}\s+\d+:\d\d elapsed$/m);
    await play(store, events.slice(0, events.length - 1).slice(events.findIndex((e) => e.type === 'play_end') + 1));
    assert.match(plain(screen(r)), /^18\/18 tasks\s+█{30}\s+\d+:\d\d elapsed$/m);
  });

  for (const columns of [80, 50]) {
    it(`at ${columns} columns no line of any frame is wider than the terminal`, async () => {
      const { store, r } = mount(columns);
      await play(store, recorded('ha-dry-run.jsonl'), true);
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
    await play(coloured.store, recorded('ha-dry-run.jsonl'));
    const withColour = screen(coloured.r)!;
    assert.ok(withColour.includes('\u001B['), 'colours are on');
    cleanup();
    chalk.level = 0;
    try {
      const bare = mount(80);
      await play(bare.store, recorded('ha-dry-run.jsonl'));
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

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineModule, type AnyModule } from '../../runner/src/modules/lib/define.js';
import { CheckFailed } from '../../runner/src/modules/lib/context.js';
import { change, ok } from '../../runner/src/modules/lib/plan.js';
import { masker } from '../../runner/src/engine/mask.js';
import { runPlaybook, type RunOptions } from '../../runner/src/engine/run.js';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { LocalTransport } from '../../runner/src/transport/local.js';
import { UnreachableError } from '../../runner/src/transport/transport.js';
import { q } from '../../runner/src/transport/quote.js';

// Small modules of the test's own, so the engine is tested apart from the real catalog.
let concurrent = 0;
let maxConcurrent = 0;
const put = defineModule({
  name: 'put',
  summary: 'a file with content (test module)',
  docs: 'test module: a file with exact content',
  params: {
    path: { type: 'path', required: true, description: 'path' },
    content: { type: 'string', required: true, description: 'content' },
  },
  examples: '- name: x\n  put: { path: /tmp/x, content: y }\n',
  async check(ctx, p) {
    concurrent++;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    try {
      await new Promise((r) => setTimeout(r, 5));
      const before = await ctx.read(p.path);
      return before === p.content ? ok('already there') : change(`write ${p.path}`, { kind: 'file', path: p.path, before, after: p.content });
    } finally {
      concurrent--;
    }
  },
});
const touch = defineModule({
  name: 'touch',
  summary: 'a command that creates a file (test module)',
  docs: 'test module: runs touch unless the file exists',
  params: { path: { type: 'path', required: true, description: 'path' } },
  examples: '- name: x\n  touch: { path: /tmp/x }\n',
  async check(ctx, p) {
    return (await ctx.stat(p.path)) ? ok('exists') : change(`touch ${p.path}`, { kind: 'command', cmd: `echo created > ${q(p.path)}`, creates: [p.path] });
  },
});
const fail = defineModule({
  name: 'fail',
  summary: 'fails (test module)',
  docs: 'test module: fails in check or in apply',
  params: { how: { type: 'string', required: true, choices: ['check', 'apply', 'sneak'], description: 'where it fails' } },
  examples: '- name: x\n  fail: { how: check }\n',
  async check(ctx, p) {
    if (p.how === 'check') throw new CheckFailed('the host is not in a state this module accepts');
    if (p.how === 'sneak') {
      await (ctx as unknown as { run(c: string): Promise<unknown> }).run('true');
      return ok('read-only command allowed');
    }
    return change('run a failing command', { kind: 'command', cmd: "echo 'boom on stderr' >&2; exit 7" });
  },
});
const catalog = new Map<string, AnyModule>([put, touch, fail].map((m) => [m.name, m as AnyModule]));

let dir: string;
const inventory = () => `inventory:\n  hosts:\n    h1: { connection: local }\n    h2: { connection: local }\n    h3: { connection: local }\n  groups:\n    web: { hosts: [h1, h2, h3] }\n`;

async function run(body: string, opts: Partial<RunOptions> = {}, connect?: (h: string) => Promise<LocalTransport>) {
  const text = `name: engine test\n${inventory()}secrets:\n  token: { env: ENGINE_TEST_TOKEN }\nvars:\n  d: ${JSON.stringify(dir)}\n${body}`;
  const a = analyze(text, { catalog, secret: () => 's3cr3t-value' });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const events: RunEvent[] = [];
  const code = await runPlaybook(
    a,
    { dryRun: false, selection: {}, playbookName: 'engine test', playbookDir: dir, stop: new AbortController().signal, mask: masker(['s3cr3t-value']), catalog, ...opts },
    { connect: connect ?? (async (h) => new LocalTransport(h)), emit: (e) => events.push(e) },
  );
  return { code, events, results: events.filter((e): e is Extract<RunEvent, { type: 'task_result' | 'handler_result' }> => e.type === 'task_result' || e.type === 'handler_result') };
}

const statusOf = (r: Awaited<ReturnType<typeof run>>, name: string) =>
  r.results.filter((e) => (e.type === 'task_result' ? e.task : e.handler) === name).map((e) => `${e.host}:${e.status}`);

function snapshot(root: string): string {
  const h = createHash('sha256');
  const walk = (p: string) => {
    for (const f of readdirSync(p).sort()) {
      const full = join(p, f);
      const st = statSync(full);
      h.update(`${full}|${st.mode}|${st.isDirectory() ? '' : readFileSync(full, 'utf8')}\n`);
      if (st.isDirectory()) walk(full);
    }
  };
  walk(root);
  return h.digest('hex');
}

describe('engine', () => {
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-engine-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const twoTasks = `plays:
  - name: p
    hosts: web
    tasks:
      - name: write a
        put: { path: "{{ d }}/{{ host.name }}.a", content: "a\\n" }
        notify: h
      - name: write b
        put: { path: "{{ d }}/{{ host.name }}.b", content: "b\\n" }
    handlers:
      - name: h
        put: { path: "{{ d }}/{{ host.name }}.handled", content: "x" }
`;

  it('applies changes, runs notified handlers once, and a second run changes nothing', async () => {
    const first = await run(twoTasks);
    assert.equal(first.code, 0);
    assert.deepEqual(statusOf(first, 'write a'), ['h1:changed', 'h2:changed', 'h3:changed'].filter((s) => statusOf(first, 'write a').includes(s)));
    assert.equal(statusOf(first, 'write a').length, 3);
    assert.equal(readFileSync(join(dir, 'h2.a'), 'utf8'), 'a\n');
    assert.deepEqual(statusOf(first, 'h').sort(), ['h1:changed', 'h2:changed', 'h3:changed']);
    const second = await run(twoTasks);
    assert.equal(second.code, 0);
    assert.ok(second.results.every((e) => e.status === 'ok'), 'all ok');
    assert.deepEqual(statusOf(second, 'h'), [], 'no handler without a change');
    const end = second.events.at(-1) as Extract<RunEvent, { type: 'run_end' }>;
    assert.deepEqual(end.recap.h1, { ok: 2, changed: 0, would_change: 0, would_fail: 0, skipped: 0, failed: 0, unreachable: 0 });
  });

  it('a dry-run writes nothing, predicts the real run, and later checks see earlier planned files', async () => {
    const body = `plays:
  - name: p
    hosts: h1
    tasks:
      - name: write
        put: { path: "{{ d }}/f", content: "new\\n" }
      - name: write again
        put: { path: "{{ d }}/f", content: "new\\n" }
      - name: make with a command
        touch: { path: "{{ d }}/made" }
      - name: depends on the command
        put: { path: "{{ d }}/made", content: "z" }
`;
    writeFileSync(join(dir, 'f'), 'old\n');
    const before = snapshot(dir);
    const dry = await run(body, { dryRun: true });
    assert.equal(snapshot(dir), before, 'every byte as it was');
    assert.equal(dry.code, 0);
    assert.deepEqual(statusOf(dry, 'write'), ['h1:would_change']);
    assert.deepEqual(statusOf(dry, 'write again'), ['h1:ok'], 'sees what the first task would write');
    const dep = dry.results.find((e) => e.type === 'task_result' && e.task === 'depends on the command')!;
    assert.equal(dep.status, 'would_change');
    assert.equal(dep.unknown, true);
    assert.match(dep.message, /depends on what an earlier step does/);
    const diff = dry.results.find((e) => e.type === 'task_result' && e.task === 'write')!.diff!;
    assert.match(diff, /^-old$/m);
    assert.match(diff, /^\+new$/m);
    const cmd = dry.results.find((e) => e.type === 'task_result' && e.task === 'make with a command')!;
    assert.match(cmd.commands![0], /^echo created > /);
    const detailed = await run(body, { dryRun: true, detailedExitcode: true });
    assert.equal(detailed.code, 10);
    const real = await run(body);
    const wouldSet = dry.results.filter((e) => e.status === 'would_change').map((e) => e.type === 'task_result' && e.task);
    const changedSet = real.results.filter((e) => e.status === 'changed').map((e) => e.type === 'task_result' && e.task);
    assert.deepEqual(changedSet, wouldSet);
  });

  it('the dry-run transport refuses changing commands even if a module tried', async () => {
    const lt = new LocalTransport('h1');
    const { DryRunTransport } = await import('../../runner/src/transport/dry-run.js');
    await assert.rejects(new DryRunTransport(lt).exec(`touch ${q(join(dir, 'x'))}`), /dry-run: refused/);
    assert.equal(existsSync(join(dir, 'x')), false);
    await lt.close();
  });

  it('when false skips; tags, skip-tags, start-at and limit select', async () => {
    const body = `vars: { d: ${JSON.stringify(dir)}, on: false }
plays:
  - name: p
    hosts: web
    tasks:
      - name: one
        put: { path: "{{ d }}/{{ host.name }}.1", content: "1" }
        tags: [first]
      - name: two
        put: { path: "{{ d }}/{{ host.name }}.2", content: "2" }
        when: "{{ on }}"
      - name: three
        put: { path: "{{ d }}/{{ host.name }}.3", content: "3" }
        tags: [last]
`.replace(/^vars:.*\n/, '');
    const r = await run(body.replace('when: "{{ on }}"', 'when: false'));
    assert.deepEqual(statusOf(r, 'two').map((s) => s.split(':')[1]), ['skipped', 'skipped', 'skipped']);
    rmSync(dir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'amq-engine-'));
    const tagged = await run(body.replace('when: "{{ on }}"', 'when: true'), { selection: { tags: ['last'], limit: 'h1,h2' } });
    assert.deepEqual(tagged.results.map((e) => `${(e as { task: string }).task}@${e.host}`).sort(), ['three@h1', 'three@h2']);
    const skip = await run(body.replace('when: "{{ on }}"', 'when: true'), { selection: { skipTags: ['first'], limit: '!h3', startAt: 'two' } });
    assert.deepEqual([...new Set(skip.results.map((e) => (e as { task: string }).task))], ['two', 'three']);
  });

  it('a failed task stops that host, the others go on; exit 2; ignore_errors goes on', async () => {
    const body2 = `plays:
  - name: p
    hosts: web
    tasks:
      - name: breaks
        fail: { how: apply }
        ignore_errors: true
      - name: after ignored
        put: { path: "{{ d }}/{{ host.name }}", content: "x" }
      - name: breaks hard
        fail: { how: apply }
      - name: never reached
        put: { path: "{{ d }}/{{ host.name }}.never", content: "x" }
`;
    const r = await run(body2);
    assert.equal(r.code, 2);
    const failed = r.results.find((e) => e.status === 'failed')!;
    assert.equal(failed.failure!.exit_code, 7);
    assert.equal(failed.failure!.stderr, 'boom on stderr');
    assert.match(failed.message, /\(ignored\)$/);
    assert.equal(statusOf(r, 'after ignored').length, 3);
    assert.deepEqual(statusOf(r, 'never reached'), []);
  });

  it('serial: 1 runs all tasks and handlers of one host before the next; forks bounds parallel work', async () => {
    const body = twoTasks.replace('hosts: web', 'hosts: web\n    serial: 1');
    const r = await run(body);
    const order = r.results.map((e) => e.host);
    assert.deepEqual(order, ['h1', 'h1', 'h1', 'h2', 'h2', 'h2', 'h3', 'h3', 'h3']);
    maxConcurrent = 0;
    await run(twoTasks.replace(/content: "a\\n"/, 'content: "A"'), { forks: 1 });
    assert.equal(maxConcurrent, 1);
    maxConcurrent = 0;
    await run(twoTasks.replace(/content: "a\\n"/, 'content: "B"'));
    assert.equal(maxConcurrent, 3);
  });

  it('--step: no skips a task, yes applies, quit stops cleanly with exit 130', async () => {
    const answers = ['no', 'yes', 'quit'] as const;
    const asked: string[] = [];
    const body = `plays:
  - name: p
    hosts: h1
    tasks:
      - name: first
        put: { path: "{{ d }}/1", content: "1" }
      - name: second
        put: { path: "{{ d }}/2", content: "2" }
      - name: third
        put: { path: "{{ d }}/3", content: "3" }
      - name: fourth
        put: { path: "{{ d }}/4", content: "4" }
`;
    const r = await run(body, {
      ask: async (qq) => {
        asked.push(`${qq.task}:${qq.plans.map((p) => p.diff ? 'diff' : 'nodiff').join()}`);
        return answers[asked.length - 1];
      },
    });
    assert.deepEqual(asked, ['first:diff', 'second:diff', 'third:diff']);
    assert.equal(existsSync(join(dir, '1')), false);
    assert.equal(readFileSync(join(dir, '2'), 'utf8'), '2');
    assert.equal(existsSync(join(dir, '3')), false);
    assert.equal(existsSync(join(dir, '4')), false);
    assert.equal(r.code, 130);
    assert.ok(r.events.some((e) => e.type === 'interrupted'));
    assert.equal(r.events.at(-1)!.type, 'run_end');
  });

  it('a stop request ends the run after the running task with exit 130', async () => {
    const stop = new AbortController();
    const events: string[] = [];
    const text = `name: t\n${inventory()}vars: { d: ${JSON.stringify(dir)} }\n${twoTasks}`;
    const a = analyze(text, { catalog });
    const code = await runPlaybook(
      a,
      { dryRun: false, selection: {}, playbookName: 't', playbookDir: dir, stop: stop.signal, mask: (v) => v, catalog },
      {
        connect: async (h) => new LocalTransport(h),
        emit: (e) => {
          events.push(e.type);
          if (e.type === 'task_start') stop.abort();
        },
      },
    );
    assert.equal(code, 130);
    assert.equal(events.filter((t) => t === 'task_start').length, 1);
    assert.ok(events.includes('interrupted'));
  });

  it('secrets are masked in messages and diffs', async () => {
    const body = `plays:
  - name: p
    hosts: h1
    tasks:
      - name: secret file
        put: { path: "{{ d }}/secret", content: "password={{ token }}\\n" }
`;
    const dry = await run(body, { dryRun: true });
    const text = JSON.stringify(dry.events);
    assert.ok(!text.includes('s3cr3t-value'));
    assert.match(dry.results[0].diff!, /^\+password=\*{6}$/m);
    await run(body);
    assert.equal(readFileSync(join(dir, 'secret'), 'utf8'), 'password=s3cr3t-value\n');
  });

  it('an unreachable host is reported, the others finish, exit 3', async () => {
    const r = await run(twoTasks, {}, async (h) => {
      if (h === 'h2') throw new UnreachableError(h, 'h2: connection refused');
      return new LocalTransport(h);
    });
    assert.equal(r.code, 3);
    assert.deepEqual(statusOf(r, 'write a').sort(), ['h1:changed', 'h2:unreachable', 'h3:changed']);
    assert.deepEqual(statusOf(r, 'write b').sort(), ['h1:changed', 'h3:changed']);
  });

  it('files are replaced atomically, keeping mode; a failed check of the new content keeps the old file', async () => {
    const { applyPlan } = await import('../../runner/src/engine/apply.js');
    const p = join(dir, 'conf');
    writeFileSync(p, 'old\n', { mode: 0o640 });
    const t = new LocalTransport('h1');
    await applyPlan(t, change('x', { kind: 'file', path: p, before: 'old\n', after: 'new\n' }), false);
    assert.equal(readFileSync(p, 'utf8'), 'new\n');
    assert.equal(statSync(p).mode & 0o777, 0o640);
    await assert.rejects(applyPlan(t, change('x', { kind: 'file', path: p, before: 'new\n', after: 'bad\n', validate: 'grep -q good %s' }), false), /failed its check \(grep -q good %s\); the old file is kept/);
    assert.equal(readFileSync(p, 'utf8'), 'new\n');
    assert.deepEqual(readdirSync(dir), ['conf'], 'no temp file left');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7) % 256));
    await applyPlan(t, change('x', { kind: 'upload', path: join(dir, 'blob'), data: bytes, sha256: '', before: null, mode: '0600' }), false);
    assert.ok(readFileSync(join(dir, 'blob')).equals(bytes), 'bytes arrive unchanged');
    assert.equal(statSync(join(dir, 'blob')).mode & 0o777, 0o600);
    await t.close();
  });
});

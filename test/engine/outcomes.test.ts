import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../runner/src/engine/exit-codes.js';
import { masker } from '../../runner/src/engine/mask.js';
import { runPlaybook, type RunOptions } from '../../runner/src/engine/run.js';
import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { LocalTransport } from '../../runner/src/transport/local.js';

let dir: string;

async function run(tasks: string, opts: Partial<RunOptions> = {}, secrets: Record<string, string> = {}, vars = '') {
  const secretDefs = Object.keys(secrets).map((k) => `  ${k}: { env: OUTCOMES_${k.toUpperCase()} }\n`).join('');
  const text = `name: outcomes\ninventory:\n  hosts:\n    h1: { connection: local }\n${secretDefs ? `secrets:\n${secretDefs}` : ''}vars:\n  d: ${JSON.stringify(dir)}\n${vars}plays:\n  - name: p\n    hosts: h1\n    tasks:\n${tasks}`;
  const a = analyze(text, { secret: (n) => secrets[n] ?? '' });
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), [], text);
  const events: RunEvent[] = [];
  const transports: LocalTransport[] = [];
  const code = await runPlaybook(
    a,
    { dryRun: false, selection: {}, playbookName: 'outcomes', playbookDir: dir, stop: new AbortController().signal, mask: masker(Object.values(secrets)), ...opts },
    {
      connect: async (h) => {
        const t = new LocalTransport(h);
        transports.push(t);
        return t;
      },
      emit: (e) => {
        events.push(e);
        onEvent?.(e);
      },
    },
  );
  const results = events.filter((e): e is TaskResultEvent => e.type === 'task_result' || e.type === 'handler_result');
  return { code, events, results, byTask: (name: string) => results.find((r) => r.type === 'task_result' && r.task === name) };
}
let onEvent: ((e: RunEvent) => void) | undefined;

describe('engine outcomes', function () {
  this.timeout(60_000);
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-outcomes-'));
    onEvent = undefined;
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a dry-run failure that is certain is would_fail with its reason: the host stops there, exit 2, and the real run fails alike', async () => {
    const tasks = `      - name: into a missing directory
        file: { path: "{{ d }}/missing/a.conf", content: "x" }
      - name: later
        file: { path: "{{ d }}/b.conf", content: "y" }
`;
    const dry = await run(tasks, { dryRun: true });
    assert.equal(dry.code, EXIT.taskFailed);
    assert.equal(dry.byTask('into a missing directory')!.status, 'would_fail');
    assert.match(dry.byTask('into a missing directory')!.message, /the directory .*\/missing does not exist/);
    assert.equal(dry.byTask('later'), undefined, 'a host that would fail goes no further');
    const end = dry.events.at(-1) as Extract<RunEvent, { type: 'run_end' }>;
    assert.equal(end.recap.h1!.would_fail, 1);
    const real = await run(tasks);
    assert.equal(real.code, EXIT.taskFailed);
    assert.deepEqual([real.byTask('into a missing directory')!.status, real.byTask('into a missing directory')!.message], ['failed', dry.byTask('into a missing directory')!.message]);
  });

  it('after a free-form command a failing check is unknown, saying which command; after a module\'s own declared command it is still would_fail', async () => {
    const after = (first: string) => `${first}      - name: the write
        file: { path: "{{ d }}/missing/a.conf", content: "x" }
`;
    const freeForm = await run(after(`      - name: anything
        command: { cmd: "true" }
`), { dryRun: true });
    const w = freeForm.byTask('the write')!;
    assert.deepEqual([w.status, w.unknown, w.unknown_reason], ['would_change', true, 'an earlier command (true) may change what this check found']);
    const declared = await run(after(`      - name: export
        nfs_export: { path: /srv/x, file: "{{ d }}/exports", reload: "true" }
`), { dryRun: true });
    assert.equal(declared.byTask('export')!.status, 'would_change');
    assert.equal(declared.byTask('the write')!.status, 'would_fail', 'a reload changes nothing a later check reads');
  });

  it('a failing command: stdout and stderr apart, the command that ran, never an internal operation', async () => {
    const r = await run(`      - name: noisy
        command: { cmd: "echo out-1; echo err-1 >&2; echo out-2; exit 3" }
`);
    const f = r.byTask('noisy')!.failure!;
    assert.deepEqual(f, { cmd: 'echo out-1; echo err-1 >&2; echo out-2; exit 3', exit_code: 3, stdout: 'out-1\nout-2', stderr: 'err-1' });
    assert.equal(r.byTask('noisy')!.message, 'echo out-1; echo err-1 >&2; echo out-2; exit 3 exited with 3');
  });

  it('--verbose keeps every command each task ran, with its output, checks included', async () => {
    const r = await run(`      - name: say
        command: { cmd: "echo said; echo warned >&2" }
      - name: write
        file: { path: "{{ d }}/v.conf", content: "v" }
`, { verbose: true });
    const ran = r.byTask('say')!.ran!;
    assert.deepEqual(ran.at(-1), { cmd: 'echo said; echo warned >&2', exit_code: 0, stdout: 'said\n', stderr: 'warned\n' });
    const write = r.byTask('write')!.ran!.map((x) => x.cmd);
    assert.ok(write.some((c) => c.includes("LC_ALL=C stat -c '%F")), 'the check');
    assert.ok(write.some((c) => c.includes('mv -f -- "$t" "$p"')), 'the write');
    const quiet = await run(`      - name: say
        command: { cmd: "echo said" }
`);
    assert.equal(quiet.byTask('say')!.ran, undefined);
  });

  it('a value made from a secret by upper or lower is masked too; default and join keep it masked', async () => {
    const r = await run(`      - name: derived
        command: { cmd: "echo {{ token | upper }} {{ token | lower }} {{ parts | join('-') }} {{ unset | default(token) }}; exit 1" }
`, {}, { token: 'MiXeD-Secret-42' }, '  parts: ["{{ token }}", x]\n  unset: ~\n');
    const f = r.byTask('derived')!;
    const text = JSON.stringify(r.events);
    for (const form of ['MiXeD-Secret-42', 'MIXED-SECRET-42', 'mixed-secret-42']) assert.ok(!text.includes(form), form);
    assert.match(f.failure!.stdout, /^\*{6} \*{6} \*{6}-x \*{6}$/);
  });

  it("command env: the value reaches the command through the shell, never through any process's arguments", async () => {
    const secret = `s3cret-${randomBytes(6).toString('hex')}`;
    const seen: string[] = [];
    onEvent = (e) => {
      if (e.type === 'task_start') {
        const t0 = Date.now();
        const poll = () => {
          const r = spawnSync('sh', ['-c', 'cat /proc/[0-9]*/cmdline 2>/dev/null | tr "\\0" " "'], { encoding: 'utf8' });
          seen.push(r.stdout);
          if (Date.now() - t0 < 1500) setTimeout(poll, 100);
        };
        poll();
      }
    };
    const r = await run(`      - name: uses the token
        command:
          cmd: 'sleep 1; printf %s "$TOKEN" > "{{ d }}/got"'
          env: { TOKEN: "{{ token }}" }
`, {}, { token: secret });
    assert.equal(r.code, 0, JSON.stringify(r.results));
    assert.equal(spawnSync('cat', [join(dir, 'got')], { encoding: 'utf8' }).stdout, secret);
    assert.ok(seen.length > 3);
    assert.ok(!seen.some((s) => s.includes(secret)), 'the secret was on a process list');
    assert.ok(seen.some((s) => s.includes('sleep 1')), 'the command was seen running');
  });

  it('abort: the running command is stopped with its process group, the run ends with its recap, exit 130', async () => {
    const mark = `amq-abort-${randomBytes(4).toString('hex')}`;
    const aborter = new AbortController();
    const stopper = new AbortController();
    onEvent = (e) => {
      if (e.type === 'task_start' && e.task === 'long') {
        setTimeout(() => {
          stopper.abort();
          aborter.abort();
        }, 700);
      }
    };
    const t0 = Date.now();
    const r = await run(`      - name: long
        command: { cmd: "sh -c 'sleep 300; : ${mark}' & sleep 300" }
      - name: after
        file: { path: "{{ d }}/after", content: "x" }
`, { stop: stopper.signal, abort: aborter.signal });
    assert.equal(r.code, EXIT.interrupted);
    assert.ok(Date.now() - t0 < 10_000, 'within seconds');
    assert.equal(r.byTask('long')!.status, 'failed');
    assert.match(r.byTask('long')!.message, /^stopped by the abort: /);
    assert.equal(r.byTask('after'), undefined);
    assert.equal(existsSync(join(dir, 'after')), false);
    assert.deepEqual(r.events.filter((e) => e.type === 'interrupted').map((e) => (e as { message: string }).message), ['aborted: the commands that were running were stopped']);
    assert.equal(r.events.at(-1)!.type, 'run_end');
    const left = spawnSync('pgrep', ['-f', mark], { encoding: 'utf8' }).stdout.trim();
    assert.equal(left, '', 'nothing the run started keeps running');
  });
});

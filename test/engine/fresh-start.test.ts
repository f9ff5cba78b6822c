import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { masker } from '../../runner/src/engine/mask.js';
import { runPlaybook } from '../../runner/src/engine/run.js';
import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { LocalTransport } from '../../runner/src/transport/local.js';

/** A real process (sleep) run by the service module's command manager, on this machine. */
const playbook = (dir: string, lateChange: boolean) => `name: a service started once
inventory:
  hosts:
    h1: { connection: local }
vars:
  svc: { name: sleeper, manager: command, start: "sleep 300", pidfile: "${dir}/sleeper.pid" }
plays:
  - name: p
    hosts: h1
    tasks:
      - name: its configuration
        file: { path: "${dir}/conf", content: "v1\\n" }
        notify: restart it
      - name: it runs
        service: { name: "{{ svc.name }}", state: started, manager: command, start: "{{ svc.start }}", pidfile: "{{ svc.pidfile }}" }
      - name: a change after the start
        file: { path: "${dir}/late", content: "v2\\n" }
        when: ${lateChange}
        notify: restart it
    handlers:
      - name: restart it
        service: { name: "{{ svc.name }}", state: restarted, manager: command, start: "{{ svc.start }}", pidfile: "{{ svc.pidfile }}" }
`;

async function run(dir: string, lateChange: boolean, dryRun = false): Promise<TaskResultEvent[]> {
  const a = analyze(playbook(dir, lateChange), {});
  assert.deepEqual(a.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message), []);
  const events: RunEvent[] = [];
  const code = await runPlaybook(
    a,
    { dryRun, selection: {}, playbookName: 'fresh start', playbookDir: dir, stop: new AbortController().signal, mask: masker([]) },
    { connect: async (h) => new LocalTransport(h), emit: (e) => events.push(e) },
  );
  assert.equal(code, 0, JSON.stringify(events.filter((e) => e.type === 'task_result' || e.type === 'handler_result')));
  return events.filter((e): e is TaskResultEvent => e.type === 'task_result' || e.type === 'handler_result');
}

const handler = (r: TaskResultEvent[]) => r.find((e) => e.type === 'handler_result' && e.handler === 'restart it');
const pidOf = (dir: string) => readFileSync(join(dir, 'sleeper.pid'), 'utf8').trim();
const alive = (pid: string) => existsSync(`/proc/${pid}`);

describe('engine: a service the run just started is not restarted for changes made before the start', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'amq-fresh-'));
  });
  afterEach(() => {
    const pidfile = join(dir, 'sleeper.pid');
    if (existsSync(pidfile)) {
      try {
        process.kill(Number(readFileSync(pidfile, 'utf8').trim()), 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the restart handler says why it does not act; the dry-run says the same; the process is the one the start began', async () => {
    const dry = handler(await run(dir, false, true));
    assert.equal(dry?.status, 'ok');
    assert.match(dry!.message, /not restarted: 'it runs' started it after the changes that asked for this/);
    assert.equal(existsSync(join(dir, 'sleeper.pid')), false, 'the dry-run started nothing');

    const results = await run(dir, false);
    assert.equal(results.find((r) => r.type === 'task_result' && r.task === 'it runs')?.status, 'changed');
    assert.equal(handler(results)?.status, 'ok');
    assert.match(handler(results)!.message, /not restarted: 'it runs' started it/);
    const pid = pidOf(dir);
    assert.ok(alive(pid));
  });

  it('a change made after the start still restarts it: a new process', async () => {
    const results = await run(dir, true);
    assert.equal(handler(results)?.status, 'changed');
    assert.match(handler(results)!.message, /^restart sleeper/);
    assert.ok(alive(pidOf(dir)));
  });

  it('on a second run, nothing was started, so a notified restart acts as always', async () => {
    await run(dir, false);
    const first = pidOf(dir);
    rmSync(join(dir, 'conf'));
    const again = await run(dir, false);
    assert.equal(handler(again)?.status, 'changed');
    const second = pidOf(dir);
    assert.notEqual(second, first);
    assert.ok(alive(second));
  });
});

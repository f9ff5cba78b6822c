import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunEvent } from '../../runner/src/engine/events.js';
import { ROOT } from '../helpers/paths.js';

const DEMO = join(ROOT, 'out/lab/demo.js');
const leftovers = () => readdirSync(tmpdir()).filter((n) => n.startsWith('amq-runbook-demo-'));

/** The README's first command after set-up: a dry-run of ha.yaml on this machine. */
describe('npm run demo', function () {
  this.timeout(60_000);

  function demo(asNobody: boolean) {
    const cmd = asNobody ? ['runuser', '-u', 'nobody', '--', 'env', 'HOME=/tmp', process.execPath, DEMO, '--json'] : [process.execPath, DEMO, '--json'];
    const r = spawnSync(cmd[0], cmd.slice(1), { cwd: ROOT, encoding: 'utf8' });
    const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
    return { code: r.status, events, stderr: r.stderr };
  }

  for (const asNobody of [false, true]) {
    it(`dry-runs every play with a diff for each change, changes nothing, and cleans up${asNobody ? ' (as an ordinary user, without sudo)' : ''}`, () => {
      if (asNobody && process.getuid?.() !== 0) return assert.fail('this check needs root to switch to the user nobody');
      const before = leftovers();
      const r = demo(asNobody);
      assert.equal(r.code, 0, r.stderr);
      const results = r.events.filter((e): e is Extract<RunEvent, { type: 'task_result' }> => e.type === 'task_result');
      assert.deepEqual(results.filter((e) => e.status === 'failed' || e.status === 'unreachable' || e.status === 'changed'), []);
      const would = results.filter((e) => e.status === 'would_change');
      assert.ok(would.length >= 12, `${would.length} changes previewed`);
      const broker = would.find((e) => e.task === 'Configure the broker' && e.host === 'broker1')!;
      assert.match(broker.diff!, /^\+\s+brokerName="broker1"$/m);
      assert.ok(!JSON.stringify(r.events).includes('demo-only-password'), 'the demo password is masked');
      assert.deepEqual(leftovers(), before, 'the temporary root is gone');
    });
  }
});

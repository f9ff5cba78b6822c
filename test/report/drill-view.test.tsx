import assert from 'node:assert/strict';
import { cleanup, render } from 'ink-testing-library';
import type { DrillEvent } from '../../runner/src/cluster/drill-events.js';
import { drillLines } from '../../runner/src/report/drill-lines.js';
import { DrillView, type DrillFeed } from '../../runner/src/report/ink/drill/DrillView.js';

const EVENTS: DrillEvent[] = [
  { type: 'drill_start', playbook: 'playbooks/ha.yaml', dry_run: false, messages: 1000, queue: 'amq-run.drill.x', master: 'broker1', via: 'lb1 127.0.10.4:61613' },
  { type: 'drill_step', step: 'sending', ms: 900, message: 'sending 1000 persistent messages to amq-run.drill.x' },
  { type: 'drill_step', step: 'sending', ms: 1200, message: '100 sent', count: 100 },
  { type: 'drill_step', step: 'sending', ms: 1500, message: '900 sent', count: 900 },
  { type: 'drill_step', step: 'stop_sent', ms: 2000, message: 'stopping broker1: stop activemq' },
  { type: 'drill_result', takeover_ms: 1800, sent: 1000, received: 1000, lost: 0, duplicated: 0, old_master: 'broker1', new_master: 'broker2', old_master_role_after: 'slave', stop_to_new_master_ms: 2600, healthy_after: true, ok: true },
];

/** A feed the test pushes events into, as the drill does. */
function feed(): DrillFeed & { push(e: DrillEvent): void } {
  const events: DrillEvent[] = [];
  const fs = new Set<(e: DrillEvent[]) => void>();
  return {
    subscribe: (f) => {
      fs.add(f);
      f([...events]);
      return () => fs.delete(f);
    },
    push: (e) => {
      events.push(e);
      for (const f of fs) f([...events]);
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 30));

describe("the drill's live view and plain lines", () => {
  afterEach(() => cleanup());

  it('draws the timeline as events come, a progress count replacing its own last row, the verdict at the end', async () => {
    const f = feed();
    const view = render(<DrillView feed={f} />);
    for (const e of EVENTS.slice(0, 4)) f.push(e);
    await settle();
    let frame = (view.lastFrame() ?? '').replace(/\n(?! )/g, ' ');
    assert.match(frame, /DRILL on playbooks\/ha\.yaml: master broker1, 1000 messages/);
    assert.match(frame, /\+1\.5 s {2}900 sent/);
    assert.doesNotMatch(frame, /100 sent/, 'the count replaced its row');
    assert.match(frame, /…$/, 'still running');
    for (const e of EVENTS.slice(4)) f.push(e);
    await settle();
    frame = (view.lastFrame() ?? '').replace(/\n(?! )/g, ' ');
    assert.match(frame, /stopping broker1/);
    assert.match(frame, /PASSED: takeover 1800 ms \(2600 ms from the stop\); sent 1000, received 1000, lost 0, duplicated 0; broker2 is master, broker1 is slave; healthy after$/);
  });

  it('plain lines: a refusal with its problems, the dry-run steps numbered', () => {
    assert.deepEqual(drillLines({ type: 'drill_refused', message: 'the cluster is not healthy: the drill does not start', problems: ['no broker is master'] }), ['drill refused: the cluster is not healthy: the drill does not start', '  - no broker is master']);
    assert.deepEqual(drillLines({ type: 'drill_plan', steps: ['send', 'stop'] }), ['the drill would:', '  1. send', '  2. stop']);
  });
});

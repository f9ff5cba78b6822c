import assert from 'node:assert/strict';
import { localLane, report, runCases } from './runner.js';

/** The seed of `npm test`: fixed, so a failure can be run again (npm run differential -- 1000 SEED). */
const SEED = 20261203;
const CASES = 1000;

describe('differential: what the dry-run says is what the run does (random runbooks, local transport)', function () {
  this.timeout(180_000);

  it(`${CASES} random runbooks on random starting states: every result of the dry-run is what the real run did`, async () => {
    process.env.AMQ_DIFF_PW ??= 'diff-pw-Secret1';
    const s = await runCases({ seed: SEED, count: CASES, lanes: 4, makeLane: () => localLane(), endLane: (l) => (l as Awaited<ReturnType<typeof localLane>>).end() });
    const lines = report(s);
    console.log(`      ${lines[0]}`);
    assert.equal(s.cases, CASES);
    assert.ok(s.compared > CASES, 'the cases had results to compare');
    assert.deepEqual(s.failures.map((f) => f.index), [], lines.join('\n'));
  });
});

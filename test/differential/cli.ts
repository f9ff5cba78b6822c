/**
 * The differential test for as long as you like: `npm run differential -- [COUNT] [SEED] [LANES]`
 * (defaults: 20,000 cases, a random seed, 4 lanes). Exit 1 when a case has a mismatch.
 */
import { localLane, report, runCases } from './runner.js';

const [count = '20000', seedArg, lanes = '4'] = process.argv.slice(2);
const seed = seedArg !== undefined ? Number(seedArg) : Math.floor(Math.random() * 2 ** 31);
console.log(`seed ${seed}: ${count} cases in ${lanes} lanes`);
const summary = await runCases({
  seed,
  count: Number(count),
  lanes: Number(lanes),
  makeLane: () => localLane(),
  endLane: (lane) => (lane as Awaited<ReturnType<typeof localLane>>).end(),
  onCase: (i) => {
    if (i > 0 && i % 1000 === 0) console.log(`  ${i} cases`);
  },
});
for (const l of report(summary)) console.log(l);
process.exitCode = summary.failures.length ? 1 : 0;

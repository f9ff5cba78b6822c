import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { analyze } from '../../runner/src/runbook/analyze.js';
import { clearParseCache } from '../../runner/src/runbook/parse.js';
import { readText } from '../../runner/src/cli/load.js';
import { playbook } from '../helpers/paths.js';
import { mutate, pick, seeded } from '../helpers/random.js';

const RUNS = 10_000;
/** Not a speed goal (that is npm run bench:lsp): a guard against inputs that send the validator into a loop. */
const HANG_MS = 2_000;

describe('validator fuzz (fixed seed)', function () {
  this.timeout(300_000);

  it(`${RUNS} random mutations of the shipped playbooks: never throws, never hangs`, () => {
    const rand = seeded(20261124);
    const sources = ['ha.yaml', 'network.yaml', 'inventory.example.yaml'].map((f) => ({ path: playbook(f), text: readFileSync(playbook(f), 'utf8') }));
    const times: number[] = [];
    let withErrors = 0;
    // The first validations compile the validator's code: time it warm, as an editor runs it.
    for (const src of sources) for (let i = 0; i < 20; i++) analyze(mutate(src.text, seeded(i)), { path: src.path, readFile: readText });
    for (let i = 0; i < RUNS; i++) {
      const src = pick(rand, sources);
      let text = src.text;
      const edits = 1 + Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) text = mutate(text, rand);
      const run = () => {
        clearParseCache();
        const t0 = performance.now();
        const a = analyze(text, { path: src.path, readFile: readText });
        return { a, ms: performance.now() - t0 };
      };
      let got: ReturnType<typeof run>;
      try {
        got = run();
        // A pause of the machine is not the validator being slow: a slow input is slow every time.
        for (let retry = 0; retry < 2 && got.ms >= HANG_MS; retry++) got = run();
      } catch (e) {
        assert.fail(`mutation ${i} of ${src.path} threw: ${(e as Error).stack}\n--- input ---\n${text}`);
      }
      assert.ok(got.ms < HANG_MS, `mutation ${i} took ${got.ms.toFixed(1)} ms\n--- input ---\n${text}`);
      for (const d of got.a.diagnostics) {
        assert.ok(d.span.start >= 0 && d.span.end >= d.span.start, `bad span in mutation ${i}`);
        assert.ok(d.message.length > 0);
      }
      if (got.a.diagnostics.length) withErrors++;
      times.push(got.ms);
    }
    // The mutations must exercise the error paths, not only produce valid files.
    assert.ok(withErrors > RUNS / 2, `${withErrors} of ${RUNS} mutations produced diagnostics`);
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(1);
    console.log(`      validation: median ${at(0.5)} ms, p99 ${at(0.99)} ms, slowest ${at(1)} ms; ${withErrors} of ${RUNS} mutations had diagnostics`);
  });
});

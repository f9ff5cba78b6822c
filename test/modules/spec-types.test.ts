import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';

/** Type-checks one fixture file against the project's compiler settings. */
function typecheck(which: 'mismatch' | 'match'): { code: number | null; out: string } {
  const tsc = join(ROOT, 'node_modules', '.bin', 'tsc');
  const r = spawnSync(tsc, ['-p', join(ROOT, `test/fixtures/typecheck/tsconfig.${which}.json`)], { encoding: 'utf8', cwd: ROOT });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('parameter types come from the specs', function () {
  this.timeout(60_000);

  it('a module that uses a parameter against its spec does not compile', () => {
    const r = typecheck('mismatch');
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.out, /spec-mismatch\.ts\(15,11\): error TS2322: Type 'string' is not assignable to type 'boolean'/);
  });

  it('the same module with spec and use in agreement compiles', () => {
    const r = typecheck('match');
    assert.equal(r.code, 0, r.out);
  });
});

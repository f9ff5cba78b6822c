import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { commandLine, runArgs } from '../../extension/src/command-line.js';
import { parseValidateOutput } from '../../extension/src/validate-output.js';
import { AMQ_RUN, fixture, ROOT } from '../helpers/paths.js';

describe("the extension's runner arguments", () => {
  const s = { inventory: 'inv.yaml', extraVars: [], extraArgs: ['--limit', 'brokers', '-e', 'demo_root=/tmp/x', '--extra-vars=a=1'] };

  it('run, dry-run and one play get every extra argument; validate only the variables', () => {
    assert.deepEqual(runArgs('run', '/p/ha.yaml', s), ['/p/ha.yaml', '-i', 'inv.yaml', '--limit', 'brokers', '-e', 'demo_root=/tmp/x', '--extra-vars=a=1']);
    assert.deepEqual(runArgs('dry-run', '/p/ha.yaml', s, 'HAProxy in front'), ['/p/ha.yaml', '-i', 'inv.yaml', '--dry-run', '--play', 'HAProxy in front', '--limit', 'brokers', '-e', 'demo_root=/tmp/x', '--extra-vars=a=1']);
    assert.deepEqual(runArgs('validate', '/p/ha.yaml', s), ['validate', '/p/ha.yaml', '-i', 'inv.yaml', '-e', 'demo_root=/tmp/x', '--extra-vars=a=1']);
    assert.deepEqual(runArgs('validate', '/p/ha.yaml', { inventory: ' ', extraVars: [], extraArgs: [] }), ['validate', '/p/ha.yaml']);
  });

  it('the terminal line quotes every word for the shell', () => {
    assert.equal(
      commandLine(['/opt/My Editor/code', '/ext/dist/runner.mjs'], ['/w/it\'s.yaml', '--play', 'a $(b)']),
      `'/opt/My Editor/code' /ext/dist/runner.mjs '/w/it'\\''s.yaml' --play 'a $(b)'`,
    );
  });

  it("reads validate's real output into findings with absolute paths", () => {
    const r = spawnSync(process.execPath, [AMQ_RUN, 'validate', 'test/fixtures/invalid/11-unknown-module-near.yaml'], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 4);
    assert.deepEqual(parseValidateOutput(r.stdout, ROOT), [
      { file: fixture('invalid', '11-unknown-module-near.yaml'), line: 9, column: 9, severity: 'error', message: "unknown module 'nfs_exprt' (did you mean 'nfs_export'?)" },
    ]);
    assert.deepEqual(parseValidateOutput('1 error, 0 warnings\n/abs/x.yaml:2:3: warning: w\n', join(ROOT, 'sub')), [{ file: '/abs/x.yaml', line: 2, column: 3, severity: 'warning', message: 'w' }]);
  });
});

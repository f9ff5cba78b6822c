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

  it('Cluster status runs amq-run status, and a dry-run saved as a plan amq-run plan -o, each with the variables only', () => {
    assert.deepEqual(runArgs('status', '/p/ha.yaml', s), ['status', '/p/ha.yaml', '-i', 'inv.yaml', '-e', 'demo_root=/tmp/x', '--extra-vars=a=1']);
    assert.deepEqual(runArgs('plan', '/p/ha.yaml', s, undefined, ['-o', '/p/plan.json', '--json']), ['plan', '/p/ha.yaml', '-i', 'inv.yaml', '-e', 'demo_root=/tmp/x', '--extra-vars=a=1', '-o', '/p/plan.json', '--json']);
    for (const kind of ['status', 'plan'] as const) {
      const r = spawnSync(process.execPath, [AMQ_RUN, kind, '--help'], { cwd: ROOT, encoding: 'utf8' });
      assert.equal(r.status, 0, `amq-run ${kind} --help`);
      for (const flag of ['-i, --inventory', '-e, --extra-vars']) assert.ok(r.stdout.includes(flag), `amq-run ${kind} takes ${flag}`);
    }
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

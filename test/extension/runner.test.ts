import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { resolveRunner, type RunnerContext } from '../../extension/src/runner.js';
import { pickRuntime } from '../../extension/src/runtime.js';
import { atLeast, minimumOf } from '../../extension/src/versions.js';
import { AMQ_RUN, ROOT } from '../helpers/paths.js';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; engines: { node: string } };

describe('which runner the extension starts', function () {
  this.timeout(30_000);
  let tmp: string;
  /** A folder holding one executable shell script. */
  function binWith(name: string, script: string): string {
    const dir = mkdtempSync(join(tmp, 'bin-'));
    writeFileSync(join(dir, name), `#!/bin/sh\n${script}\n`);
    chmodSync(join(dir, name), 0o755);
    return dir;
  }
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'amq-runner-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('compares versions and reads the manifest engines range', () => {
    assert.ok(atLeast('v20.19.0', '20.19'));
    assert.ok(atLeast('v22.1.0', '20.19'));
    assert.ok(!atLeast('v20.18.3', '20.19'));
    assert.ok(atLeast('0.1.0', '0.1.0') && atLeast('0.2.0', '0.1.0') && !atLeast('0.0.9', '0.1.0'));
    assert.ok(!atLeast('not a version', '0.1.0'));
    assert.equal(minimumOf(manifest.engines.node), '20.19');
    assert.throws(() => minimumOf('^20'), /not of the form >=X\.Y\.Z/);
  });

  describe('the bundled runner, on a Node that is there', () => {
    const context = (path: string): RunnerContext => ({ runnerPath: '', bundled: '/ext/dist/runner.mjs', version: manifest.version, minimumNode: '20.19', execPath: '/opt/editor/code', path });

    it('node on PATH when it is recent enough', async () => {
      const dir = mkdtempSync(join(tmp, 'real-'));
      symlinkSync(process.execPath, join(dir, 'node'));
      const r = await resolveRunner(context(dir));
      assert.ok('runner' in r);
      assert.deepEqual(r.runner.argv, [join(dir, 'node'), '/ext/dist/runner.mjs']);
      assert.deepEqual(r.runner.env, {});
    });

    it("the editor's own runtime, as plain Node, when node on PATH is too old or absent", async () => {
      for (const path of [binWith('node', 'echo v18.20.4'), mkdtempSync(join(tmp, 'empty-'))]) {
        const r = await resolveRunner(context(path));
        assert.ok('runner' in r);
        assert.deepEqual(r.runner.argv, ['/opt/editor/code', '/ext/dist/runner.mjs']);
        assert.deepEqual(r.runner.env, { ELECTRON_RUN_AS_NODE: '1' });
      }
    });

    it('the first node on PATH decides, as a shell would find it', async () => {
      const old = binWith('node', 'echo v16.0.0');
      const real = mkdtempSync(join(tmp, 'real-'));
      symlinkSync(process.execPath, join(real, 'node'));
      const rt = await pickRuntime({ path: [old, real].join(delimiter), minimum: '20.19', execPath: '/opt/editor/code' });
      assert.equal(rt.command, '/opt/editor/code');
      assert.match(rt.describe, /older than 20\.19/);
    });
  });

  describe('amqRunbook.runnerPath', () => {
    const context = (runnerPath: string): RunnerContext => ({ runnerPath, bundled: '/ext/dist/runner.mjs', version: manifest.version, minimumNode: '20.19', execPath: process.execPath, path: process.env.PATH });
    const problem = async (runnerPath: string) => {
      const r = await resolveRunner(context(runnerPath));
      assert.ok('problem' in r, `a problem for ${runnerPath}`);
      return r.problem;
    };

    it('a runner at least as new as the extension is used as configured', async () => {
      const r = await resolveRunner(context(`${process.execPath} ${AMQ_RUN}`));
      assert.ok('runner' in r);
      assert.deepEqual(r.runner.argv, [process.execPath, AMQ_RUN]);
      assert.match(r.runner.describe, new RegExp(`amq-run ${manifest.version.replace(/\./g, '\\.')}`));
    });

    it('a missing command or script: what to install, or to clear the setting', async () => {
      for (const missing of ['amq-run-not-installed', `${process.execPath} ${join(tmp, 'gone', 'amq-run.js')}`]) {
        const p = await problem(missing);
        assert.match(p, /^The runner ".+" \(setting amqRunbook\.runnerPath\) was not found\. Install it with "npm install -g amq-runbook@\d+\.\d+\.\d+", or clear the setting/);
      }
    });

    it('an older runner: its version, the extension version, how to update', async () => {
      const dir = binWith('amq-run', 'echo 0.0.9');
      const p = await problem(join(dir, 'amq-run'));
      assert.match(p, new RegExp(`is amq-run 0\\.0\\.9, older than this extension \\(${manifest.version.replace(/\./g, '\\.')}\\)\\. Update it with "npm install -g amq-runbook@`));
    });

    it('a runner from before --version existed (commander refuses the flag)', async () => {
      const dir = binWith('amq-run', "echo \"error: unknown option '--version'\" >&2; exit 1");
      assert.match(await problem(join(dir, 'amq-run')), /does not tell its version: it is older than this extension/);
    });
  });

});

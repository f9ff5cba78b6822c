import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { seedDemoRoot } from '../../lab/demo-root.js';
import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';
import { fileUri, LspClient } from '../helpers/lsp-client.js';
import { ROOT } from '../helpers/paths.js';

/** What `npm pack --json` says about the tarball. */
interface Packed {
  filename: string;
  size: number;
  unpackedSize: number;
  entryCount: number;
  files: { path: string; size: number }[];
}

/** The budget of the npm package (README, "Install"): what a user downloads and unpacks. */
const BUDGET = { packedBytes: 300_000, unpackedBytes: 1_000_000, files: 300 };

const ALLOWED = [
  /^package\.json$/,
  /^README\.md$/,
  /^LICENSE$/,
  /^bin\/amq-(run|lsp)\.js$/,
  /^out\/(runner|server)\/src\/.+\.js$/,
  /^playbooks\/[^/]+\.yaml$/,
  /^playbooks\/templates\/.+$/,
  /^playbooks\/files\/.+$/,
];
const REQUIRED = ['package.json', 'README.md', 'LICENSE', 'bin/amq-run.js', 'bin/amq-lsp.js', 'out/runner/src/cli.js', 'out/server/src/main.js', 'playbooks/ha.yaml', 'playbooks/network.yaml', 'playbooks/inventory.example.yaml', 'playbooks/local.inventory.yaml'];

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

/**
 * The environment of a user's shell: no npm script variables, no NODE_PATH, and nothing of this
 * repository on PATH, so nothing can be found through its node_modules.
 */
function userEnv(bin?: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && !['NODE_PATH', 'INIT_CWD', 'NODE_OPTIONS'].includes(k)));
  const path = (process.env.PATH ?? '').split(delimiter).filter((d) => d && !d.includes('node_modules') && !d.startsWith(ROOT));
  return { ...env, PATH: [...(bin ? [bin] : []), ...path].join(delimiter) };
}

describe('the npm package', function () {
  this.timeout(300_000);
  let tmp: string;
  let packed: Packed;

  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'amq-npm-'));
    const r = spawnSync('npm', ['pack', '--json', '--pack-destination', tmp], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(r.status, 0, `npm pack failed:\n${r.stderr}\n${r.stdout}`);
    packed = (JSON.parse(r.stdout.slice(r.stdout.indexOf('['))) as Packed[])[0];
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('holds the compiled JavaScript, the commands, the shipped playbooks, README and LICENSE; no tests, fixtures or TypeScript', () => {
    const paths = packed.files.map((f) => f.path).sort();
    assert.deepEqual(paths.filter((p) => !ALLOWED.some((re) => re.test(p))), [], 'files outside the allowed list');
    for (const p of REQUIRED) assert.ok(paths.includes(p), `${p} is in the package`);
    for (const p of paths) assert.doesNotMatch(p, /(^|\/)(test|fixtures|lab|bench|extension)\/|\.tsx?$|\.map$/);
    // Every compiled file has its source: nothing stale from a renamed or deleted module ships.
    const stale = paths.filter((p) => p.startsWith('out/') && !['.ts', '.tsx'].some((ext) => existsSync(join(ROOT, p.slice('out/'.length).replace(/\.js$/, ext)))));
    assert.deepEqual(stale, [], 'compiled files whose source is gone would ship: remove out/ and build again');
  });

  it(`stays within its budget: ${BUDGET.packedBytes / 1000} kB packed, ${BUDGET.unpackedBytes / 1000} kB unpacked, ${BUDGET.files} files`, () => {
    assert.ok(packed.size <= BUDGET.packedBytes, `${packed.size} bytes packed`);
    assert.ok(packed.unpackedSize <= BUDGET.unpackedBytes, `${packed.unpackedSize} bytes unpacked`);
    assert.ok(packed.entryCount <= BUDGET.files, `${packed.entryCount} files`);
  });

  describe('installed with npm install -g into an empty prefix, dependencies from the registry', () => {
    let prefix: string;
    let pkg: string;
    let env: NodeJS.ProcessEnv;
    let work: string;
    const sh = (cmd: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}) => spawnSync(cmd, args, { cwd: work, env: { ...env, ...extraEnv }, encoding: 'utf8' });

    before(() => {
      prefix = join(tmp, 'prefix');
      work = join(tmp, 'work');
      mkdirSync(work);
      const r = spawnSync('npm', ['install', '-g', '--prefix', prefix, '--no-audit', '--no-fund', join(tmp, packed.filename)], { cwd: work, env: userEnv(), encoding: 'utf8', timeout: 280_000 });
      assert.equal(r.status, 0, `npm install failed:\n${r.stderr}`);
      pkg = join(prefix, 'lib/node_modules/amq-runbook');
      env = userEnv(join(prefix, 'bin'));
    });

    it('puts amq-run and amq-lsp on PATH, with their dependencies inside the installed package', () => {
      for (const command of ['amq-run', 'amq-lsp']) assert.equal(sh('sh', ['-c', `command -v ${command}`]).stdout.trim(), join(prefix, 'bin', command));
      for (const dep of ['commander', 'ink', 'node-ssh', 'vscode-languageserver', 'yaml']) assert.ok(existsSync(join(pkg, 'node_modules', dep, 'package.json')), dep);
    });

    it('amq-run --version prints the version', () => {
      const r = sh('amq-run', ['--version']);
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${version}\n`);
    });

    it('amq-run validate passes a shipped playbook with 0 diagnostics', () => {
      for (const name of ['ha.yaml', 'network.yaml']) {
        const r = sh('amq-run', ['validate', join(pkg, 'playbooks', name)]);
        assert.equal(r.status, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /^ok: \d+ plays?, \d+ tasks, \d+ hosts, 0 warnings\n$/);
      }
    });

    it('a local dry-run of the shipped ha.yaml previews every play and changes nothing', () => {
      const root = join(tmp, 'demo-root');
      seedDemoRoot(root);
      const r = sh('amq-run', [join(pkg, 'playbooks/ha.yaml'), '-i', join(pkg, 'playbooks/local.inventory.yaml'), '--dry-run', '--json', '-e', `demo_root=${root}`], { AMQ_ADMIN_PASSWORD: 'npm-test-password' });
      assert.equal(r.status, 0, r.stderr);
      const events = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as RunEvent);
      const results = events.filter((e): e is Extract<TaskResultEvent, { type: 'task_result' }> => e.type === 'task_result');
      assert.deepEqual(results.filter((e) => ['failed', 'would_fail', 'unreachable', 'changed'].includes(e.status)).map((e) => `${e.task}@${e.host}`), []);
      assert.ok(results.filter((e) => e.status === 'would_change').length >= 12);
      assert.deepEqual(events.at(-1)?.type, 'run_end');
    });

    it('amq-run init finds the shipped playbooks next to the installed runner', () => {
      const r = sh('amq-run', ['init', 'my-cluster', '--brokers', '3']);
      assert.equal(r.status, 0, r.stderr);
      const v = spawnSync('amq-run', ['validate', 'ha.yaml'], { cwd: join(work, 'my-cluster'), env, encoding: 'utf8' });
      assert.equal(v.status, 0, v.stdout);
      assert.match(v.stdout, /^ok: 3 plays, \d+ tasks, 5 hosts, 0 warnings\n$/, 'three brokers, nfs1 and lb1');
    });

    it('amq-lsp --stdio answers initialize and publishes diagnostics', async () => {
      const client = await LspClient.start({ command: join(prefix, 'bin/amq-lsp'), args: ['--stdio'], env, cwd: work });
      try {
        assert.ok(client.capabilities.completionProvider, 'completion');
        assert.equal(client.capabilities.hoverProvider, true);
        const uri = fileUri(join(work, 'typo.runbook.yaml'));
        client.open(uri, 'name: t\ninventory: { hosts: { a: {} } }\nplays:\n  - name: p\n    hosts: a\n    tasks:\n      - name: x\n        nfs_exprt: { path: /d }\n', 'runbook');
        const published = await client.diagnostics(uri, (p) => p.diagnostics.length > 0, { timeoutMs: 20_000 });
        assert.match(published.diagnostics[0].message, /unknown module 'nfs_exprt'/);
      } finally {
        await client.stop();
      }
    });
  });
});

/**
 * `npm run bench:lsp`: latency of the language server measured with a real client over stdio, on a
 * generated 5,000-line runbook and on the shipped playbooks; and yaml-language-server (schema-driven)
 * on the same documents for comparison. A benchmark, not a test: it prints numbers and the goals.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalog } from '../runner/src/modules/index.js';
import { fileUri, LspClient, type Position } from '../test/helpers/lsp-client.js';
import { seeded } from '../test/helpers/random.js';
import { generateRunbook } from './generate.js';
import { fromStart, NODE_ALONE } from './lsp-startup.js';
import { runbookSchema } from './schema.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const YAML_LS = join(ROOT, 'node_modules', 'yaml-language-server', 'bin', 'yaml-language-server');

interface Doc {
  name: string;
  path: string;
  text: string;
}

function positionAt(text: string, offset: number): Position {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

function stats(ms: number[]): { median: number; p95: number; n: number } {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.ceil(q * s.length) - 1)] ?? NaN;
  return { median: at(0.5), p95: at(0.95), n: s.length };
}

const fmt = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'n/a');

/** Every match of `re` (with one group) as the offset of the group plus `delta`; evenly thinned to `max`. */
function offsets(text: string, re: RegExp, delta: number, max: number): number[] {
  const all = [...text.matchAll(re)].map((m) => m.index! + m[0].indexOf(m[1]) + delta);
  if (all.length <= max) return all;
  const step = all.length / max;
  return Array.from({ length: max }, (_, i) => all[Math.floor(i * step)]);
}

/** Completion places: parameter keys, task keys, values with allowed values, `hosts:`, `{{ }}` roots and members. */
function completionPoints(text: string, per: number): number[] {
  return [
    ...offsets(text, /^ {8,}(format|state|fstype|mode|path|conf|name): /gm, 2, per),
    ...offsets(text, /^ {8}(notify):/gm, 3, per),
    ...offsets(text, /(?:state|format|balance|manager): (\w)/g, 1, per),
    ...offsets(text, /^ {4}hosts: (\w)/gm, 1, per),
    ...offsets(text, /\{\{ ([a-z])/g, 1, per),
    ...offsets(text, /\{\{ hosts\.(\w)/g, 0, per),
  ];
}

function hoverPoints(text: string, per: number): number[] {
  const modules = [...catalog.keys()].join('|');
  return [
    ...offsets(text, new RegExp(`^ {8}(${modules}):`, 'gm'), 2, per),
    ...offsets(text, /^ {10}(path|src|conf|format|state|data_directory):/gm, 2, per),
    ...offsets(text, /\{\{ ([a-z_]+)/g, 2, per),
    ...offsets(text, /^ {4}hosts: (\w)/gm, 1, per),
  ];
}

async function timed<T>(f: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await f();
  return performance.now() - t0;
}

interface Measured {
  completion: number[];
  /** Completion right after an edit, before the edit's diagnostics. */
  typing: number[];
  hover: number[];
  edit: number[];
  open: number[];
  firstOpen?: number;
  /** From spawning the server to the diagnostics of the first open. */
  startToFirst?: number;
  peak?: number;
  rename: number[];
  tokens: number[];
  hints: number[];
}

async function measureOurs(doc: Doc, opts: { points: number; edits: number; opens: number }): Promise<Measured> {
  const started = performance.now();
  const client = await LspClient.start();
  const out: Measured = { completion: [], typing: [], hover: [], edit: [], open: [], rename: [], tokens: [], hints: [] };
  try {
    // Opens under fresh names: nothing of a previous parse is reused. The first one after the server
    // started is reported apart: it also pays for loading the language (after the early answer to
    // initialize) and compiling its code on a first large input; it is shown from process start too.
    for (let i = 0; i < opts.opens; i++) {
      const uri = fileUri(doc.path.replace(/\.yaml$/, `.open-${i}.yaml`));
      const ms = await timed(async () => {
        const got = client.diagnostics(uri);
        client.open(uri, doc.text);
        await got;
      });
      if (i === 0) {
        out.firstOpen = ms;
        out.startToFirst = performance.now() - started;
      }
      out.open.push(ms);
      client.close(uri);
    }
    const uri = fileUri(doc.path);
    const opened = client.diagnostics(uri);
    client.open(uri, doc.text);
    const first = await opened;
    if (first.diagnostics.length) console.log(`  (${doc.name} has ${first.diagnostics.length} diagnostics: ${first.diagnostics[0].message})`);
    const td = { uri };
    const cPoints = completionPoints(doc.text, opts.points);
    const hPoints = hoverPoints(doc.text, opts.points);
    for (const o of cPoints.slice(0, 10)) await client.request('textDocument/completion', { textDocument: td, position: positionAt(doc.text, o) });
    for (const o of cPoints) out.completion.push(await timed(() => client.request('textDocument/completion', { textDocument: td, position: positionAt(doc.text, o) })));
    for (const o of hPoints) out.hover.push(await timed(() => client.request('textDocument/hover', { textDocument: td, position: positionAt(doc.text, o) })));
    // As for completion: a few requests first, unmeasured, so that what is measured is not the first compilation.
    for (const o of renamePoints(doc.text, opts.points).slice(0, 5)) await client.request('textDocument/rename', { textDocument: td, position: positionAt(doc.text, o), newName: 'warm' }).catch(() => undefined);
    for (let i = 0; i < 5; i++) {
      await client.request('textDocument/semanticTokens/full', { textDocument: td });
      await client.request('textDocument/inlayHint', { textDocument: td, range: { start: { line: i * SCREEN, character: 0 }, end: { line: (i + 1) * SCREEN, character: 0 } } });
    }
    for (const o of renamePoints(doc.text, opts.points)) {
      // A refusal (a name the runner reads, say) is an answer too.
      const rename = () => client.request('textDocument/rename', { textDocument: td, position: positionAt(doc.text, o), newName: 'renamed_in_bench' }).catch((e: { code?: number }) => {
        if (e.code !== -32803) throw e;
      });
      out.rename.push(await timed(rename));
    }
    const edits = await editRounds(client, uri, doc.text, opts.edits, async () => {
      // After each settled edit, the colours and the hints of a screen, as an editor asks for them again.
      out.tokens.push(await timed(() => client.request('textDocument/semanticTokens/full', { textDocument: td })));
      const from = Math.floor(out.tokens.length * 7919) % Math.max(1, doc.text.split('\n').length - SCREEN);
      const range = { start: { line: from, character: 0 }, end: { line: from + SCREEN, character: 0 } };
      out.hints.push(await timed(() => client.request('textDocument/inlayHint', { textDocument: td, range })));
    });
    out.edit = edits.ms;
    out.typing = await typing(client, uri, doc.text, cPoints.slice(0, opts.points), edits.version);
    out.peak = await client.peakRss();
  } finally {
    await client.stop();
  }
  return out;
}

/** Lines an editor shows at once: inlay hints are asked for the visible range. */
const SCREEN = 60;

/** Rename places: variables in expressions, and variable keys. */
function renamePoints(text: string, per: number): number[] {
  return [...offsets(text, /\{\{ (?!(?:host|hosts|groups)\b)([a-z_]+)/g, 2, per), ...offsets(text, /^ {2,6}(?!(?:name|hosts|tasks|handlers|vars|become|serial)\b)([a-z_]+): /gm, 1, per)];
}

/**
 * Renames a module key (an error) and back, at places spread over the document; edit to diagnostics
 * of that version. `settled` runs after each.
 */
async function editRounds(client: LspClient, uri: string, text: string, rounds: number, settled: () => Promise<void> = async () => {}): Promise<{ ms: number[]; version: number }> {
  const modules = [...catalog.keys()].join('|');
  const keys = [...text.matchAll(new RegExp(`^ +(?:- )?(${modules}):`, 'gm'))].map((m) => m.index! + m[0].indexOf(m[1]) + m[1].length);
  const rand = seeded(5000);
  const out: number[] = [];
  let version = 1;
  for (let i = 0; i < rounds; i++) {
    const at = keys[Math.floor(rand() * keys.length)];
    const pos = positionAt(text, at);
    for (const change of [{ range: { start: pos, end: pos }, text: 'x' }, { range: { start: pos, end: { line: pos.line, character: pos.character + 1 } }, text: '' }]) {
      const v = ++version;
      out.push(
        await timed(async () => {
          const got = client.diagnostics(uri, (p) => p.version === v);
          client.change(uri, v, [change]);
          await got;
        }),
      );
      await settled();
    }
  }
  return { ms: out, version };
}

/** Types a character and asks for completion at once (the analysis is a version behind), then undoes it. */
async function typing(client: LspClient, uri: string, text: string, points: number[], version: number): Promise<number[]> {
  const out: number[] = [];
  for (const o of points) {
    const p = positionAt(text, o);
    client.change(uri, ++version, [{ range: { start: p, end: p }, text: 'a' }]);
    out.push(await timed(() => client.request('textDocument/completion', { textDocument: { uri }, position: { line: p.line, character: p.character + 1 } })));
    const v = ++version;
    const settled = client.diagnostics(uri, (x) => x.version === v);
    client.change(uri, v, [{ range: { start: p, end: { line: p.line, character: p.character + 1 } }, text: '' }]);
    await settled;
  }
  return out;
}

async function measureYamlLs(doc: Doc, schemaPath: string, points: number): Promise<{ completion: number[]; hover: number[]; rename: number[]; open: number; offers: string[] } | undefined> {
  const yamlSettings = { schemas: { [fileUri(schemaPath)]: ['*.yaml'] }, validate: true, completion: true, hover: true, format: { enable: false } };
  let client: LspClient;
  try {
    client = await LspClient.start({ args: [YAML_LS, '--stdio'], settings: yamlSettings });
  } catch (e) {
    console.log(`  yaml-language-server did not start: ${(e as Error).message}`);
    return undefined;
  }
  try {
    await client.rpc.sendNotification('workspace/didChangeConfiguration', { settings: { yaml: yamlSettings } });
    const uri = fileUri(doc.path);
    const open = await timed(async () => {
      const got = client.diagnostics(uri, () => true, { timeoutMs: 60_000 });
      client.open(uri, doc.text);
      await got;
    });
    const td = { uri };
    const cPoints = completionPoints(doc.text, points);
    const hPoints = hoverPoints(doc.text, points);
    for (const o of cPoints.slice(0, 10)) await client.request('textDocument/completion', { textDocument: td, position: positionAt(doc.text, o) });
    const completion: number[] = [];
    const hover: number[] = [];
    for (const o of cPoints) completion.push(await timed(() => client.request('textDocument/completion', { textDocument: td, position: positionAt(doc.text, o) })));
    for (const o of hPoints) hover.push(await timed(() => client.request('textDocument/hover', { textDocument: td, position: positionAt(doc.text, o) })));
    // Rename, where it offers it (YAML anchors), at the places ours is asked: a refusal is an answer too.
    const rename: number[] = [];
    if ('renameProvider' in client.capabilities) {
      for (const o of renamePoints(doc.text, points)) rename.push(await timed(() => client.request('textDocument/rename', { textDocument: td, position: positionAt(doc.text, o), newName: 'renamed_in_bench' }).catch(() => undefined)));
    }
    return { completion, hover, rename, open, offers: Object.keys(client.capabilities) };
  } finally {
    await client.stop();
  }
}

function line(label: string, ms: number[], goal?: number): string {
  const s = stats(ms);
  const verdict = goal === undefined ? '' : s.p95 < goal ? `  goal p95 < ${goal} ms: met` : `  goal p95 < ${goal} ms: MISSED`;
  return `  ${label.padEnd(22)} median ${fmt(s.median).padStart(9)}  p95 ${fmt(s.p95).padStart(9)}  (n=${s.n})${verdict}`;
}

/**
 * From process start to the answer of `initialize` (median of 9 starts, one after the other): node
 * answering a constant (what node itself costs here), amq-lsp, the bundled server of the .vsix, and
 * yaml-language-server; and to the diagnostics of a small runbook opened right after that answer.
 */
async function startup(dir: string): Promise<void> {
  const build = spawnSync(process.execPath, [join(ROOT, 'out', 'extension', 'build.js')], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`bundling the server failed: ${build.stderr}`);
  const small = { uri: fileUri(join(dir, 'small.yaml')), text: 'name: small\ninventory: inventory.example.yaml\nplays:\n  - name: p\n    hosts: brokers\n    tasks:\n      - name: t\n        command: { cmd: "echo {{ host.name }}" }\n' };
  const servers: [string, string[], boolean][] = [
    ['node answering a constant', NODE_ALONE, false],
    ['amq-lsp', [join(ROOT, 'out', 'server', 'src', 'main.js'), '--stdio'], true],
    ['bundled server (.vsix)', [join(ROOT, 'dist', 'server.mjs'), '--stdio'], true],
    ['yaml-language-server', [YAML_LS, '--stdio'], false],
  ];
  console.log(`initialize, from process start (median of 9; ${process.env.NODE_EXTRA_CA_CERTS ? 'NODE_EXTRA_CA_CERTS is set: node reads that file before any code runs' : 'NODE_EXTRA_CA_CERTS unset'})`);
  // One start of each in turn, nine times: a busy moment of the machine falls on all of them alike.
  const runs = servers.map(() => [] as { initialize: number; diagnostics?: number }[]);
  for (let i = 0; i < 9; i++) for (const [k, [, args, ours]] of servers.entries()) runs[k].push(await fromStart(process.execPath, args, ours ? small : undefined));
  for (const [k, [name, , ours]] of servers.entries()) {
    const init = stats(runs[k].map((r) => r.initialize));
    const verdict = ours ? (init.median < 150 ? '  goal median < 150 ms: met' : '  goal median < 150 ms: MISSED') : '';
    const diag = ours ? `; to the first diagnostics median ${fmt(stats(runs[k].map((r) => r.diagnostics!)).median)}` : '';
    console.log(`  ${name.padEnd(26)} median ${fmt(init.median).padStart(9)}  (min ${fmt(Math.min(...runs[k].map((r) => r.initialize)))})${diag}${verdict}`);
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'amq-lsp-bench-'));
  try {
    copyFileSync(join(ROOT, 'playbooks', 'inventory.example.yaml'), join(dir, 'inventory.example.yaml'));
    const bigText = generateRunbook(5000);
    const big: Doc = { name: `generated (${bigText.split('\n').length} lines)`, path: join(dir, 'generated.yaml'), text: bigText };
    writeFileSync(big.path, big.text);
    const schema = JSON.stringify(runbookSchema(catalog), null, 2);
    const schemaPath = join(ROOT, 'bench', 'runbook.schema.json');
    writeFileSync(`${schemaPath}.tmp`, schema);
    renameSync(`${schemaPath}.tmp`, schemaPath);
    const shipped: Doc[] = ['ha.yaml', 'network.yaml'].map((f) => {
      const path = join(ROOT, 'playbooks', f);
      return { name: f, path, text: readFileSync(path, 'utf8') };
    });

    await startup(dir);

    console.log(`\namq-lsp, real client over stdio (node ${process.version})`);
    const results: { doc: Doc; ours: Measured }[] = [];
    for (const doc of [big, ...shipped]) {
      const ours = await measureOurs(doc, { points: doc === big ? 30 : 12, edits: doc === big ? 40 : 20, opens: doc === big ? 9 : 6 });
      results.push({ doc, ours });
      const lines = doc.text.split('\n').length;
      console.log(`\n${doc.name}${doc === big ? '' : ` (${lines} lines)`}`);
      const goals = doc === big;
      console.log(line('completion', ours.completion, goals ? 10 : undefined));
      console.log(line('completion after edit', ours.typing, goals ? 10 : undefined));
      console.log(line('hover', ours.hover, goals ? 5 : undefined));
      console.log(line('edit to diagnostics', ours.edit, goals ? 100 : undefined));
      console.log(line('rename', ours.rename, goals ? 20 : undefined));
      console.log(line('semanticTokens/full', ours.tokens, goals ? 20 : undefined));
      console.log(line(`inlayHint (${SCREEN} lines)`, ours.hints, goals ? 20 : undefined));
      console.log(line('open to diagnostics', ours.open.slice(1), goals ? 200 : undefined));
      console.log(`  ${'first open after start'.padEnd(22)} ${fmt(ours.firstOpen ?? NaN).padStart(9)}  (from process start: ${fmt(ours.startToFirst ?? NaN)})`);
      if (ours.peak !== undefined) {
        const mib = ours.peak / 1024 / 1024;
        console.log(`  ${'peak memory (VmHWM)'.padEnd(22)} ${mib.toFixed(1)} MiB${goals ? (mib < 120 ? '  goal < 120 MiB: met' : '  goal < 120 MiB: MISSED') : ''}`);
      }
    }

    console.log(`\nyaml-language-server ${JSON.parse(readFileSync(join(ROOT, 'node_modules', 'yaml-language-server', 'package.json'), 'utf8')).version} with a JSON schema of the format (bench/runbook.schema.json)`);
    for (const { doc, ours } of results.slice(0, 2)) {
      const theirs = await measureYamlLs(doc, schemaPath, doc === big ? 30 : 12);
      if (!theirs) continue;
      console.log(`\n${doc.name}`);
      console.log(line('completion', theirs.completion));
      console.log(line('hover', theirs.hover));
      if (theirs.rename.length) console.log(line('rename (YAML anchors)', theirs.rename));
      for (const [label, capability] of [['rename', 'renameProvider'], ['semanticTokens/full', 'semanticTokensProvider'], ['inlayHint', 'inlayHintProvider']]) {
        if (!theirs.offers.includes(capability)) console.log(`  ${label.padEnd(22)} not offered (no ${capability} in its answer to initialize)`);
      }
      console.log(`  ${'open to diagnostics'.padEnd(22)} ${fmt(theirs.open)}`);
      const ratio = (a: number[], b: number[]) => {
        const x = stats(a);
        const y = stats(b);
        return `median ${(x.median / y.median).toFixed(1)}x, p95 ${(x.p95 / y.p95).toFixed(1)}x`;
      };
      console.log(`  ratio yaml-language-server / amq-lsp: completion ${ratio(theirs.completion, ours.completion)}; hover ${ratio(theirs.hover, ours.hover)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error((e as Error).stack ?? String(e));
  process.exitCode = 1;
});

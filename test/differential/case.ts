/**
 * One differential case: a random starting state under a root, a random runbook, its dry-run and
 * then its real run on the same hosts; the dry-run must have changed nothing and must have said
 * what the real run then did, task by task and host by host.
 */
import { chownSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent, TaskResultEvent } from '../../runner/src/engine/events.js';
import { masker } from '../../runner/src/engine/mask.js';
import { runPlaybook } from '../../runner/src/engine/run.js';
import { catalog } from '../../runner/src/modules/index.js';
import { typesOf, type ParamSpec } from '../../runner/src/modules/lib/params.js';
import { analyze, taskKey, type Analysis } from '../../runner/src/runbook/analyze.js';
import type { Transport } from '../../runner/src/transport/transport.js';
import { fixture } from '../helpers/paths.js';
import { treeChecksum } from '../helpers/tree.js';
import { CONTENTS, Gen, generateCase, HOSTS, runbookText, type GeneratedCase } from './generate.js';

export const PASSWORD = 'diff-pw-Secret1';
const STOCK_CONF = 'etc/activemq/instances-available/main';

/** Files, directories and owners a host's root starts with. */
export function seedRoot(g: Gen, root: string): void {
  mkdirSync(root, { recursive: true });
  const owners: [number, number][] = [[0, 0], [1, 1], [65534, 65534]];
  for (const d of ['a', 'b', 'a/sub', 'c', 'run', 'mnt', 'a/mnt']) {
    if (!g.chance(0.55)) continue;
    mkdirSync(join(root, d), { recursive: true, mode: g.pick([0o755, 0o700, 0o2775]) });
    if (g.chance(0.2)) chownSync(join(root, d), ...g.pick(owners));
  }
  for (const f of ['a/x.conf', 'a/y.conf', 'b/x.conf', 'a/sub/z.conf', 'c/w.conf']) {
    const path = join(root, f);
    if (!g.chance(0.5)) continue;
    mkdirSync(join(path, '..'), { recursive: true });
    if (g.chance(0.1)) mkdirSync(path);
    else writeFileSync(path, g.chance(0.6) ? g.pick(CONTENTS) : `something else ${g.int(0, 9)}\n`, { mode: g.pick([0o644, 0o600]) });
  }
  if (g.chance(0.6)) {
    const conf = join(root, STOCK_CONF);
    mkdirSync(conf, { recursive: true });
    if (g.chance(0.8)) copyFileSync(fixture('activemq', 'debian-main-activemq.xml'), join(conf, 'activemq.xml'));
    if (g.chance(0.6)) copyFileSync(fixture('activemq', 'jetty.xml'), join(conf, 'jetty.xml'));
  }
  if (g.chance(0.5)) {
    const share = join(root, 'usr', 'share', 'activemq');
    mkdirSync(share, { recursive: true });
    copyFileSync(fixture('activemq', 'debian-activemq-options'), join(share, 'activemq-options'));
  }
}

export interface Verdict {
  /** Problems: each names the task, the host, what the dry-run said and what happened. */
  mismatches: string[];
  /** Results compared, and how many of them the dry-run could not know (with the reason it gave). */
  compared: number;
  unknown: number;
}

const key = (r: TaskResultEvent) => `${r.type === 'task_result' ? r.task : `handler ${r.handler}`}@${r.host}`;

/**
 * What the dry-run promised against what happened. would_change ↔ changed, ok ↔ ok, skipped ↔
 * skipped, would_fail ↔ failed. A result the dry-run called unknown (saying why) may end any way;
 * when it ended in a failure, the dry-run's later results for that host had nothing to happen on.
 */
export function compare(dry: TaskResultEvent[], real: TaskResultEvent[]): Verdict {
  const out: Verdict = { mismatches: [], compared: 0, unknown: 0 };
  const expected: Record<string, string> = { would_change: 'changed', ok: 'ok', skipped: 'skipped', would_fail: 'failed' };
  const realBy = new Map(real.map((r) => [key(r), r]));
  const dryBy = new Map(dry.map((r) => [key(r), r]));
  const lostAfterUnknown = new Set<string>();
  for (const d of dry) {
    const k = key(d);
    out.compared++;
    if (d.unknown) {
      out.unknown++;
      if (!d.unknown_reason) out.mismatches.push(`${k}: unknown without saying why`);
      if (realBy.get(k)?.status === 'failed' || realBy.get(k) === undefined) lostAfterUnknown.add(d.host);
      continue;
    }
    const r = realBy.get(k);
    if (!r) {
      if (!lostAfterUnknown.has(d.host)) out.mismatches.push(`${k}: the dry-run said ${d.status} (${d.message}), the real run did not get there`);
      continue;
    }
    if (expected[d.status] !== r.status) out.mismatches.push(`${k}: the dry-run said ${d.status} (${d.message}), the real run ${r.status} (${r.message})`);
    else if (d.status === 'would_fail' && d.message !== r.message) out.mismatches.push(`${k}: would fail because "${d.message}", failed because "${r.message}"`);
  }
  for (const r of real) {
    if (!dryBy.has(key(r)) && !lostAfterUnknown.has(r.host)) out.mismatches.push(`${key(r)}: ${r.status} (${r.message}) in the real run, nothing in the dry-run`);
  }
  return out;
}

export interface CaseRun {
  text: string;
  verdict: Verdict;
  dryResults: TaskResultEvent[];
  realResults: TaskResultEvent[];
}

/** Runs one analysed runbook, dry or real, on transports from `connect`; its task and handler results. */
async function runOnce(a: Analysis, dryRun: boolean, dir: string, connect: (host: string) => Promise<Transport>): Promise<TaskResultEvent[]> {
  const events: RunEvent[] = [];
  await runPlaybook(a, { dryRun, selection: {}, playbookName: 'differential', playbookDir: dir, stop: new AbortController().signal, mask: masker([PASSWORD]) }, { connect, emit: (e) => events.push(e) });
  return events.filter((e): e is TaskResultEvent => e.type === 'task_result' || e.type === 'handler_result');
}

/** A valid runbook for the case (drawn again while the validator refuses it). */
export function validCase(g: Gen, inventory: string, mark: string): { c: GeneratedCase; text: string; analysis: Analysis } {
  for (;;) {
    const c = generateCase(g);
    const text = runbookText(c, inventory);
    const analysis = analyze(text, { secret: () => PASSWORD, extraVars: { mark } });
    if (!analysis.diagnostics.some((d) => d.severity === 'error')) return { c, text, analysis };
  }
}

/**
 * Seeds the roots, dry-runs, checks nothing changed, runs for real, compares. `roots` maps each
 * host to its root; `inventory` is the runbook's inventory text; `dir` holds the local files.
 */
export async function runCase(g: Gen, roots: Record<string, string>, inventory: string, dir: string, mark: string, connect: (host: string) => Promise<Transport>): Promise<CaseRun> {
  for (const h of HOSTS) seedRoot(g, roots[h]!);
  const { text, analysis } = validCase(g, inventory, mark);
  assertUnderRoots(analysis, roots);
  const before = HOSTS.map((h) => treeChecksum(roots[h]!));
  const dryResults = await runOnce(analysis, true, dir, connect);
  const verdict = compare(dryResults, []);
  verdict.mismatches.length = 0;
  HOSTS.forEach((h, i) => {
    if (treeChecksum(roots[h]!) !== before[i]) verdict.mismatches.push(`the dry-run changed something under ${h}'s root`);
  });
  const realResults = await runOnce(analysis, false, dir, connect);
  const v = compare(dryResults, realResults);
  return { text, dryResults, realResults, verdict: { ...v, mismatches: [...verdict.mismatches, ...v.mismatches] } };
}

/** The local files a case's runbook names (a text file, bytes, a template). */
export function writeLocalFiles(dir: string): void {
  mkdirSync(join(dir, 'files'), { recursive: true });
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'files', 'text.txt'), 'a=1\n');
  writeFileSync(join(dir, 'files', 'blob.bin'), Buffer.from([0, 1, 2, 254, 255]));
  writeFileSync(join(dir, 'templates', 'host.tpl'), 'host={{ host.name }}\n');
}

/** Parameters of type path that name no file of a host (an exported path, a local file, a broker's store). */
const NOT_HOST_FILES = new Set(['nfs_export.path', 'nfs_export.pseudo', 'file.src', 'template.src', 'activemq_broker.data_directory', 'activemq_broker.kahadb_directory']);

/** Every host file a case's tasks name is under that host's root: a generator bug must never reach this machine's own files. */
export function assertUnderRoots(a: Analysis, roots: Record<string, string>): void {
  for (const { play, hosts } of a.plays) {
    for (const task of [...play.tasks, ...play.handlers]) {
      const mod = catalog.get(task.module ?? '');
      for (const host of hosts) {
        const params = a.params.get(taskKey(play, task, host));
        if (!mod || !params) continue;
        for (const [name, spec] of Object.entries(mod.params as Record<string, ParamSpec>)) {
          const v = params[name];
          if (typeof v !== 'string' || !typesOf(spec).includes('path') || NOT_HOST_FILES.has(`${mod.name}.${name}`) || v === '/dev/null') continue;
          if (!v.startsWith(`${roots[host]}/`)) throw new Error(`the generator named ${v} (${mod.name}.${name}) outside ${host}'s root`);
        }
      }
    }
  }
}

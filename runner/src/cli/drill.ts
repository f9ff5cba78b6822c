import { dirname, resolve } from 'node:path';
import type { DrillEvent } from '../cluster/drill-events.js';
import { runDrill } from '../cluster/drill.js';
import { EXIT } from '../engine/exit-codes.js';
import { masker } from '../engine/mask.js';
import { drillLines } from '../report/drill-lines.js';
import type { Transport } from '../transport/transport.js';
import { connector } from './connect.js';
import { loadPlaybook, parseExtraVars, UsageError } from './load.js';
import type { Io } from './program.js';
import { colorOff } from './run.js';
import { resolveSecrets } from './secrets.js';
import { clusterReader } from './status.js';
import { askHidden, askLine } from './terminal.js';
import { shortenPaths } from './validate.js';

export interface DrillCliOptions {
  inventory?: string;
  extraVars: string[];
  yes?: boolean;
  messages: number;
  dryRun?: boolean;
  json?: boolean;
  plain?: boolean;
  color?: boolean;
  acceptNewHostKeys?: boolean;
}

async function drillSink(opts: DrillCliOptions, io: Io): Promise<{ emit(e: DrillEvent): void; finished(): Promise<void> }> {
  if (opts.json) return { emit: (e) => io.out(JSON.stringify(e)), finished: async () => undefined };
  const ci = ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => k in process.env && !['0', 'false'].includes(process.env[k]!));
  if (!opts.plain && process.stdout.isTTY && !ci) {
    if (colorOff(opts)) (await import('chalk')).default.level = 0;
    const { startDrillInk } = await import('../report/ink/drill/start.js');
    return startDrillInk();
  }
  return { emit: (e) => drillLines(e).forEach((l) => io.out(l)), finished: async () => undefined };
}

/** `amq-run drill PLAYBOOK --yes`: a controlled failover, proven with messages through HAProxy. Exit 0 passed, 2 not. */
export async function drillCommand(playbook: string, opts: DrillCliOptions, io: Io): Promise<number> {
  const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  if (!opts.yes && !opts.dryRun && (!tty || opts.json)) throw new UsageError('the drill stops the master: add --yes to run it without asking (or --dry-run to see its steps)');
  const inv = opts.inventory !== undefined ? { inventory: opts.inventory } : {};
  const extraVars = parseExtraVars(opts.extraVars);
  const checked = loadPlaybook(playbook, { ...inv, extraVars });
  for (const line of checked.lines) io.err(shortenPaths(line));
  if (checked.errors.length) return EXIT.invalid;
  const playbookDir = dirname(resolve(playbook));
  const secrets = await resolveSecrets(checked.analysis.playbook!, playbookDir, tty ? (q) => askHidden(q) : undefined);
  const a = loadPlaybook(playbook, { ...inv, extraVars, secret: (n) => secrets.get(n) ?? '' }).analysis;
  const mask = masker(secrets.values());
  const reader = clusterReader(a, Boolean(opts.acceptNewHostKeys));
  const open = connector(a, { acceptNewHostKeys: Boolean(opts.acceptNewHostKeys) });
  const conns = new Map<string, Promise<Transport>>();
  const sink = await drillSink(opts, io);
  const stopper = new AbortController();
  const onSigint = () => stopper.abort();
  process.on('SIGINT', onSigint);
  try {
    return await runDrill(
      a,
      reader.spec,
      {
        messages: opts.messages,
        dryRun: Boolean(opts.dryRun),
        playbook: shortenPaths(`${playbook}:`).slice(0, -1),
        playbookDir,
        signal: stopper.signal,
        ...(opts.yes ? {} : { confirm: async (q: string) => /^y(es)?$/i.test(await askLine(`${q} [y/N] `)) }),
      },
      {
        status: reader.status,
        connect: (host) => {
          if (!conns.has(host)) conns.set(host, open(host));
          return conns.get(host)!;
        },
        emit: (e) => sink.emit(mask(e)),
      },
    );
  } finally {
    process.off('SIGINT', onSigint);
    await sink.finished();
    await reader.close();
    await Promise.all([...conns.values()].map(async (c) => (await c.catch(() => undefined))?.close().catch(() => undefined)));
  }
}

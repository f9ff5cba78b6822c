import { dirname, resolve } from 'node:path';
import { masker } from '../engine/mask.js';
import { runPlaybook } from '../engine/run.js';
import { selectRun } from '../engine/select.js';
import type { RunEvent } from '../engine/events.js';
import type { Ask } from '../engine/step.js';
import { jsonSink } from '../report/json.js';
import { plainSink } from '../report/plain.js';
import { loadPlaybook, parseExtraVars, UsageError } from './load.js';
import { connector } from './connect.js';
import { EXIT } from '../engine/exit-codes.js';
import { plainAsk } from './plain-ask.js';
import type { Io } from './program.js';
import { resolveSecrets } from './secrets.js';
import { askHidden } from './terminal.js';
import { shortenPaths } from './validate.js';

export interface RunOptions {
  inventory?: string;
  extraVars: string[];
  dryRun?: boolean;
  diff?: boolean;
  step?: boolean;
  yes?: boolean;
  limit?: string;
  tags: string[];
  skipTags: string[];
  startAt?: string;
  play?: string;
  forks?: number;
  json?: boolean;
  plain?: boolean;
  verbose?: boolean;
  detailedExitcode?: boolean;
  acceptNewHostKeys?: boolean;
  askBecomePass?: boolean;
}

interface Sink {
  emit(e: RunEvent): void;
  ask?: Ask;
  finished(): Promise<void>;
  ownsCtrlC?: boolean;
}

/** `amq-run PLAYBOOK`: validate, resolve secrets, run with the view that fits the terminal. */
export async function runCommand(playbook: string, opts: RunOptions, io: Io): Promise<number> {
  const extraVars = parseExtraVars(opts.extraVars);
  const inv = opts.inventory !== undefined ? { inventory: opts.inventory } : {};
  const checked = loadPlaybook(playbook, { ...inv, extraVars });
  for (const line of checked.lines) io.err(shortenPaths(line));
  if (checked.errors.length) return EXIT.invalid;
  const { errors } = selectRun(checked.analysis, opts);
  for (const e of errors) io.err(`amq-run: ${e}`);
  if (errors.length) return EXIT.usage;
  if (opts.step && opts.json && !opts.yes) throw new UsageError('--step with --json cannot ask: add --yes, or drop --json');

  const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const playbookDir = dirname(resolve(playbook));
  const secrets = await resolveSecrets(checked.analysis.playbook!, playbookDir, tty ? (q) => askHidden(q) : undefined);
  for (const [name, value] of secrets) {
    if (value.length < 4) io.err(`amq-run: warning: secret '${name}' has only ${value.length} character${value.length === 1 ? '' : 's'}; every occurrence of it in the output is masked, so other text may be hidden too`);
  }
  const becomePassword = opts.askBecomePass ? await askHidden('become (sudo) password: ') : undefined;
  const loaded = loadPlaybook(playbook, { ...inv, extraVars, secret: (n) => secrets.get(n) ?? '' });

  const stopper = new AbortController();
  const abort = () => process.exit(EXIT.interrupted);
  const inventoryShown = loaded.analysis.inventoryPath ? shortenPaths(`${loaded.analysis.inventoryPath}:`).slice(0, -1) : undefined;
  const sink = await makeSink(opts, io, { playbook, ...(inventoryShown ? { inventory: inventoryShown } : {}), interrupt: () => stopper.abort(), abort });
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints === 1) {
      io.err('amq-run: stopping after the running task (Ctrl-C again to abort)');
      stopper.abort();
    } else {
      io.err('amq-run: aborted');
      abort();
    }
  };
  // The interactive view reads Ctrl-C itself.
  if (!sink.ownsCtrlC) process.on('SIGINT', onSigint);
  try {
    const code = await runPlaybook(
      loaded.analysis,
      {
        dryRun: Boolean(opts.dryRun),
        selection: opts,
        ...(opts.forks ? { forks: opts.forks } : {}),
        playbookName: loaded.analysis.playbook?.name ?? playbook,
        playbookDir,
        ...(inventoryShown ? { inventory: inventoryShown } : {}),
        stop: stopper.signal,
        ...(opts.step && !opts.yes && sink.ask ? { ask: sink.ask } : {}),
        mask: masker([...secrets.values(), ...(becomePassword ? [becomePassword] : [])]),
        detailedExitcode: Boolean(opts.detailedExitcode),
      },
      { connect: connector(loaded.analysis, { acceptNewHostKeys: Boolean(opts.acceptNewHostKeys), ...(becomePassword ? { becomePassword } : {}) }), emit: (e) => sink.emit(e) },
    );
    await sink.finished();
    return code;
  } finally {
    process.off('SIGINT', onSigint);
  }
}

/** Ink draws no live view under CI, so CI gets plain lines like a pipe does. */
function inCi(): boolean {
  return ['CI', 'CONTINUOUS_INTEGRATION'].some((k) => k in process.env && !['0', 'false'].includes(process.env[k]!));
}

async function makeSink(opts: RunOptions, io: Io, view: { playbook: string; inventory?: string; interrupt(): void; abort(): void }): Promise<Sink> {
  if (opts.json) return { emit: jsonSink(io.out), finished: async () => undefined };
  if (!opts.plain && process.stdout.isTTY && process.stdin.isTTY && !inCi()) {
    const { startInk } = await import('../report/ink/start.js');
    const ink = startInk({ ...view, dryRun: Boolean(opts.dryRun), step: Boolean(opts.step && !opts.yes), showDiff: Boolean(opts.diff) });
    return { ...ink, ownsCtrlC: true };
  }
  const emit = plainSink(io.out, { diff: Boolean(opts.diff || opts.dryRun), verbose: Boolean(opts.verbose) });
  return { emit, ask: plainAsk(io.out), finished: async () => undefined };
}

import { dirname, resolve } from 'node:path';
import { masker } from '../engine/mask.js';
import { runPlaybook } from '../engine/run.js';
import { selectRun } from '../engine/select.js';
import type { RunEvent, TaskResultEvent } from '../engine/events.js';
import type { Transport } from '../transport/transport.js';
import type { Ask } from '../engine/step.js';
import { jsonSink } from '../report/json.js';
import { plainSink } from '../report/plain.js';
import type { SecretDef } from '../runbook/model.js';
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
  /** false with --no-color. */
  color?: boolean;
}

/** --no-color, or NO_COLOR set and not empty (no-color.org). */
export function colorOff(opts: Pick<RunOptions, 'color'>, env: NodeJS.ProcessEnv = process.env): boolean {
  return opts.color === false || (env.NO_COLOR ?? '') !== '';
}

/** Options that cannot work together, or here: a usage error before anything runs. */
function checkOptions(opts: RunOptions, stdinIsTerminal: boolean): void {
  if (opts.detailedExitcode && !opts.dryRun) throw new UsageError('--detailed-exitcode only has a meaning with --dry-run (it exits 10 when something would change)');
  if (opts.step && opts.json && !opts.yes) throw new UsageError('--step with --json cannot ask: add --yes, or drop --json');
  if (opts.step && !opts.yes && !stdinIsTerminal) {
    throw new UsageError('--step asks before each change, and stdin is not a terminal: run it in a terminal, or drop --step (--yes applies without asking)');
  }
}

/** A declared secret cannot come from -e: it would be in the shell history and the process list. */
function refuseSecretsFromExtraVars(extraVars: Record<string, unknown>, secrets: Iterable<SecretDef>): void {
  for (const s of secrets) {
    if (!(s.name in extraVars)) continue;
    const how = s.env !== undefined ? `set the environment variable ${s.env}` : s.file !== undefined ? `put it in ${s.file}` : 'answer its prompt';
    throw new UsageError(`-e ${s.name}: '${s.name}' is a secret and cannot be set with -e (the value would show in the shell history and the process list); ${how} instead`);
  }
}

/** What the plan commands add to a run: they record what the checks read, and apply only what was planned. */
export interface RunHooks {
  /** Wraps each host's transport (given the run's masker of secret values). */
  wrap?(t: Transport, mask: <T>(v: T) => T): Transport;
  /** Sees every event, masked, as the view does. */
  tap?(e: RunEvent): void;
  /** Applying a saved plan: see the engine's RunOptions.approve. */
  approve?(result: TaskResultEvent): string | undefined;
}

/** How long an abort may take to stop the commands on every host before the process exits anyway. */
const ABORT_GRACE_MS = 15_000;

interface Sink {
  emit(e: RunEvent): void;
  ask?: Ask;
  finished(): Promise<void>;
  ownsCtrlC?: boolean;
}

/** `amq-run PLAYBOOK`: validate, resolve secrets, run with the view that fits the terminal. */
export async function runCommand(playbook: string, opts: RunOptions, io: Io, hooks: RunHooks = {}): Promise<number> {
  checkOptions(opts, Boolean(process.stdin.isTTY));
  const extraVars = parseExtraVars(opts.extraVars);
  const inv = opts.inventory !== undefined ? { inventory: opts.inventory } : {};
  const checked = loadPlaybook(playbook, { ...inv, extraVars });
  if (checked.analysis.playbook) refuseSecretsFromExtraVars(extraVars, checked.analysis.playbook.secrets.values());
  for (const line of checked.lines) io.err(shortenPaths(line));
  if (checked.errors.length) return EXIT.invalid;
  const { errors } = selectRun(checked.analysis, opts);
  for (const e of errors) io.err(`amq-run: ${e}`);
  if (errors.length) return EXIT.usage;

  const tty = Boolean(process.stdin.isTTY && process.stderr.isTTY);
  const playbookDir = dirname(resolve(playbook));
  const secrets = await resolveSecrets(checked.analysis.playbook!, playbookDir, tty ? (q) => askHidden(q) : undefined);
  for (const [name, value] of secrets) {
    if (value.length < 4) io.err(`amq-run: warning: secret '${name}' has only ${value.length} character${value.length === 1 ? '' : 's'}; every occurrence of it in the output is masked, so other text may be hidden too`);
  }
  const becomePassword = opts.askBecomePass ? await askHidden('become (sudo) password: ') : undefined;
  // Analysed again with the secrets' values; a playbook that declares none reads the same as before.
  const loaded = secrets.size === 0 ? checked : loadPlaybook(playbook, { ...inv, extraVars, secret: (n) => secrets.get(n) ?? '' });

  const stopper = new AbortController();
  const aborter = new AbortController();
  // Stop now: the engine stops what runs on every host and ends with its recap; should it not end, the process does.
  const abort = () => {
    stopper.abort();
    aborter.abort();
    setTimeout(() => process.exit(EXIT.interrupted), ABORT_GRACE_MS).unref();
  };
  const inventoryShown = loaded.analysis.inventoryPath ? shortenPaths(`${loaded.analysis.inventoryPath}:`).slice(0, -1) : undefined;
  const sink = await makeSink(opts, io, { playbook, ...(inventoryShown ? { inventory: inventoryShown } : {}), interrupt: () => stopper.abort(), abort });
  let sigints = 0;
  const onSigint = () => {
    sigints++;
    if (sigints === 1) {
      io.err('amq-run: stopping after the running task (Ctrl-C again to abort)');
      stopper.abort();
    } else if (sigints === 2) {
      io.err('amq-run: aborting: stopping the commands that run on every host');
      abort();
    }
  };
  // The interactive view reads Ctrl-C itself.
  if (!sink.ownsCtrlC) process.on('SIGINT', onSigint);
  const mask = masker([...secrets.values(), ...(becomePassword ? [becomePassword] : [])]);
  const connect = connector(loaded.analysis, { acceptNewHostKeys: Boolean(opts.acceptNewHostKeys), ...(becomePassword ? { becomePassword } : {}) });
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
        abort: aborter.signal,
        verbose: Boolean(opts.verbose),
        ...(opts.step && !opts.yes && sink.ask ? { ask: sink.ask } : {}),
        mask,
        detailedExitcode: Boolean(opts.detailedExitcode),
        ...(hooks.approve ? { approve: hooks.approve } : {}),
      },
      {
        connect: async (h) => (hooks.wrap ? hooks.wrap(await connect(h), mask) : connect(h)),
        emit: (e) => {
          hooks.tap?.(e);
          sink.emit(e);
        },
      },
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

export async function makeSink(opts: RunOptions, io: Io, view: { playbook: string; inventory?: string; interrupt(): void; abort(): void }): Promise<Sink> {
  if (opts.json) return { emit: jsonSink(io.out), finished: async () => undefined };
  if (!opts.plain && process.stdout.isTTY && process.stdin.isTTY && !inCi()) {
    if (colorOff(opts)) (await import('chalk')).default.level = 0;
    const { startInk } = await import('../report/ink/start.js');
    const ink = startInk({ ...view, dryRun: Boolean(opts.dryRun), step: Boolean(opts.step && !opts.yes), showDiff: Boolean(opts.diff), verbose: Boolean(opts.verbose) });
    return { ...ink, ownsCtrlC: true };
  }
  const emit = plainSink(io.out, { diff: Boolean(opts.diff || opts.dryRun), verbose: Boolean(opts.verbose) });
  return { emit, ask: plainAsk(io.out), finished: async () => undefined };
}

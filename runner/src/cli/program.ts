import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './usage-error.js';
import { EXIT, exitCodesText } from '../engine/exit-codes.js';
import { MAX_BROKERS } from '../init/kinds.js';
import type { InitOptions } from './init.js';
import { ownPackage } from './own-package.js';
import type { ApplyOptions, PlanOptions } from './plan.js';
import type { RunOptions } from './run.js';
import type { StatusOptions } from './status.js';
import type { DrillCliOptions } from './drill.js';

// Each command's code is imported when that command runs: `--help` or `validate` loads no SSH,
// no engine and no view, and a run loads no language tools it does not use.

const collect = (v: string, prev: string[]) => [...prev, v];

function parseMessages(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1 || n > 1_000_000) throw new UsageError(`--messages takes a whole number from 1 to 1000000, not '${v}'`);
  return n;
}

export interface Io {
  out(s: string): void;
  err(s: string): void;
}

function inventoryOption(): Option {
  return new Option('-i, --inventory <file>', "inventory file (replaces the playbook's own)");
}
/** The view's options of the commands that run a playbook's checks (plan, apply). */
function viewOptions(c: Command): Command {
  return c
    .option('--json', 'one JSON event per line')
    .option('--plain', 'plain lines even on a terminal')
    .option('--verbose', 'more detail: every command and its output')
    .option('--no-color', 'no colours (so does a non-empty NO_COLOR)')
    .option('--accept-new-host-keys', 'trust and record the host key of a host not yet in known_hosts');
}
function extraVarsOption(): Option {
  return new Option('-e, --extra-vars <key=value>', 'set a variable (highest precedence); @file.yaml reads a mapping; repeatable').argParser(collect).default([]);
}

function parseBrokers(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 2 || n > MAX_BROKERS) throw new UsageError(`--brokers takes a whole number from 2 to ${MAX_BROKERS}, not '${v}'`);
  return n;
}

/** The `amq-run` command line. Returns the exit code; never throws for bad input. */
export async function main(argv: string[], io: Io = { out: (s) => process.stdout.write(`${s}\n`), err: (s) => process.stderr.write(`${s}\n`) }): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('amq-run')
    .description('Declarative runbooks for Apache ActiveMQ Classic clusters: check, show the diff, apply.')
    .version(ownPackage().version, '-V, --version', 'print the version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .showSuggestionAfterError(true)
    .showHelpAfterError('(amq-run --help lists the commands and options)')
    .addHelpText(
      'after',
      `
Exit codes:
${exitCodesText()}

Examples:
  amq-run playbooks/ha.yaml --dry-run
  amq-run validate playbooks/ha.yaml -i inventory.yaml
  amq-run status playbooks/ha.yaml --json
  amq-run drill playbooks/ha.yaml --yes --messages 1000
  amq-run plan playbooks/ha.yaml -o plan.json && amq-run apply plan.json --yes
  amq-run modules activemq_broker
  amq-run init my-cluster --brokers 3`,
    );

  program
    .command('run <playbook>', { isDefault: true })
    .description('run a playbook (the default command): check each task, show the diff, apply')
    .addOption(inventoryOption())
    .addOption(extraVarsOption())
    .option('--dry-run', 'run every check, change nothing, show what would change')
    .option('--diff', 'show the diff of every change (always on in the interactive view)')
    .option('--step', 'ask before each change: yes, no, all, quit')
    .option('--yes', 'do not ask (needed with --json and --step)')
    .option('--limit <hosts>', 'only these hosts or groups (comma separated; !name excludes)')
    .option('--tags <tags>', 'only tasks with one of these tags', collect, [])
    .option('--skip-tags <tags>', 'skip tasks with one of these tags', collect, [])
    .option('--start-at <task>', 'start at the task with this name')
    .option('--play <name>', 'only the play with this name')
    .addOption(new Option('--forks <n>', 'hosts worked on at once (default: all)').argParser((v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--forks takes a whole number of 1 or more, not '${v}'`);
      return n;
    }))
    .option('--json', 'one JSON event per line')
    .option('--plain', 'plain lines even on a terminal')
    .option('--verbose', 'more detail: every command and its output')
    .option('--no-color', 'no colours (so does a non-empty NO_COLOR)')
    .option('--detailed-exitcode', 'with --dry-run: exit 10 when something would change')
    .option('--accept-new-host-keys', 'trust and record the host key of a host not yet in known_hosts')
    .option('--ask-become-pass', 'prompt for the sudo password')
    .action(async (playbook: string, opts: RunOptions) => {
      const { runCommand } = await import('./run.js');
      code = await runCommand(playbook, opts, io);
    });

  program
    .command('validate <playbook>')
    .description('check a playbook and its inventory; print FILE:LINE:COL diagnostics and a summary; exit 4 on errors')
    .addOption(inventoryOption())
    .addOption(extraVarsOption())
    .option('--format <format>', 'text (default), json, or sarif (SARIF 2.1.0, for code scanning)')
    .action(async (playbook: string, opts: { inventory?: string; extraVars: string[]; format?: string }) => {
      const { validateCommand } = await import('./validate.js');
      code = validateCommand(playbook, opts, io.out);
    });

  program
    .command('status <playbook>')
    .description("the cluster now: each broker's role (master, slave, down), pid and store mount, HAProxy's view of every server, whether a client through HAProxy reaches the master; read only; exit 0 healthy, 2 not")
    .addOption(inventoryOption())
    .addOption(extraVarsOption())
    .option('--json', 'one JSON object: ok, brokers, haproxy, clients, problems')
    .option('--accept-new-host-keys', 'trust and record the host key of a host not yet in known_hosts')
    .action(async (playbook: string, opts: StatusOptions) => {
      const { statusCommand } = await import('./status.js');
      code = await statusCommand(playbook, opts, io);
    });

  program
    .command('drill <playbook>')
    .description('a failover drill: status first (an unhealthy cluster is refused), N persistent messages through HAProxy, the master\'s service stopped, the takeover timed, every message consumed and counted, the old master started again as slave, healthy at the end; exit 0 passed, 2 not')
    .addOption(inventoryOption())
    .addOption(extraVarsOption())
    .option('--yes', 'stop the master without asking')
    .addOption(new Option('--messages <n>', 'persistent messages sent before the stop').argParser(parseMessages).default(1000))
    .option('--dry-run', "print the drill's steps, change nothing")
    .option('--json', 'one JSON event per line; the last is drill_result')
    .option('--plain', 'plain lines even on a terminal')
    .option('--no-color', 'no colours (so does a non-empty NO_COLOR)')
    .option('--accept-new-host-keys', 'trust and record the host key of a host not yet in known_hosts')
    .action(async (playbook: string, opts: DrillCliOptions) => {
      const { drillCommand } = await import('./drill.js');
      code = await drillCommand(playbook, opts, io);
    });

  viewOptions(
    program
      .command('plan <playbook>')
      .description('run every check as --dry-run and save the planned changes, with a fingerprint of every piece of host state the checks read, to a plan file; exit 10 when changes are pending, 0 when none')
      .addOption(inventoryOption())
      .addOption(extraVarsOption())
      .requiredOption('-o, --output <file>', 'the plan file to write (JSON; secrets appear only by name)'),
  ).action(async (playbook: string, opts: PlanOptions) => {
    const { planCommand } = await import('./plan.js');
    code = await planCommand(playbook, opts, io);
  });

  program
    .command('show <plan>')
    .description('a saved plan, as the dry-run showed it')
    .option('--json', "the dry-run's JSON events")
    .option('--plain', 'plain lines even on a terminal')
    .option('--no-color', 'no colours (so does a non-empty NO_COLOR)')
    .action(async (plan: string, opts: ApplyOptions) => {
      const { showCommand } = await import('./plan.js');
      code = await showCommand(plan, opts, io);
    });

  viewOptions(
    program
      .command('apply <plan>')
      .description('apply a saved plan: refused (exit 5) when the playbook or inventory changed since; every host read again first, a host whose state drifted is left untouched (exit 5); the others get exactly the planned changes')
      .option('--yes', 'apply without asking')
      .option('--step', 'ask before each change: yes, no, all, quit'),
  ).action(async (plan: string, opts: ApplyOptions) => {
    const { applyCommand } = await import('./plan.js');
    code = await applyCommand(plan, opts, io);
  });

  program
    .command('rules')
    .description('every rule of validation, with a sentence each (the ids diagnostics carry)')
    .action(async () => {
      const { rulesCommand } = await import('./rules.js');
      code = rulesCommand(io.out);
    });

  program
    .command('list <playbook>')
    .description('the plays, their hosts and tasks, as a run would visit them')
    .addOption(inventoryOption())
    .addOption(extraVarsOption())
    .option('--limit <hosts>', 'only these hosts or groups')
    .option('--tags <tags>', 'only tasks with one of these tags', collect, [])
    .option('--skip-tags <tags>', 'skip tasks with one of these tags', collect, [])
    .option('--start-at <task>', 'start at the task with this name')
    .option('--play <name>', 'only the play with this name')
    .action(async (playbook: string, opts) => {
      const { listCommand } = await import('./list.js');
      code = listCommand(playbook, opts, io.out, io.err);
    });

  program
    .command('modules [name]')
    .description('the module catalog, or one module with its parameters and an example')
    .action(async (name: string | undefined) => {
      const { modulesCommand } = await import('./modules.js');
      code = modulesCommand(name, io.out, io.err);
    });

  program
    .command('init [dir]')
    .description('start a project in DIR (default: here): inventory, playbook, editor settings; never replaces a file')
    .option('--network', 'a network of brokers (network.yaml) instead of the shared-store pair (ha.yaml)')
    .option('--brokers <n>', 'how many brokers (default 2)', parseBrokers)
    .action(async (dir: string | undefined, opts: InitOptions) => {
      const { initCommand } = await import('./init.js');
      code = initCommand(dir ?? '.', opts, io.out, io.err);
    });

  try {
    await program.parseAsync(argv);
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help' || e.code === 'commander.version') return EXIT.ok;
      return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (e instanceof UsageError) {
      io.err(`amq-run: ${e.message}`);
      return e.exit;
    }
    io.err(`amq-run: internal error: ${(e as Error).message ?? String(e)}${process.env.AMQ_RUN_DEBUG ? '' : ' (AMQ_RUN_DEBUG=1 shows where)'}`);
    if (process.env.AMQ_RUN_DEBUG) io.err((e as Error).stack ?? '');
    return EXIT.internal;
  }
}

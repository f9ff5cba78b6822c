import { output, pickRuntime } from './runtime.js';
import { atLeast, versionParts } from './versions.js';

/** How to start amq-run: the command and its first arguments, and what to add to the environment. */
export interface Runner {
  argv: string[];
  env: Record<string, string>;
  describe: string;
}

export type Resolved = { runner: Runner } | { problem: string };

export interface RunnerContext {
  /** The amqRunbook.runnerPath setting; empty for the bundled runner. */
  runnerPath: string;
  /** The runner bundled in the extension (dist/runner.mjs). */
  bundled: string;
  /** The extension's version: a configured runner must be at least as new. */
  version: string;
  /** The lowest Node the runner supports (engines.node). */
  minimumNode: string;
  execPath: string;
  path: string | undefined;
}

/** The bundled runner on a Node that is there, or the configured one if it is present and new enough. */
export async function resolveRunner(c: RunnerContext): Promise<Resolved> {
  const configured = c.runnerPath.trim();
  if (!configured) {
    const rt = await pickRuntime({ path: c.path, minimum: c.minimumNode, execPath: c.execPath });
    return { runner: { argv: [rt.command, c.bundled], env: rt.env, describe: `the bundled runner on ${rt.describe}` } };
  }
  const argv = configured.split(/\s+/);
  const fix = `Update it with "npm install -g amq-runbook@${c.version}", or clear the setting amqRunbook.runnerPath to use the runner that comes with the extension.`;
  const r = await output(argv[0], [...argv.slice(1), '--version']);
  if (r.missing) {
    return { problem: `The runner "${configured}" (setting amqRunbook.runnerPath) was not found. Install it with "npm install -g amq-runbook@${c.version}", or clear the setting to use the runner that comes with the extension.` };
  }
  const v = r.code === 0 ? r.stdout.trim() : '';
  if (!versionParts(v)) return { problem: `The runner "${configured}" (setting amqRunbook.runnerPath) does not tell its version: it is older than this extension (${c.version}) or not amq-run. ${fix}` };
  if (!atLeast(v, c.version)) return { problem: `The runner "${configured}" (setting amqRunbook.runnerPath) is amq-run ${v}, older than this extension (${c.version}). ${fix}` };
  return { runner: { argv, env: {}, describe: `${configured} (amq-run ${v})` } };
}

/**
 * Records the event streams the reporter tests replay, from real runs of `amq-run --json` on the
 * lab: `flock /tmp/amq-lab.lock node out/test/helpers/record-events.js` (root, the lab's packages).
 * Each file in test/fixtures/events/lab-*.jsonl is the command's standard output as it was printed.
 */
import { writeFileSync } from 'node:fs';
import { labUp, type Lab } from '../../lab/lab.js';
import { amqRunJson } from './amq-run.js';
import { fixture, playbook } from './paths.js';

interface Scenario {
  name: string;
  /** What the file holds, for the reader of the fixtures. */
  about: string;
  args(lab: Lab): string[];
  env?: Record<string, string>;
  /** Something to do while it runs (a host going away). */
  during?(lab: Lab, e: { type: string; task?: string }): void;
  after?(lab: Lab): Promise<void>;
}

let killed = false;
const ADMIN = { AMQ_ADMIN_PASSWORD: 'Adm1n-s3cret-for-the-lab' };

export const SCENARIOS: Scenario[] = [
  { name: 'lab-ha-dry-run', about: 'the HA playbook dry-run on a fresh lab', args: (lab) => [playbook('ha.yaml'), '-i', lab.inventoryPath, '--dry-run'], env: ADMIN },
  { name: 'lab-ha-apply', about: 'the HA playbook applied on that lab', args: (lab) => [playbook('ha.yaml'), '-i', lab.inventoryPath], env: ADMIN },
  { name: 'lab-ha-rerun', about: 'the HA playbook again: nothing changes', args: (lab) => [playbook('ha.yaml'), '-i', lab.inventoryPath], env: ADMIN },
  {
    name: 'lab-unreachable',
    about: "broker2's sshd killed during a slow first task: broker2 unreachable, the others finish",
    args: (lab) => [fixture('lab', 'faults.yaml'), '-i', lab.inventoryPath],
    during(lab, e) {
      if (killed || e.type !== 'task_start' || e.task !== 'a slow step') return;
      killed = true;
      setTimeout(() => void lab.killSshd('broker2'), 1000);
    },
    after: (lab) => lab.startSshd('broker2'),
  },
  { name: 'lab-output', about: 'a tab in a diff; a command that fails after 30 lines on each stream', args: (lab) => [fixture('lab', 'outputs.yaml'), '-i', lab.inventoryPath] },
  { name: 'lab-would-fail-dry-run', about: 'failures a check can see, in a dry-run: would fail, with the reason', args: (lab) => [fixture('lab', 'would-fail.yaml'), '-i', lab.inventoryPath, '--dry-run'] },
  { name: 'lab-would-fail', about: 'the same failures in the real run, in the same words', args: (lab) => [fixture('lab', 'would-fail.yaml'), '-i', lab.inventoryPath] },
  { name: 'lab-verbose', about: 'every command each task ran, with its output (--verbose)', args: (lab) => [fixture('lab', 'outputs.yaml'), '-i', lab.inventoryPath, '--verbose', '--limit', 'broker1'] },
  { name: 'lab-failure', about: 'a command that fails and prints a secret (masked)', args: (lab) => [fixture('lab', 'secrets.yaml'), '-i', lab.inventoryPath], env: { LAB_TOKEN: 'Zq9-known-SECRET-value' } },
];

async function record(only: string[]): Promise<void> {
  const lab = await labUp();
  try {
    for (const s of SCENARIOS.filter((x) => !only.length || only.includes(x.name))) {
      const run = await amqRunJson(s.args(lab), s.env ?? {}, (e) => s.during?.(lab, e as { type: string; task?: string }));
      writeFileSync(fixture('events', `${s.name}.jsonl`), run.stdout);
      console.log(`${s.name}: exit ${run.code}, ${run.events.length} events (${s.about})`);
      await s.after?.(lab);
    }
  } finally {
    await lab.down();
  }
}

if (process.argv[1]?.endsWith('record-events.js')) await record(process.argv.slice(2));

import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { labFromState, labUp, portAnswers, processTree } from './lab.js';
import { DEFAULT_BROKERS } from './layout.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STATE_DIR = join(ROOT, '.lab');

const USAGE = 'usage: npm run lab -- up [--brokers N] [--fleet N] | down | status';

async function up(sizes: { brokers: number; fleet: number }): Promise<number> {
  const existing = labFromState(STATE_DIR);
  if (existing) {
    const answering = await Promise.all(existing.hosts.map((h) => portAnswers(h.address, h.port)));
    if (answering.some(Boolean)) {
      console.error(`a lab is already up in ${existing.L}; stop it first: npm run lab -- down`);
      return 1;
    }
    await existing.down();
  }
  const t0 = Date.now();
  const lab = await labUp({ stateDir: STATE_DIR, detach: true, ...sizes });
  console.log(`lab up in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${lab.L}`);
  const shown = lab.hosts.filter((h) => h.group !== 'fleet');
  for (const h of shown) console.log(`  ${h.name.padEnd(8)} ${h.address}:${h.port}  ${h.root}`);
  const fleet = lab.hosts.filter((h) => h.group === 'fleet');
  if (fleet.length) {
    const [first, last] = [fleet[0], fleet[fleet.length - 1]];
    console.log(`  fleet    ${fleet.length} hosts, ${first.name} ${first.address} to ${last.name} ${last.address}, port ${first.port} (group fleet)`);
  }
  console.log(`inventory: ${lab.inventoryPath}`);
  return 0;
}

async function down(): Promise<number> {
  const lab = labFromState(STATE_DIR);
  if (!lab) {
    console.log(`no lab is up (no ${join(STATE_DIR, 'state.json')})`);
    return 0;
  }
  await lab.down();
  console.log(`lab down: every host ended (processes, namespaces, mounts), ${lab.L} removed`);
  return 0;
}

async function status(): Promise<number> {
  const lab = labFromState(STATE_DIR);
  if (!lab) {
    console.log('no lab is up');
    return 3;
  }
  const s = await lab.status();
  console.log(`lab ${lab.L}, inventory ${lab.inventoryPath}`);
  for (const h of s.hosts) {
    console.log(`  ${h.running ? 'running' : 'stopped'}  ${h.name} ${h.address}`);
    for (const line of processTree(h.processes)) console.log(`      ${line}`);
  }
  for (const p of s.ports) console.log(`  ${p.answers ? 'answers' : 'silent '}  ${p.what.padEnd(28)} ${p.address}:${p.port}`);
  return s.hosts.every((h) => h.running) && s.ports.every((p) => p.answers) ? 0 : 1;
}

/** `--brokers N` and `--fleet N`, each at most once, in any order. */
function sizeOptions(rest: string[]): { brokers: number; fleet: number } | string {
  const sizes = { brokers: DEFAULT_BROKERS, fleet: 0 };
  const seen = new Set<string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [flag, value] = [rest[i], rest[i + 1]];
    const n = Number(value);
    const key = flag === '--brokers' ? 'brokers' : flag === '--fleet' ? 'fleet' : undefined;
    if (!key || seen.has(key) || value === undefined || !Number.isInteger(n)) return `unknown arguments '${rest.join(' ')}'`;
    seen.add(key);
    sizes[key] = n;
  }
  return sizes;
}

async function main(argv: string[]): Promise<number> {
  const [cmd, ...rest] = argv;
  if (cmd === 'up') {
    const sizes = sizeOptions(rest);
    if (typeof sizes === 'string') {
      console.error(`${sizes}; ${USAGE}`);
      return 2;
    }
    return up(sizes);
  }
  if (rest.length || !cmd) {
    console.error(USAGE);
    return 2;
  }
  switch (cmd) {
    case 'down':
      return down();
    case 'status':
      return status();
    default:
      console.error(`unknown command '${cmd}'; ${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    console.error(`lab: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);

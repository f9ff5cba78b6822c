import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../runner/src/cli/program.js';
import { seedDemoRoot } from './demo-root.js';

/**
 * The newcomer's first run: a dry-run of playbooks/ha.yaml, with every diff, against this machine,
 * every host under its own folder of a temporary root seeded with stock ActiveMQ files. Nothing
 * outside it is touched. Extra arguments are passed on (--plain, --json, --step, ...).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const demoRoot = mkdtempSync(join(tmpdir(), 'amq-runbook-demo-'));
try {
  seedDemoRoot(demoRoot);
  process.env.AMQ_ADMIN_PASSWORD ??= 'demo-only-password';
  const args = process.argv.slice(2);
  process.exitCode = await main([
    process.argv[0],
    'amq-run',
    join(ROOT, 'playbooks', 'ha.yaml'),
    '-i',
    join(ROOT, 'playbooks', 'local.inventory.yaml'),
    '--dry-run',
    '--diff',
    '-e',
    `demo_root=${demoRoot}`,
    ...args,
  ]);
} finally {
  rmSync(demoRoot, { recursive: true, force: true });
}

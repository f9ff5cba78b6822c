import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../runner/src/cli/program.js';

/**
 * The newcomer's first run: a dry-run of playbooks/ha.yaml, with every diff, against this machine,
 * every host under its own folder of a temporary root seeded with stock ActiveMQ files. Nothing
 * outside it is touched. Extra arguments are passed on (--plain, --json, --step, ...).
 */
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STOCK = join(ROOT, 'test', 'fixtures', 'activemq');

const demoRoot = mkdtempSync(join(tmpdir(), 'amq-runbook-demo-'));
try {
  // Every host has /etc, /run and /var/log; HAProxy's package ships /etc/haproxy.
  for (const host of ['nfs1', 'broker1', 'broker2', 'lb1']) for (const d of ['etc', 'run', 'var/log']) mkdirSync(join(demoRoot, host, d), { recursive: true });
  mkdirSync(join(demoRoot, 'lb1', 'etc', 'haproxy'), { recursive: true });
  for (const broker of ['broker1', 'broker2']) {
    const conf = join(demoRoot, broker, 'etc', 'activemq', 'instances-available', 'main');
    mkdirSync(conf, { recursive: true });
    copyFileSync(join(STOCK, 'debian-main-activemq.xml'), join(conf, 'activemq.xml'));
    copyFileSync(join(STOCK, 'jetty.xml'), join(conf, 'jetty.xml'));
  }
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

import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STOCK = fileURLToPath(new URL('../../test/fixtures/activemq/', import.meta.url));

/**
 * The root of the local preview (`-e demo_root=DIR` with playbooks/local.inventory.yaml): each broker's
 * folder seeded with stock ActiveMQ configuration, as a fresh Debian install has it.
 */
export function seedDemoRoot(demoRoot: string): void {
  for (const broker of ['broker1', 'broker2']) {
    const conf = join(demoRoot, broker, 'etc', 'activemq', 'instances-available', 'main');
    mkdirSync(conf, { recursive: true });
    copyFileSync(join(STOCK, 'debian-main-activemq.xml'), join(conf, 'activemq.xml'));
    copyFileSync(join(STOCK, 'jetty.xml'), join(conf, 'jetty.xml'));
  }
}

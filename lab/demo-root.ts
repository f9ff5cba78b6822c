import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const STOCK = fileURLToPath(new URL('../../test/fixtures/activemq/', import.meta.url));

/** Gives every host of a local preview root the folders a system has, and each broker of a local preview root the stock ActiveMQ files that Debian's package installs. */
export function seedDemoRoot(root: string, brokers: string[] = ['broker1', 'broker2']): void {
  // Every host has /etc, /run and /var/log; HAProxy's package ships /etc/haproxy.
  for (const host of ['nfs1', ...brokers, 'lb1']) for (const d of ['etc', 'run', 'var/log']) mkdirSync(join(root, host, d), { recursive: true });
  mkdirSync(join(root, 'lb1', 'etc', 'haproxy'), { recursive: true });
  for (const broker of brokers) {
    const conf = join(root, broker, 'etc', 'activemq', 'instances-available', 'main');
    mkdirSync(conf, { recursive: true });
    copyFileSync(join(STOCK, 'debian-main-activemq.xml'), join(conf, 'activemq.xml'));
    copyFileSync(join(STOCK, 'jetty.xml'), join(conf, 'jetty.xml'));
    const share = join(root, broker, 'usr', 'share', 'activemq');
    mkdirSync(share, { recursive: true });
    copyFileSync(join(STOCK, 'debian-activemq-options'), join(share, 'activemq-options'));
    mkdirSync(join(root, broker, 'etc', 'activemq', 'instances-enabled'), { recursive: true });
  }
}

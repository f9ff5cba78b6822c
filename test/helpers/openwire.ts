import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './paths.js';

/** The broker's own client jars (Debian's activemq package). */
const LIB = '/usr/share/activemq/lib';
const CLASSPATH = ['activemq-client.jar', 'geronimo-jms_1.1_spec.jar', 'geronimo-j2ee-management-1.1-spec.jar', 'hawtbuf.jar', 'slf4j-api.jar'].map((j) => join(LIB, j));

/** OpenWireLogin.java compiled once with the JDK's javac against the broker's jars. */
export function compileOpenWireClient(): string {
  const out = mkdtempSync(join(tmpdir(), 'amq-openwire-'));
  const r = spawnSync('javac', ['-cp', CLASSPATH.join(':'), '-d', out, fixture('lab', 'java', 'OpenWireLogin.java')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`javac failed (install a JDK: openjdk-17-jdk-headless): ${r.error?.message ?? r.stderr}`);
  return out;
}

/** Logs in over OpenWire and sends one message: "connected", or "refused: why". */
export function openwireLogin(classes: string, url: string, user: string | undefined, password = '', queue = 'openwire.q'): { code: number | null; out: string } {
  const r = spawnSync('java', ['-cp', [classes, ...CLASSPATH].join(':'), 'OpenWireLogin', url, user ?? '-', queue], {
    encoding: 'utf8',
    env: { ...process.env, AMQ_PASSWORD: password },
    timeout: 60_000,
  });
  // stderr holds SLF4J's notice that no logger is bound; what the client says is on stdout.
  return { code: r.status, out: r.stdout.trim() };
}

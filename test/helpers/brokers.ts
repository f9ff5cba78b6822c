import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { portAnswers, waitForLog, type Lab } from '../../lab/lab.js';
import { Stomp, type Login } from './stomp.js';

export const LB = '127.0.10.4';
export const OPENWIRE = 61616;
export const STOMP = 61613;

/** The broker's console log inside its host (ACTIVEMQ_OUT, set by ha.yaml). */
export const brokerLog = (lab: Lab, host: string) => join(lab.host(host).root, 'var/log/activemq/main.out');

/**
 * The JVM id prefix of a broker, from its last "started" log line (after byte `from`); STOMP
 * sessions carry the same prefix. Waits for one.
 */
export async function brokerId(log: string, name: string, from = 0): Promise<string> {
  const started = new RegExp(`Apache ActiveMQ [\\d.]+ \\(${name}, ID:([^)]+?)-\\d+:\\d+\\) started`, 'g');
  await waitForLog(log, new RegExp(started.source), 60_000, from);
  const matches = [...readFileSync(log).subarray(from).toString('utf8').matchAll(started)];
  return matches.at(-1)![1];
}

export function sessionPrefix(session: string): string {
  return /^ID:(.+?)-\d+:\d+$/.exec(session)![1];
}

/** The brokers that accept OpenWire connections now: a master listens, a slave does not. */
export async function listening(lab: Lab): Promise<string[]> {
  const brokers = lab.hosts.filter((h) => h.group === 'brokers');
  const up = await Promise.all(brokers.map((h) => portAnswers(h.address, OPENWIRE, 500)));
  return brokers.filter((_, i) => up[i]).map((h) => h.name);
}

/**
 * Watches the cluster until stopped, every ~100 ms: which brokers listen (directly), and which
 * broker a STOMP client reaches through HAProxy (by its session id). Any moment with two
 * listening brokers is a second master.
 */
export function watchMasters(lab: Lab, login: Login): { stop(): Promise<{ samples: number; twoMasters: string[][]; throughLb: Set<string> }> } {
  let running = true;
  const twoMasters: string[][] = [];
  const throughLb = new Set<string>();
  let samples = 0;
  const loop = (async () => {
    while (running) {
      const now = await listening(lab);
      samples++;
      if (now.length > 1) twoMasters.push(now);
      try {
        const { client, connected } = await Stomp.open(LB, STOMP, 1000, login);
        client.close();
        throughLb.add(sessionPrefix(connected.headers.session));
      } catch {
        // between masters: HAProxy has no server up for a moment
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { samples, twoMasters, throughLb };
    },
  };
}

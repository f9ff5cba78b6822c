import { connect } from 'node:net';
import { brokerOfServer, type ClusterSpec, type LbSpec } from './discover.js';
import { sessionBroker, StompClient, StompRefused } from './stomp.js';

/** What a client through one HAProxy frontend got. */
export interface ClientProbe {
  host: string;
  frontend: string;
  address: string;
  protocol: string;
  reaches: boolean;
  /** The broker instance behind a STOMP session (its JVM id), when the frontend speaks STOMP. */
  session?: string;
  error?: string;
}

/** The first bytes an OpenWire broker sends on accept (its WireFormatInfo names ActiveMQ). */
function openwireGreeting(host: string, port: number, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = connect({ host, port });
    const timer = setTimeout(() => {
      s.destroy();
      reject(new Error(`no OpenWire greeting within ${timeoutMs} ms`));
    }, timeoutMs);
    s.once('data', (b: Buffer) => {
      clearTimeout(timer);
      s.destroy();
      if (b.toString('latin1').includes('ActiveMQ')) resolve();
      else reject(new Error('the answer is not an OpenWire greeting'));
    });
    s.once('close', () => {
      clearTimeout(timer);
      reject(new Error('closed without a greeting (no broker behind it)'));
    });
    s.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The transport a frontend's backend speaks: the name of the broker transport its servers point at. */
export function frontendProtocol(c: ClusterSpec, lb: LbSpec, backend: string): string | undefined {
  const be = lb.backends.find((b) => b.name === backend);
  for (const s of be?.servers ?? []) {
    const b = brokerOfServer(c, s);
    const name = b && Object.entries(b.ports).find(([, p]) => p === s.port)?.[0];
    if (name) return name;
  }
  return undefined;
}

/** A client's attempt through every TCP frontend that sends to brokers over OpenWire or STOMP. */
export async function probeClients(c: ClusterSpec, timeoutMs = 3000): Promise<ClientProbe[]> {
  const jobs = c.lbs.flatMap((lb) =>
    lb.frontends.flatMap((fe) => {
      const protocol = fe.mode === 'tcp' ? frontendProtocol(c, lb, fe.backend) : undefined;
      if (protocol !== 'openwire' && protocol !== 'stomp') return [];
      const base = { host: lb.host, frontend: fe.name, address: `${fe.address}:${fe.port}`, protocol };
      return [
        (async (): Promise<ClientProbe> => {
          try {
            if (protocol === 'openwire') {
              await openwireGreeting(fe.address, fe.port, timeoutMs);
              return { ...base, reaches: true };
            }
            const { client, connected } = await StompClient.open(fe.address, fe.port, timeoutMs);
            client.close();
            const session = sessionBroker(connected.headers.session);
            return { ...base, reaches: true, ...(session ? { session } : {}) };
          } catch (e) {
            // A broker that refuses an anonymous login has answered: the client reached it.
            if (e instanceof StompRefused) return { ...base, reaches: true };
            return { ...base, reaches: false, error: (e as Error).message };
          }
        })(),
      ];
    }),
  );
  return Promise.all(jobs);
}
